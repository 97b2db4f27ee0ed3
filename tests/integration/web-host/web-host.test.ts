import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnComboio, type Proc } from '../../helpers/proc';
import { tempDir } from '../../helpers/tmp';

const tmp = tempDir();
let web: Proc;
let base: string;

beforeAll(async () => {
  web = spawnComboio(['web', '--port', '0', '--data', tmp.dir]);
  const m = await web.waitFor(/Comboio aberto em (http:\/\/\S+)/, 30_000);
  base = m[1]!;
});
afterAll(async () => {
  await web?.kill();
  tmp.cleanup();
});

function post(path: string, body: string, headers: Record<string, string> = {}) {
  return fetch(new URL(path, base), { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body });
}

describe('browser host (real process, real socket)', () => {
  it('binds to loopback by default', () => {
    expect(new URL(base).hostname).toBe('127.0.0.1');
  });

  it('serves the renderer with a strict CSP', async () => {
    const res = await fetch(base);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await res.text()).toContain('<div id="root">');
  });

  it('carries the Api: POST /api/:method returns the envelope', async () => {
    const res = await post('/api/app.info', '');
    expect(await res.json()).toMatchObject({ ok: true, data: { name: 'Comboio', host: 'web', dataDir: tmp.dir } });
  });

  it('answers malformed JSON, unknown methods and cross-site calls with coded errors', async () => {
    const bad = await post('/api/settings.set', '{"key": ');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ ok: false, error: { code: 'MALFORMED_REQUEST' } });
    const unknown = await post('/api/x.y', '{}');
    expect(await unknown.json()).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    const cross = await post('/api/app.info', '', { Origin: 'http://evil.example' });
    expect(cross.status).toBe(403);
    const get = await fetch(new URL('/api/app.info', base));
    expect(get.status).toBe(405);
  });

  it('refuses path traversal out of the renderer folder', async () => {
    const status = await new Promise<number>((ok) => {
      const u = new URL(base);
      request({ host: u.hostname, port: u.port, path: '/../../package.json' }, (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => ok(body.includes('"name": "comboio"') ? 999 : res.statusCode!));
      }).end();
    });
    expect(status).not.toBe(999);
  });

  it('opens the server-sent events stream', async () => {
    const ctrl = new AbortController();
    const res = await fetch(new URL('/api/events', base), { signal: ctrl.signal });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(first).toContain(': conectado');
    ctrl.abort();
  });
});
