/** Sign-in and roles. Users live on the LAN server and replicate to workstations. */

export type Role = 'faturista' | 'administrador' | 'expedicao';

export const ROLE_LABELS: Record<Role, string> = {
  faturista: 'Faturista',
  administrador: 'Administrador',
  expedicao: 'Expedição',
};

export interface SessionUser {
  login: string;
  name: string;
  roles: Role[];
}

export interface SessionInfo {
  session: string;
  user: SessionUser;
  workstation: string;
}

export interface UserDto extends SessionUser {
  active: boolean;
  updatedAt?: string;
  /** Locked out after too many wrong passwords (only known while the LAN server answers). */
  locked?: boolean;
}

/** A station enrolled at the LAN server (Administração › Estações). */
export interface StationDto {
  id: string;
  name: string;
  enrolledAt: string;
  enrolledBy: string;
  lastSeenAt: string | null;
  lastIp: string | null;
  revokedAt: string | null;
  /** The station this window runs on (cannot revoke itself). */
  current: boolean;
}

export interface EnrollmentCodeDto {
  code: string;
  expiresAt: string;
  /** SHA-256 of the server's TLS certificate, for the new station to confirm (null without TLS). */
  fingerprint: string | null;
}

export interface SessionMethods {
  'auth.login': { params: { login: string; password: string }; result: SessionInfo };
  'auth.logout': { params: void; result: null };
  'auth.me': { params: void; result: SessionInfo | null };
  /** Demo installations show their seeded users on the sign-in screen. */
  'auth.hints': { params: void; result: { demo: boolean; users: { login: string; password: string; roles: Role[] }[] } };
  'users.list': { params: void; result: UserDto[] };
  'users.save': { params: { login: string; name: string; roles: Role[]; active: boolean; password?: string }; result: UserDto };
  /** Administrator: lifts a lockout after too many wrong passwords. */
  'users.unlock': { params: { login: string }; result: null };
  /** The signed-in user's own password: needs the current one (an administrator resets others' through users.save). */
  'auth.changePassword': { params: { current: string; next: string }; result: null };
  'stations.list': { params: void; result: StationDto[] };
  /** A one-time code to enroll a new station, with the server's fingerprint to confirm there. */
  'stations.enroll': { params: void; result: EnrollmentCodeDto };
  'stations.revoke': { params: { stationId: string; reason: string }; result: null };
}

export const sessionMethodNames = {
  'auth.login': true,
  'auth.logout': true,
  'auth.me': true,
  'auth.hints': true,
  'users.list': true,
  'users.save': true,
  'users.unlock': true,
  'auth.changePassword': true,
  'stations.list': true,
  'stations.enroll': true,
  'stations.revoke': true,
} as const satisfies Record<keyof SessionMethods, true>;
