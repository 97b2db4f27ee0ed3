/**
 * Wire protocol between workstations and the LAN server (numbering, order locks).
 * Shared by the client (src/core/numbering) and the server (src/server): JSON text frames
 * over WebSocket.
 *
 *   client → server   { id, type, data }              id: string | integer, unique while in flight
 *   server → client   { id, ok: true, data }          reply
 *                     { id, ok: false, error }        error reply (id null when unparseable)
 *                     { event, data }                 push (lock released…)
 *
 * The first message of every connection is `hello` {station: {id, secret}, userToken?}: the
 * station's own credential (from enrollment) and, on a user's connection, the session token
 * the server gave that user at sign-in. A station not enrolled yet sends `enroll` instead
 * (once, with a proof made from the one-time code) and reconnects. Identity is the server's
 * to decide: nothing a station declares about who is speaking is believed.
 */

import type { StationDto } from '../../shared/api/session';
import type { ContingencyChangedEvent } from '../sefaz/contingency/lan';

export const PROTOCOL_VERSION = 1;
export const DEFAULT_SERVER_PORT = 7400;
/** Frames above this size get a MESSAGE_TOO_LARGE reply; far above it the socket is closed. */
// Sized for replicating a signed NF-e of 990 items together with its nfeProc (~2.5 MB).
export const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;
export const MAX_NUMBER = 999_999_999;

export const NumberingErrors = {
  MESSAGE_TOO_LARGE: 'MESSAGE_TOO_LARGE',
  PROTOCOL_ORDER: 'PROTOCOL_ORDER',
  SERIES_NOT_FOUND: 'SERIES_NOT_FOUND',
  SERIES_EXISTS: 'SERIES_EXISTS',
  SERIES_INACTIVE: 'SERIES_INACTIVE',
  SERIES_NOT_OWN: 'SERIES_NOT_OWN',
  SERIES_BLOCKED: 'SERIES_BLOCKED',
  SERIES_EXHAUSTED: 'SERIES_EXHAUSTED',
  NUMBER_ALREADY_USED: 'NUMBER_ALREADY_USED',
  NUMBER_NOT_FOUND: 'NUMBER_NOT_FOUND',
  INVALID_TRANSITION: 'INVALID_TRANSITION',
  NEXT_NUMBER_BACKWARD: 'NEXT_NUMBER_BACKWARD',
  ORDER_HAS_OPEN_ALLOCATION: 'ORDER_HAS_OPEN_ALLOCATION',
  REQUEST_ID_REUSED: 'REQUEST_ID_REUSED',
  LOCK_HELD: 'LOCK_HELD',
  LOCK_NOT_HELD: 'LOCK_NOT_HELD',
  STALE_LOCK_TOKEN: 'STALE_LOCK_TOKEN',
  REQUEST_TIMEOUT: 'REQUEST_TIMEOUT',
} as const;

// ---- domain values -------------------------------------------------------------------

/** 55 = NF-e, 57 = CT-e. */
export type DocModel = 55 | 57;

/** A series is identified by establishment CNPJ + model + série. */
export interface SeriesKey {
  /** 14 characters, digits or (from July 2026) alphanumeric with numeric DV. */
  cnpj: string;
  model: DocModel;
  /** 0..999 (série 0 is the "série única"). */
  serie: number;
}

export interface SeriesInfo extends SeriesKey {
  emissaoPropria: boolean;
  active: boolean;
  description: string | null;
  /** Current próximo número: non-binding for suggestion, the allocation decides. */
  nextNumber: number;
  /** First number managed by Comboio; numbers below it belong to earlier systems. */
  startNumber: number;
  /** When the next number is already taken (imported), allocation is refused until an admin moves it. */
  blockedBy: number | null;
}

/**
 * allocated → transmitted → authorized | denied | cancelled (after authorized),
 * allocated/transmitted → abandoned → inutilizada. `imported` marks own-emission notes that
 * entered through XML import; `skipped` never appears on a single number (see SkippedRange).
 */
export type NumberState = 'allocated' | 'transmitted' | 'authorized' | 'denied' | 'cancelled' | 'abandoned' | 'inutilizada' | 'imported';

