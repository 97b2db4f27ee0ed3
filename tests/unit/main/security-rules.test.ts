import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { APP_INDEX_URL, denyPermission, externalLinkAllowed, isTrustedSender, resolveAppPath } from '../../../src/main/security-rules';

// Electron cannot run here (no binary): these are the window's decisions as plain functions,
// and below, their wiring with a mock standing in for Electron (said in the test names).
const DIR = join('/opt', 'comboio', 'renderer');

describe('app:// protocol path resolution', () => {
  it('serves files of the renderer build and falls back to index.html for routes', () => {
    expect(resolveAppPath(DIR, APP_INDEX_URL)).toBe(join(DIR, 'index.html'));
    expect(resolveAppPath(DIR, 'app://comboio/')).toBe(join(DIR, 'index.html'));
    expect(resolveAppPath(DIR, 'app://comboio/assets/index-1.js')).toBe(join(DIR, 'assets', 'index-1.js'));
    expect(resolveAppPath(DIR, 'app://comboio/faturamento/pedidos')).toBe(join(DIR, 'index.html'));
  });

  it('refuses traversal (plain, encoded, double-encoded, backslashes), NUL bytes and other hosts or schemes', () => {
    for (const url of [
      'app://comboio/../../etc/passwd',
      'app://comboio/%2e%2e/%2e%2e/etc/passwd',
      'app://comboio/assets/%2e%2e%2f%2e%2e%2f..%2fpackage.json',
      'app://comboio/..%5c..%5cwindows%5cwin.ini',
      'app://comboio/index.html%00.png',
      'app://outro/index.html',
      'file:///etc/passwd',
      'app://comboio/%E0%A4%A',
    ]) {
      const r = resolveAppPath(DIR, url);
      expect(r === null || (r.startsWith(DIR + '/') && !r.includes('..')), url).toBe(true);
    }
    expect(resolveAppPath(DIR, 'app://comboio/%2e%2e/%2e%2e/etc/passwd')).toBeNull();
    expect(resolveAppPath(DIR, 'app://outro/index.html')).toBeNull();
    expect(resolveAppPath(DIR, 'app://comboio/index.html%00.png')).toBeNull();
  });
});

describe('IPC sender validation', () => {
  it('accepts only the top frame of app://comboio (or the dev server in development)', () => {
    expect(isTrustedSender({ url: APP_INDEX_URL, isMainFrame: true })).toBe(true);
    expect(isTrustedSender({ url: APP_INDEX_URL, isMainFrame: false })).toBe(false);
    expect(isTrustedSender({ url: 'file:///opt/comboio/renderer/index.html', isMainFrame: true })).toBe(false);
    expect(isTrustedSender({ url: 'https://evil.example/', isMainFrame: true })).toBe(false);
    expect(isTrustedSender({ url: 'app://comboio.evil/', isMainFrame: true })).toBe(false);
    expect(isTrustedSender(null)).toBe(false);
    expect(isTrustedSender({ url: 'http://localhost:5173/', isMainFrame: true }, 'http://localhost:5173')).toBe(true);
    expect(isTrustedSender({ url: 'http://localhost:5174/', isMainFrame: true }, 'http://localhost:5173')).toBe(false);
  });

  it('denies every permission and lets only https links out', () => {
    for (const p of ['media', 'geolocation', 'notifications', 'clipboard-read', 'serial', 'hid', 'openExternal']) expect(denyPermission(p)).toBe(false);
    expect(externalLinkAllowed('https://www.nfe.fazenda.gov.br/')).toBe(true);
    expect(externalLinkAllowed('file:///C:/Windows/System32/calc.exe')).toBe(false);
    expect(externalLinkAllowed('ms-msdt:/id')).toBe(false);
  });
});

const electronMock = vi.hoisted(() => ({
  handlers: {} as Record<string, unknown>,
  schemes: [] as unknown[],
}));
vi.mock('electron', () => ({
  app: { isPackaged: true },
  net: { fetch: (url: string) => Promise.resolve(new Response(`fetched ${url}`)) },
  protocol: {
    registerSchemesAsPrivileged: (s: unknown[]) => electronMock.schemes.push(...s),
    handle: (scheme: string, h: unknown) => (electronMock.handlers[`protocol:${scheme}`] = h),
  },
  session: {
    defaultSession: {
      setPermissionRequestHandler: (h: unknown) => (electronMock.handlers.request = h),
      setPermissionCheckHandler: (h: unknown) => (electronMock.handlers.check = h),
      setDevicePermissionHandler: (h: unknown) => (electronMock.handlers.device = h),
    },
  },
}));

describe('hardening wiring (MOCK: a stand-in for Electron, whose binary cannot run here)', () => {
  it('registers app:// as secure, serves the build through it, 404s traversal, and installs deny-all permission handlers', async () => {
    const h = await import('../../../src/main/hardening');
    h.registerAppScheme();
    expect(electronMock.schemes).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
    h.installHardening(DIR);
    const serve = electronMock.handlers['protocol:app'] as (r: { url: string }) => Promise<Response> | Response;
    expect(await (await serve({ url: 'app://comboio/assets/a.js' })).text()).toBe(`fetched file://${join(DIR, 'assets', 'a.js')}`);
    expect((await serve({ url: 'app://comboio/%2e%2e/%2e%2e/etc/passwd' })).status).toBe(404);
    const answers: boolean[] = [];
    (electronMock.handlers.request as (wc: unknown, p: string, cb: (ok: boolean) => void) => void)({}, 'media', (ok) => answers.push(ok));
    expect(answers).toEqual([false]);
    expect((electronMock.handlers.check as (wc: unknown, p: string) => boolean)({}, 'clipboard-read')).toBe(false);
    expect((electronMock.handlers.device as () => boolean)()).toBe(false);
    const main = { url: APP_INDEX_URL };
    const ev = (frame: { url: string } | null, isMain = true) => ({ senderFrame: frame, sender: { mainFrame: isMain ? frame : {} } }) as never;
    expect(h.trustedIpc(ev(main))).toBe(true);
    expect(h.trustedIpc(ev(main, false))).toBe(false);
    expect(h.trustedIpc(ev({ url: 'https://evil.example/' }))).toBe(false);
    expect(h.trustedIpc(ev(null))).toBe(false);
  });
});
