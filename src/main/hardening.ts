import { app, net, protocol, session, type IpcMainInvokeEvent } from 'electron';
import { pathToFileURL } from 'node:url';
import { APP_SCHEME, denyPermission, isTrustedSender, resolveAppPath } from './security-rules';

/**
 * Electron hardening (issue #16): the app:// protocol instead of file://, a deny-all
 * permission handler, and IPC sender validation. The decisions live in security-rules.ts.
 */

/** Must run before `app` is ready: app:// behaves like https (secure context, fetch, CORS). */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

/** After ready: serves the renderer build on app://comboio/ and denies every permission. */
export function installHardening(rendererDir: string): void {
  protocol.handle(APP_SCHEME, (request) => {
    const file = resolveAppPath(rendererDir, request.url);
    if (!file) return new Response('Não encontrado', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } });
    return net.fetch(pathToFileURL(file).toString());
  });
  const s = session.defaultSession;
  s.setPermissionRequestHandler((_wc, permission, callback) => callback(denyPermission(permission)));
  s.setPermissionCheckHandler((_wc, permission) => denyPermission(permission));
  s.setDevicePermissionHandler(() => false);
}

/** The dev server the window may show (never in a packaged app). */
export function devServerUrl(): string | null {
  return !app.isPackaged ? (process.env.ELECTRON_RENDERER_URL ?? null) : null;
}

/** Whether an ipcMain.handle call comes from our own top frame. */
export function trustedIpc(event: IpcMainInvokeEvent): boolean {
  const frame = event.senderFrame;
  return isTrustedSender(frame ? { url: frame.url, isMainFrame: frame === event.sender.mainFrame } : null, devServerUrl());
}
