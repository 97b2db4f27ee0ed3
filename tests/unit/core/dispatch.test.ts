import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../src/core/app';
import { dispatch } from '../../../src/core/handlers';
import { API_METHOD_NAMES } from '../../../src/shared/api/index';
import { tempDir } from '../../helpers/tmp';

const tmp = tempDir();
let core: Core;
const ctx = { origin: 'test' };

beforeAll(() => {
  core = createCore({ dataDir: tmp.dir, host: 'test' });
});
afterAll(async () => {
  await core.close();
  tmp.cleanup();
});

describe('handlers through dispatch (direct transport)', () => {
  it('has a handler for every method of the contract', () => {
    for (const m of API_METHOD_NAMES) expect(typeof core.handlers[m], m).toBe('function');
  });

  it('answers app.info with this data folder', async () => {
    const r = await dispatch(core.handlers, 'app.info', undefined, ctx);
    expect(r.ok && (r.data as { dataDir: string }).dataDir).toBe(tmp.dir);
  });

  it('wraps an unknown method in the error envelope', async () => {
    const r = await dispatch(core.handlers, 'nao.existe', {}, ctx);
    expect(r).toEqual({ ok: false, error: { code: 'UNKNOWN_METHOD', message: 'Operação desconhecida: nao.existe' } });
  });

  it('stores settings durably and refuses unknown keys in Portuguese', async () => {
    const set = await dispatch(core.handlers, 'settings.set', { key: 'ui.tema', value: { escuro: true } }, ctx);
    expect(set.ok).toBe(true);
    const again = createCore({ dataDir: tmp.dir, host: 'test' });
    const got = await dispatch(again.handlers, 'settings.get', { key: 'ui.tema' }, ctx);
    await again.close();
    expect(got).toEqual({ ok: true, data: { key: 'ui.tema', value: { escuro: true } } });
    const bad = await dispatch(core.handlers, 'settings.set', { key: '../etc', value: 1 }, ctx);
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', field: 'key', message: 'Configuração desconhecida.' } });
    const missing = await dispatch(core.handlers, 'settings.get', undefined, ctx);
    expect(missing).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('reports an unexpected failure as INTERNAL without leaking its text', async () => {
    const broken = { ...core.handlers, 'app.info': () => { throw new Error('segredo interno'); } };
    const r = await dispatch(broken, 'app.info', undefined, ctx);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.code).toBe('INTERNAL');
    expect(JSON.stringify(r)).not.toContain('segredo');
  });
});
