/** Application-wide methods: identity, status bar, settings. */

export type ConnectionState = 'online' | 'offline' | 'connecting' | 'embedded' | 'unconfigured';

export interface ServiceStatus {
  state: ConnectionState | 'ok' | 'error' | 'idle';
  /** Short pt-BR label for the status bar. */
  label: string;
  detail?: string;
  /** ISO instant of the last change. */
  since?: string;
}

export interface StatusSnapshot {
  lanServer: ServiceStatus;
  sefaz: ServiceStatus;
  printer: ServiceStatus;
}

export interface AppInfo {
  name: string;
  version: string;
  /** 'electron' | 'web' | 'test' — the transport that carries this session. */
  host: string;
  dataDir: string;
  schemaVersion: number;
  startedAt: string;
}

export interface AppMethods {
  'app.info': { params: void; result: AppInfo };
  'app.status': { params: void; result: StatusSnapshot };
  'settings.get': { params: { key: string }; result: { key: string; value: unknown } };
  'settings.set': { params: { key: string; value: unknown }; result: { key: string; value: unknown } };
}

export const appMethodNames = {
  'app.info': true,
  'app.status': true,
  'settings.get': true,
  'settings.set': true,
} as const satisfies Record<keyof AppMethods, true>;

export interface AppEvents {
  'status.changed': StatusSnapshot;
}