export const FINAL_STATES: readonly NumberState[] = ['authorized', 'denied', 'cancelled', 'inutilizada', 'imported'];
/** States in which an order still "owns" its number: a second allocate returns it. */
export const OPEN_STATES: readonly NumberState[] = ['allocated', 'transmitted'];

export const TRANSITIONS: Readonly<Record<NumberState, readonly NumberState[]>> = {
  // Synchronous authorization (indSinc=1) can go straight from allocated to a result.
  allocated: ['transmitted', 'authorized', 'denied', 'abandoned'],
  // A send that timed out is consulted later; if never authorized, the number is abandoned.
  transmitted: ['authorized', 'denied', 'abandoned'],
  authorized: ['cancelled'],
  abandoned: ['inutilizada'],
  denied: [],
  cancelled: [],
  inutilizada: [],
  imported: [],
};

export interface Actor {
  user: string;
  workstation: string;
  ip: string;
}

export interface NumberRecord extends Actor {
  number: number;
  state: NumberState;
  orderId: string | null;
  requestId: string | null;
  suggested: number | null;
  /** ISO with offset. */
  allocatedAt: string;
  stateAt: string;
  detail: string | null;
}

export type LockPurpose = 'NF' | 'OC';

export interface LockHolder extends Actor {
  orderId: string;
  purpose: LockPurpose;
  /** ISO with offset. */
  since: string;
  /** True while the holder's connection is gone but the grace period has not ended. */
  disconnected: boolean;
}

// ---- messages ------------------------------------------------------------------------

export interface StationCredential {
  id: string;
  secret: string;
}
export interface HelloParams {
  station: StationCredential;
  /** A user's session at the server (auth.signIn); absent on the station's own connection. */
  userToken?: string;
  protocol?: number;
}
export interface EnrollParams {
  workstation: string;
  /** enrollmentProof(code, fingerprint seen): the code itself never travels. */
  proof: string;
  protocol?: number;
}
export interface EnrollResult {
  stationId: string;
  secret: string;
  /** enrollmentServerProof(code, fingerprint, stationId): the server knew the code too. */
  serverProof: string;
  serverId: string;
  workstation: string;
}
export interface SignInResult {
  token: string;
  user: { login: string; name: string; roles: ('faturista' | 'administrador' | 'expedicao')[] };
  /** The verifier this station keeps for offline sign-in (src/core/session/offline-verifiers.ts). */
  offline: { verifier: string; issuedAt: string };
}
/** An enrolled station as the server lists it (the screen adds whether it is the current one). */
export type StationInfo = Omit<StationDto, 'current'>;
export interface ServerUserInfo {
  login: string;
  name: string;
  roles: ('faturista' | 'administrador' | 'expedicao')[];
  active: boolean;
  updatedAt: string;
  locked?: boolean;
}
export interface HelloResult {
  protocol: number;
  serverId: string;
  serverVersion: string;
  /** Capabilities of this session ('admin'…); roles will narrow them without a protocol change. */
  capabilities: string[];
  /** Remote address as the server sees it (what other faturistas will see on a lock). */
  ip: string;
  heartbeatMs: number;
  lockGraceMs: number;
  /** The enrolled name of this station, as the server knows it. */
  workstation: string;
  /** The user authenticated on this connection (null on the station's own). */
  user: string | null;
}

export interface AllocateParams {
  series: SeriesKey;
  orderId: string;
  /** The number shown to the faturista when the series was picked. */
  suggested?: number | null;
  /** Idempotency key: the same requestId always gets the same number. */
  requestId: string;
  /** Fencing token of the order lock; a stale token, or one held by someone else, is refused. */
  lockToken?: string | null;
}
export interface AllocateResult {
  series: SeriesKey;
  number: number;
  orderId: string;
  suggested: number | null;
  /** True when the number given differs from the suggested one (someone finalized first). */
  differsFromSuggested: boolean;
  /** True when this requestId (or the order's open allocation) had already been committed. */
  replayed: boolean;
  allocatedAt: string;
}

