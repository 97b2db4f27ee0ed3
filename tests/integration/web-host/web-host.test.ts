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

  it('answers nothing but sign-in and app info without a session (issue #16: the LAN token and SEFAZ settings were open)', async () => {
    for (const [method, body] of [
      ['settings.get', { key: 'lan.config' }],
      ['settings.set', { key: 'sefaz.config', value: { environment: 'producao' } }],
      ['documents.list', {}],
      ['users.list', {}],
    ] as const) {
      const res = await post(`/api/${method}`, JSON.stringify(body));
      expect(res.status, method).toBe(401);
      expect(await res.json()).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    }
    // A made-up session is no session.
    expect((await post('/api/settings.get', '{"key":"lan.config"}', { 'x-comboio-session': 'inventada' })).status).toBe(401);
    for (const method of ['app.info', 'app.status', 'auth.hints', 'auth.me']) expect((await post(`/api/${method}`, '')).status, method).toBe(200);
    const login = await post('/api/auth.login', JSON.stringify({ login: 'admin', password: 'admin123' }));
    const { data } = (await login.json()) as { data: { session: string } };
    const got = await post('/api/settings.get', '{"key":"sefaz.config"}', { 'x-comboio-session': data.session });
    expect(await got.json()).toMatchObject({ ok: true, data: { key: 'sefaz.config', value: { environment: 'simulador' } } });

    // A signed-in faturista still cannot point the station at another SEFAZ or LAN server.
    const fat = (await (await post('/api/auth.login', JSON.stringify({ login: 'faturista', password: 'fatura123' }))).json()) as { data: { session: string } };
    for (const [method, body] of [
      ['settings.set', { key: 'sefaz.config', value: { environment: 'simulador', simulatorUrl: 'https://outro.example' } }],
      ['settings.set', { key: 'lan.embedded', value: false }],
      ['settings.get', { key: 'lan.station' }],
    ] as const) {
      expect(await (await post(`/api/${method}`, JSON.stringify(body), { 'x-comboio-session': fat.data.session })).json(), `${method} ${body.key}`).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }
    // Their own preferences are theirs.
    expect(await (await post('/api/settings.set', JSON.stringify({ key: 'user.printTo', value: 'pdf' }), { 'x-comboio-session': fat.data.session })).json()).toMatchObject({ ok: true });
  });

  it('serves only requests addressed to its own loopback address (DNS rebinding)', async () => {
    const u = new URL(base);
    const withHost = (host: string, path: string, method = 'GET') =>
      new Promise<number>((ok, fail) => {
        const req = request({ host: u.hostname, port: u.port, path, method, headers: { Host: host, 'Content-Type': 'application/json' } }, (res) => {
          res.resume();
          ok(res.statusCode!);
        });
        req.on('error', fail);
        req.end(method === 'POST' ? '' : undefined);
      });
    expect(await withHost(`rebind.example:${u.port}`, '/')).toBe(421);
    expect(await withHost(`rebind.example:${u.port}`, '/api/app.info', 'POST')).toBe(421);
    expect(await withHost(`127.0.0.1:${Number(u.port) + 1}`, '/api/app.info', 'POST')).toBe(421);
    expect(await withHost(`127.0.0.1:${u.port}`, '/api/app.info', 'POST')).toBe(200);
    expect(await withHost(`localhost:${u.port}`, '/api/app.info', 'POST')).toBe(200);
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
