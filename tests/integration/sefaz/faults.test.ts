import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SefazOutbox, stateLabel } from '../../../src/core/sefaz/outbox';
import type { Store } from '../../../src/core/store/open';
import type { Mode } from '../../../src/sefaz-sim/faults';
import { tempDir } from '../../helpers/tmp';
import { clientCertificate, client, openTestStore, signedNfe, startSimProcess, type SimProcess } from './harness';

const BACKOFF = { baseMs: 100, maxMs: 400, throttleMs: 1500, consultDelayMs: 100, settleMs: 1200 };

describe('fault modes of the simulator, each ending in the right state', () => {
  const tmp = tempDir('comboio-sefaz-faults-');
  let sim: SimProcess;
  let store: Store;
  let cert: ReturnType<typeof clientCertificate>;
  let nNF = 500;

  beforeAll(async () => {
    sim = await startSimProcess(join(tmp.dir, 'sim'), ['--slow-ms', '1500']);
    cert = clientCertificate(sim);
    store = openTestStore(join(tmp.dir, 'ws'));
  });
  afterAll(async () => {
    store?.close();
    await sim?.proc.kill();
    tmp.cleanup();
  });

  /** Sends one NF-e under `mode`, lets the outbox try for `faultyMs`, then heals SEFAZ and drains. */
  async function run(mode: Mode, faultyMs: number, sync = true) {
    const c = client(sim, cert, 800);
    const box = new SefazOutbox({ store, client: c, outDir: join(tmp.dir, 'out'), backoff: BACKOFF, sync });
    const nfe = signedNfe(cert, ++nNF);
    await sim.setFaults({ mode });
    box.enqueue(nfe.xml);
    const stillLive = await box.drain(faultyMs);
    const during = box.get(nfe.chave)!;
    await sim.setFaults({ mode: 'normal' });
    await box.drain(15_000);
    const after = box.get(nfe.chave)!;
    const messages = box.messages(nfe.chave);
    c.close();
    return { nfe, during, after, messages, stillLive };
  }

  test('connection refused: queued as "aguardando SEFAZ", sent by itself when SEFAZ returns', async () => {
    const r = await run('recusando', 1000);
    expect(r.during.state).toBe('queued');
    expect(r.during.attempts).toBeGreaterThan(1);
    expect(stateLabel(r.during)).toMatch(/Aguardando SEFAZ/);
    expect(r.messages.filter((m) => m.outcome === 'unreachable').length).toBeGreaterThan(0);
    expect(r.after.state).toBe('authorized');
  });

  test('108 paralisado: nothing processed, retried with backoff, then authorized', async () => {
    const r = await run('paralisado', 800);
    expect([r.during.state, r.during.cStat]).toEqual(['queued', '108']);
    expect(r.after.state).toBe('authorized');
  });

  test('109 paralisado sem previsão behaves the same', async () => {
    const r = await run('paralisado-sem-previsao', 500);
    expect([r.during.state, r.during.cStat]).toEqual(['queued', '109']);
    expect(r.after.state).toBe('authorized');
  });

  test('656 consumo indevido: backs off for the throttle period', async () => {
    const before = Date.now();
    const r = await run('consumo-indevido', 400);
    expect([r.during.state, r.during.cStat]).toEqual(['queued', '656']);
    expect(r.during.nextAttemptAt).toBeGreaterThanOrEqual(before + BACKOFF.throttleMs - 50);
    expect(r.messages.filter((m) => m.cStat === '656')).toHaveLength(1);
    expect(r.after.state).toBe('authorized');
  });

  test('authorized but no reply (the 539 trap): consulted by chave, never resent', async () => {
    const r = await run('sem-resposta', 600);
    expect(r.during.state).toBe('unknown');
    expect(r.after.state).toBe('authorized');
    const sends = r.messages.filter((m) => m.service === 'autorizacao');
    expect(sends).toHaveLength(1);
    expect(sends[0]!.outcome).toBe('no-reply');
    expect(r.messages.some((m) => m.service === 'consultaProtocolo' && m.cStat === '100')).toBe(true);
    expect(r.messages.some((m) => m.cStat === '539' || m.cStat === '204')).toBe(false);
  });

  test('slow SEFAZ (reply after the client timeout): recovered by consulta after the settle window', async () => {
    const r = await run('lento', 2500);
    expect(r.after.state).toBe('authorized');
    expect(r.messages.some((m) => m.cStat === '539')).toBe(false);
    const state = await sim.state();
    expect(state.replies['autorizacao:doc']?.['539']).toBeUndefined();
  });

  test('random rejections: clearly rejected, number kept for a corrected resend', async () => {
    await sim.setFaults({ rejectRate: 1 });
    const r = await run('rejeicoes', 2000);
    expect(r.during.state).toBe('rejected');
    expect(r.after.state).toBe('rejected');
    expect(stateLabel(r.after)).toMatch(/Rejeitada/);
  });

  test('async lote whose 103 reply is lost: found by chave', async () => {
    const r = await run('sem-resposta', 600, false);
    expect(r.after.state).toBe('authorized');
  });

  test('consultas tell the truth after a simulator restart', async () => {
    const c0 = client(sim, cert);
    const nfe = signedNfe(cert, ++nNF);
    expect((await c0.sendNFe(nfe.xml, nfe.chave, true)).prot?.cStat).toBe('100');
    c0.close();
    await sim.proc.kill();
    sim = await startSimProcess(join(tmp.dir, 'sim'), ['--slow-ms', '1500']);
    const c = client(sim, cert);
    const q = await c.consult(nfe.chave);
    expect([q.cStat, q.chNFe]).toEqual(['100', nfe.chave]);
    expect((await c.sendNFe(nfe.xml, nfe.chave, true)).prot?.cStat).toBe('204');
    c.close();
  });
});
