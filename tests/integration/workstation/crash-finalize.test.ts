import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CRASH_POINTS, type CrashPoint } from '../../../src/core/crash-points';
import { numberingFaults, serverAudit, serverLocks, serverNumbers, simNotes, stationJournal, stationSentChaves } from '../../helpers/crash-audit';
import { draftOrder, startOffice, waitUntil, type Client, type Office, type Station } from '../../helpers/office';
import { tempDir } from '../../helpers/tmp';

// A real LAN server, SEFAZ simulator and station, each its own process. For every step of a
// finalize, the station dies (SIGKILL, via COMBOIO_CRASH_AT) right after it and is started
// again; what it left half-done must finish by itself.
const tmp = tempDir('comboio-crash-');
let office: Office;
let st: Station;

// A long lock grace: only the restarted station's reclaim can free a lock within the test.
beforeAll(async () => {
  office = await startOffice(tmp.dir, { lockGraceSeconds: 600 });
  st = await office.addStation('estacao-a');
}, 180_000);

afterAll(async () => {
  await office?.close();
  tmp.cleanup();
});

interface Order { id: string; status: string }
interface Doc { status: string; number: number; chave: string }

const FINAL = new Set(['autorizada', 'rejeitada', 'denegada']);
const FINALIZE_STEPS = CRASH_POINTS.filter((s) => s.startsWith('finalize.') || s.startsWith('outbox.'));
/** Steps at which the dead process held the order's lock: the restarted station must take it back. */
const LOCK_HELD_AT: ReadonlySet<CrashPoint> = new Set(['finalize.locked', 'finalize.allocated', 'finalize.signed', 'finalize.committed', 'finalize.transmitted']);

async function finalize(c: Client, orderId: string) {
  const [series] = await c.call<{ id: string; suggested: number }[]>('billing.series', { model: 55 });
  return c.raw('billing.finalize', { orderId, seriesId: series!.id, suggested: series!.suggested, requestId: randomUUID(), printTo: 'none' });
}

const settled: { step: string; seconds: number }[] = [];

describe('a station killed right after each finalize step', () => {
  it.each(FINALIZE_STEPS)('after %s: the note ends authorized once, under one chave, and the lock comes back', async (step) => {
    await st.restart({ COMBOIO_CRASH_AT: step });
    const fat = await st.login('faturista', 'fatura123');
    const order = await draftOrder(fat);
    const reclaimsBefore = serverAudit(office.lan.dataDir, 'lock.reclaim').length;
    // The station dies while answering: the request fails or never returns.
    const reply = finalize(fat, order.id).catch(() => null);
    const died = await Promise.race([st.proc.exited.then(() => true), new Promise<false>((ok) => setTimeout(() => ok(false), 30_000))]);
    if (!died) throw new Error(`the station did not reach ${step}: ${JSON.stringify(await reply)}`);
    expect(st.proc.child.signalCode).toBe('SIGKILL');

    await st.restart();
    const restartedAt = Date.now();
    // No faturista signs in: the station resumes on its own. Expedição only reads.
    const reader = await st.login('expedicao', 'expede123');
    const journalOf = () => stationJournal(st.dataDir).filter((j) => j.order_id === order.id);
    if (step === 'finalize.started') {
      // Died before the lock was asked: nothing reached the LAN server; the finalize is abandoned.
      await waitUntil(async () => journalOf().every((j) => j.step === 'abandoned'), 30_000);
      expect(serverNumbers(office.lan.dataDir).filter((n) => n.order_id === order.id)).toHaveLength(0);
      const fat2 = await st.login('faturista', 'fatura123');
      expect((await fat2.call<Order>('orders.get', { id: order.id })).status).toBe('rascunho');
      const r = await finalize(fat2, order.id);
      expect(r.ok).toBe(true);
    }
    const doc = await waitUntil(async () => {
      const chave = journalOf().find((j) => j.chave)?.chave;
      if (!chave) return null;
      const d = await reader.raw('documents.get', { id: chave });
      return d.ok && FINAL.has((d.data as Doc).status) ? (d.data as Doc) : null;
    }, 30_000, 200);
    settled.push({ step, seconds: (Date.now() - restartedAt) / 1000 });
    expect(doc.status).toBe('autorizada');

    // Exactly one number for the order, and SEFAZ has that number under this one chave.
    const mine = serverNumbers(office.lan.dataDir).filter((n) => n.order_id === order.id);
    expect(mine).toHaveLength(1);
    expect(mine[0]!.number).toBe(doc.number);
    const atSefaz = simNotes(join(tmp.dir, 'sim')).filter((n) => n.nnf === doc.number);
    expect(atSefaz.map((n) => n.chave)).toEqual([doc.chave]);
    // What this station handed to SEFAZ for the number (a crash mid-request leaves only the consult): never another chave.
    const sent = stationSentChaves(st.dataDir).filter((c) => c.nNF === doc.number);
    expect(sent.filter((c) => c.chave !== doc.chave)).toEqual([]);

    // The lock: taken back by the restarted station as its holder, then released (not left to its grace).
    await waitUntil(async () => (serverLocks(office.lan.dataDir).some((l) => l.order_id === order.id) ? null : true), 10_000);
    const reclaims = serverAudit(office.lan.dataDir, 'lock.reclaim').slice(reclaimsBefore);
    if (LOCK_HELD_AT.has(step)) {
      expect(reclaims.length).toBeGreaterThan(0);
      for (const r of reclaims) expect({ user: r.user, workstation: r.workstation }).toEqual({ user: 'faturista', workstation: 'estacao-a' });
    }
    expect(serverAudit(office.lan.dataDir, 'locks.reclaim.refused')).toHaveLength(0);
    // The journal of this order is closed.
    await waitUntil(async () => stationJournal(st.dataDir).filter((j) => j.order_id === order.id).every((j) => j.step === 'done' || j.step === 'abandoned'), 10_000);
  }, 150_000);

  it('leaves no duplicate, no hole, no order with two numbers', () => {
    const faults = numberingFaults(serverNumbers(office.lan.dataDir));
    expect(faults).toEqual({ duplicates: [], holes: [], ordersWithTwo: [] });
    expect(serverNumbers(office.lan.dataDir).every((n) => n.state === 'authorized')).toBe(true);
    console.log(`settled after restart (s): ${settled.map((s) => `${s.step} ${s.seconds.toFixed(1)}`).join(', ')}`);
  });
});
