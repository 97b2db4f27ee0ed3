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

export interface SyncStatus {
  online: boolean;
  /** Local changes not yet accepted by the LAN server. */
  pending: number;
  /** Local changes the server refused; shown until the user dismisses them. */
  rejected: number;
  lastSyncAt: string | null;
}

export interface StatusSnapshot {
  lanServer: ServiceStatus;
  sefaz: ServiceStatus;
  printer: ServiceStatus;
  sync: SyncStatus;
  /** The UF's contingency (issue #20): red while in it (since when, why), the return once it ended. */
  contingencia?: ServiceStatus;
}

export interface RejectedChangeDto {
  mutationId: string;
  collection: string;
  recordId: string;
  /** What a person calls the record ("Pedido 12", "Cliente AUTO POSTO…"), never its id. */
  what?: string;
  code: string;
  message: string;
  at: string;
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
  'sync.rejections': { params: void; result: RejectedChangeDto[] };
  'sync.dismiss': { params: { mutationId: string }; result: null };
  /**
   * Administrador: builds this station's copy of the shared records again from the LAN server
   * ("Reconstruir dados locais"); changes not yet sent, and refused ones, are kept.
   */
  'sync.rebuild': { params: void; result: { records: number; pending: number; at: string } };
}

export const appMethodNames = {
  'app.info': true,
  'app.status': true,
  'settings.get': true,
  'settings.set': true,
  'sync.rejections': true,
  'sync.dismiss': true,
  'sync.rebuild': true,
} as const satisfies Record<keyof AppMethods, true>;

export interface AppEvents {
  'status.changed': StatusSnapshot;
}
