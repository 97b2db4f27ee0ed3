/** Contingency (issue #20): the office's per-UF state, priority orders, manual entry, the pending report. */

export type ContingencyOptionDto = 'svc' | 'epec' | 'fsda' | 'nenhuma';
export type ContingencyModel = 'nfe' | 'cte';

/** One UF and model: in contingency (active) or back to normal (the last return, kept to show it). */
export interface UfContingencyDto {
  uf: string;
  model: ContingencyModel;
  active: boolean;
  /** Entry time (ISO with offset) and why: the failure a station saw, or the administrator's xJust. */
  since: string;
  reason: string;
  /** 'auto' = a failed exchange put it there; 'manual' = an administrator (only one leaves it). */
  source: 'auto' | 'manual';
  /** Who entered it: user and station as the server verified them. */
  user: string;
  workstation: string;
  /** When and why it ended (null while active). */
  endedAt: string | null;
  endReason: string | null;
  endedBy: string | null;
}

export interface PriorityDto {
  cnpj: string;
  nfe: ContingencyOptionDto[];
  cte: ContingencyOptionDto[];
  /** False while the establishment still has the default order. */
  configured: boolean;
  updatedAt: string | null;
  updatedBy: string | null;
}

export interface ContingencyStateDto {
  /** The UF this station emits in (Administração > SEFAZ). */
  uf: string | null;
  /** Whether the office's board was read from the LAN server (false: the station's own state). */
  shared: boolean;
  /** The station's UF, per model: active entry (or null). */
  nfe: { since: string; reason: string; source: 'auto' | 'manual'; actor: string } | null;
  cte: { since: string; reason: string; source: 'auto' | 'manual'; actor: string } | null;
  /** Every UF the server knows (entries and last returns); empty offline. */
  board: UfContingencyDto[];
}

export type ContingencyDocKind = 'svc' | 'epec' | 'fsda' | 'pendente' | 'descarte';

export interface ContingencyPendingDto {
  chave: string;
  model: ContingencyModel;
  uf: string;
  serie: number;
  numero: number;
  kind: ContingencyDocKind;
  /** What it is in words: 'EPEC', 'FS-DA', 'SVC-AN', 'Descarte (108)'. */
  modo: string;
  emitidoEm: string;
  /** Hours since it was issued. */
  idadeHoras: number;
  /** Last moment to transmit it (EPEC / FS-DA: 168 h after the entry), null when none applies. */
  prazo: string | null;
  /** Hours left to the deadline (negative: late). */
  horasRestantes: number | null;
  situacao: string;
}

export interface ContingencyAuditDto {
  at: string;
  uf: string;
  chave: string | null;
  action: string;
  detail: string;
  actor: string;
}

export interface ContingencyMethods {
  'contingency.state': { params: void; result: ContingencyStateDto };
  'contingency.priority.get': { params: void; result: PriorityDto };
  'contingency.priority.save': { params: { model: ContingencyModel; options: ContingencyOptionDto[] }; result: PriorityDto };
  'contingency.enter': { params: { model: ContingencyModel; xJust: string }; result: ContingencyStateDto };
  'contingency.leave': { params: { model: ContingencyModel; xJust: string }; result: ContingencyStateDto };
  /** Documents issued in contingency not yet authorized by the normal authorizer, oldest deadline first (paged). */
  'contingency.pending': { params: { limit?: number; offset?: number }; result: { items: ContingencyPendingDto[]; total: number } };
  'contingency.audit': { params: { limit?: number }; result: ContingencyAuditDto[] };
}

export const contingencyMethodNames = {
  'contingency.state': true,
  'contingency.priority.get': true,
  'contingency.priority.save': true,
  'contingency.enter': true,
  'contingency.leave': true,
  'contingency.pending': true,
  'contingency.audit': true,
} as const satisfies Record<keyof ContingencyMethods, true>;

export const CONTINGENCY_OPTION_LABELS: Record<ContingencyOptionDto, string> = { svc: 'SVC', epec: 'EPEC', fsda: 'FS-DA', nenhuma: 'Nenhuma' };