export interface UpdateStateParams {
  series: SeriesKey;
  number: number;
  state: NumberState;
  /** chNFe, nProt, cStat… free text for the audit trail. */
  detail?: string | null;
  /** With state "inutilizada": the SEFAZ protocol (procInutNFe), which the server verifies. */
  procInutNFe?: string;
}

export interface InutilizeParams {
  series: SeriesKey;
  first: number;
  last: number;
  /** nProt of the inutilização. */
  detail?: string | null;
  /** The SEFAZ protocol (procInutNFe: signed request + SEFAZ's signed cStat 102) for exactly this range. */
  procInutNFe: string;
}
export interface InutilizeResult {
  series: SeriesKey;
  first: number;
  last: number;
  count: number;
}

export interface SkippedRange {
  first: number;
  last: number;
  state: 'pending' | 'inutilizada';
  createdAt: string;
  reason: string | null;
}

export interface GapItem {
  first: number;
  last: number;
  /** Number state, or 'skipped' for a range the administrator jumped over. */
  state: NumberState | 'skipped';
  orderId: string | null;
  since: string;
  /** YYYY-MM-DD: the 10th of the month after the number was left behind (Ajuste SINIEF 07/05). */
  inutilizacaoDeadline: string;
  overdue: boolean;
}
export interface GapReport {
  series: SeriesKey;
  /** YYYY-MM-DD, server local date. */
  today: string;
  /** True when nothing was allocated today yet: the "first note of the day" moment. */
  firstNoteOfDay: boolean;
  /** Numbers not in a final state, left behind on earlier days. */
  pending: GapItem[];
  /** Unused numbers below an imported one; allocation will reach them normally. */
  holes: { first: number; last: number }[];
  blockedBy: number | null;
}

export interface ImportValidateParams {
  series: SeriesKey;
  number: number;
  requestId: string;
  /** chNFe / chCTe of the imported XML, kept as detail. */
  detail?: string | null;
  /** The signed NF-e (nfeProc or NFe) whose chave carries this CNPJ, model, série and number. */
  xml: string;
}
export interface ImportValidateResult {
  series: SeriesKey;
  number: number;
  accepted: true;
  /** True when the number is above próximo número: the hole before it appears in the gap report. */
  aboveNext: boolean;
  replayed: boolean;
}

export interface LockParams {
  orderId: string;
  purpose: LockPurpose;
  /** Idempotency key: a retry after a lost reply gets the same grant. */
  requestId?: string;
}
export type LockResult = { granted: true; orderId: string; purpose: LockPurpose; token: string; since: string } | { granted: false; holder: LockHolder };

export interface UnlockParams {
  orderId: string;
  token: string;
}
export interface ResumeLockParams {
  orderId: string;
  token: string;
}
/** A restarted station takes back a lock its dead process held (see owner-key.ts). */
export interface ReclaimLockParams {
  orderId: string;
  ownerKey: string;
}
export interface AdminReleaseParams {
  orderId: string;
  reason: string;
}

export interface SeriesCreateParams extends SeriesKey {
  emissaoPropria: boolean;
  active?: boolean;
  description?: string | null;
  /** Próximo número when the series starts in Comboio (continuing an earlier system). */
  nextNumber?: number;
}
export interface SeriesUpdateParams {
  series: SeriesKey;
  emissaoPropria?: boolean;
  active?: boolean;
  description?: string | null;
  reason?: string | null;
}
export interface SetNextNumberParams {
  series: SeriesKey;
  nextNumber: number;
  reason: string;
}
export interface SetNextNumberResult {
  series: SeriesInfo;
  /** Forward move: the numbers jumped over, now pending inutilização. */
  skipped: { first: number; last: number }[];
}

export interface AuditEntry extends Actor {
  id: number;
  at: string;
  action: string;
  target: string | null;
  oldValue: string | null;
  newValue: string | null;
  reason: string | null;
}

export interface HealthInfo {
  ok: true;
  serverId: string;
  version: string;
  protocol: number;
  uptimeSeconds: number;
  connections: number;
}

