import { isAbsolute, join, normalize, relative, sep } from 'node:path';

/**
 * The Electron window's security decisions as plain functions (no `electron` import), so
 * they are unit-tested in Node; src/main/hardening.ts wires them into Electron.
 */

/** The renderer is served from app://comboio/… (a standard, secure scheme), never file://. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'comboio';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_INDEX_URL = `${APP_ORIGIN}/index.html`;

/**
 * The file of the renderer build an app:// request names, or null: another host, a path
 * that climbs out of the renderer folder (also when percent-encoded), or a NUL byte.
 * "/" and routes without an extension fall back to index.html (single-page app).
 */
export function resolveAppPath(rendererDir: string, requestUrl: string): string | null {
  // URL parsing folds "/../" (and "%2e%2e") away; a request that spelled one is refused
  // outright rather than quietly served something else.
  let raw: string;
  try {
    raw = decodeURIComponent(requestUrl.replace(/[?#].*$/, ''));
  } catch {
    return null;
  }
  if (/(^|[/\\])\.\.([/\\]|$)/.test(raw.replace(/^[a-z]+:\/\/[^/]*/i, ''))) return null;
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return null;
  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  if (path.includes('\0') || path.includes('\\')) return null;
  const rel = normalize(path).replace(/^[/\\]+/, '');
  if (rel === '' || rel === '.') return join(rendererDir, 'index.html');
  const file = join(rendererDir, rel);
  const back = relative(rendererDir, file);
  if (back.startsWith('..') || isAbsolute(back) || back.split(sep).includes('..')) return null;
  if (!/\.[a-z0-9]+$/i.test(rel)) return join(rendererDir, 'index.html');
  return file;
}

/**
 * Whether an IPC message comes from our own page: the top frame showing app://comboio/
 * (or, in development only, the electron-vite dev server's origin). A frame the window was
 * navigated to, an iframe or a page of another origin is refused.
 */
export function isTrustedSender(frame: { url: string; isMainFrame: boolean } | null | undefined, devServerUrl?: string | null): boolean {
  if (!frame || !frame.isMainFrame) return false;
  let origin: string;
  try {
    const u = new URL(frame.url);
    // Custom schemes have an opaque "null" origin in WHATWG URL; compare scheme + host.
    origin = u.protocol === `${APP_SCHEME}:` ? `${u.protocol}//${u.host}` : u.origin;
  } catch {
    return false;
  }
  if (origin === APP_ORIGIN) return true;
  if (devServerUrl) {
    try {
      return origin === new URL(devServerUrl).origin;
    } catch {
      return false;
    }
  }
  return false;
}

/**
 * Camera, microphone, geolocation, notifications, clipboard, HID/serial from the page…:
 * the renderer needs none of them (serial printers are opened by the main process), so
 * every request and every check is denied.
 */
export function denyPermission(_permission: string): false {
  return false;
}

/** Only https links leave the app, and they go to the system browser. */
export function externalLinkAllowed(url: string): boolean {
  try {
    return new URL(url).protocol === 'https:';
  } catch {
    return false;
  }
}
