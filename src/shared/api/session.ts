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
}

export interface SessionMethods {
  'auth.login': { params: { login: string; password: string }; result: SessionInfo };
  'auth.logout': { params: void; result: null };
  'auth.me': { params: void; result: SessionInfo | null };
  /** Demo installations show their seeded users on the sign-in screen. */
  'auth.hints': { params: void; result: { demo: boolean; users: { login: string; password: string; roles: Role[] }[] } };
  'users.list': { params: void; result: UserDto[] };
  'users.save': { params: { login: string; name: string; roles: Role[]; active: boolean; password?: string }; result: UserDto };
}

export const sessionMethodNames = {
  'auth.login': true,
  'auth.logout': true,
  'auth.me': true,
  'auth.hints': true,
  'users.list': true,
  'users.save': true,
} as const satisfies Record<keyof SessionMethods, true>;