/** Request type → params/result. The server's dispatcher and the client's `call` are typed by it. */
export interface Messages {
  hello: { params: HelloParams; result: HelloResult };
  ping: { params: Record<string, never>; result: { serverTime: string } };
  'series.list': { params: { cnpj?: string }; result: SeriesInfo[] };
  'series.suggest': { params: { series: SeriesKey }; result: SeriesInfo };
  'series.create': { params: SeriesCreateParams; result: SeriesInfo };
  'series.update': { params: SeriesUpdateParams; result: SeriesInfo };
  'series.setNext': { params: SetNextNumberParams; result: SetNextNumberResult };
  'numbers.allocate': { params: AllocateParams; result: AllocateResult };
  'numbers.update': { params: UpdateStateParams; result: NumberRecord };
  'numbers.inutilize': { params: InutilizeParams; result: InutilizeResult };
  'numbers.get': { params: { series: SeriesKey; number: number }; result: NumberRecord };
  'numbers.gaps': { params: { series: SeriesKey }; result: GapReport };
  /** The establishment's next order number, and this station's tag for offline numbers (E<tag>-<n>). */
  'orderNumbers.take': { params: { cnpj: string }; result: { number: number; stationTag: number } };
  'import.validate': { params: ImportValidateParams; result: ImportValidateResult };
  'locks.acquire': { params: LockParams; result: LockResult };
  'locks.release': { params: UnlockParams; result: { released: true } };
  'locks.resume': { params: ResumeLockParams; result: LockResult };
  'locks.reclaim': { params: ReclaimLockParams; result: LockResult };
  'locks.list': { params: Record<string, never>; result: LockHolder[] };
  'locks.adminRelease': { params: AdminReleaseParams; result: { released: boolean; holder: LockHolder | null } };
  'audit.list': { params: { limit?: number }; result: AuditEntry[] };
  'auth.signIn': { params: { login: string; password: string }; result: SignInResult };
  'auth.signOut': { params: { token: string }; result: { signedOut: true } };
  'auth.changePassword': { params: { current: string; next: string }; result: { changed: true; offline: { verifier: string; issuedAt: string } } };
  'auth.offlineGrants': { params: Record<string, never>; result: { logins: string[] } };
  'users.list': { params: Record<string, never>; result: ServerUserInfo[] };
  'users.save': { params: { login: string; name: string; roles: ServerUserInfo['roles']; active: boolean; password?: string }; result: ServerUserInfo };
  'users.unlock': { params: { login: string }; result: { unlocked: true } };
  'stations.list': { params: Record<string, never>; result: StationInfo[] };
  'stations.newCode': { params: Record<string, never>; result: { code: string; expiresAt: string; fingerprint: string | null } };
  'stations.revoke': { params: { stationId: string; reason?: string }; result: StationInfo };
}
export type MessageType = keyof Messages;

export interface PushEvents {
  /** Any order lock ended (unlock, grace period over, administrator). */
  'lock.released': { orderId: string; purpose: LockPurpose; token: string; reason: 'unlock' | 'grace-expired' | 'admin'; by: Actor | null };
  /** The offline verifiers of `login` were withdrawn (on every station but `except`). */
  'auth.offline.revoked': { login: string; except: string | null };
  /** A station was revoked (sent just before its connections are closed). */
  'station.revoked': { stationId: string };
  /** A UF entered or left contingency (issue #20): every UF's state, as the server has it. */
  'contingency.changed': ContingencyChangedEvent;
  /** An establishment's contingency priority order changed. */
  'contingency.priority': { cnpj: string };
}
export type PushEventName = keyof PushEvents;

export interface WireError {
  code: string;
  message: string;
  field?: string;
  details?: unknown;
}
export type RequestFrame = { id: string | number; type: string; data?: unknown };
export type ReplyFrame = { id: string | number | null; ok: true; data: unknown } | { id: string | number | null; ok: false; error: WireError };
export type PushFrame = { event: string; data: unknown };

export function seriesLabel(s: SeriesKey): string {
  return `${s.model === 55 ? 'NF-e' : 'CT-e'} série ${s.serie} (CNPJ ${s.cnpj})`;
}

export function sameSeries(a: SeriesKey, b: SeriesKey): boolean {
  return a.cnpj === b.cnpj && a.model === b.model && a.serie === b.serie;
}
