import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { numberingFaults, serverLocks, serverNumbers, simNotes, stationJournal, stationSentChaves } from './crash-audit';
import { draftOrder, startOffice, waitUntil, type Client, type Office, type Station } from './office';

/** Finalize journal steps in order (src/core/workstation/finalize-journal.ts), where a kill may land. */
const JOURNAL_STEPS = ['started', 'locked', 'allocated', 'signed', 'committed', 'released'];

/**
 * The randomized kill -9 run: a batch of orders finalized on a real station (with the real
 * LAN server and SEFAZ simulator) that is killed with SIGKILL at random moments, again and
 * again, each time while finalize work is going on (new finalizes, or the resume of the
 * ones the last kill cut), and restarted. Used by the integration test (small) and by
 * `scripts/bench-crash.ts` (the full figure).
 */
export interface CrashRunOptions {
  dir: string;
  orders: number;
  kills: number;
  /** Longest random delay between a round's start and its kill (ms). */
  maxDelayMs?: number;
  random?: () => number;
  log?: (line: string) => void;
}

export interface CrashRunResult {
  orders: number;
  kills: number;
  /** Kills that found finalize work unfinished (an open journal row or a live outbox row). */
  killsMidFinalize: number;
  /** Of those, how many cut a finalize before its commit (lock, number, signature). */
  killsBeforeCommit: number;
  billedOnce: number;
  duplicates: number;
  holes: number;
  ordersWithTwoNumbers: number;
  /** Numbers given by the server that did not end authorized, or notes without their number/outbox row. */
  orphans: number;
  /** Numbers sent to SEFAZ under more than one chave. */
  secondKeys: number;
  locksLeft: number;
  /** After the last restart, until every note was authorized. */
  settleSeconds: number;
  /** Kills (every 5th that cut finalize work) after which the settling was timed. */
  settleSamples: number;
  /** The longest of those: restart → every cut finalize authorized (or rejected) and closed. */
  maxSettleSeconds: number;
  totalSeconds: number;
}

interface Doc { status: string; number: number; chave: string }

export async function runCrashBatch(o: CrashRunOptions): Promise<CrashRunResult> {
  const random = o.random ?? Math.random;
  const log = o.log ?? (() => undefined);
  const maxDelay = o.maxDelayMs ?? 2500;
  const started = Date.now();
  const office: Office = await startOffice(o.dir, { lockGraceSeconds: 600 });
  try {
    const st: Station = await office.addStation('estacao-a');
    let fat: Client = await st.login('faturista', 'fatura123');
    const [series] = await fat.call<{ id: string }[]>('billing.series', { model: 55 });
    const orderIds: string[] = [];
    for (let i = 0; i < o.orders; i++) orderIds.push((await draftOrder(fat)).id);

    const journal = () => stationJournal(st.dataDir);
    const billedOrders = () => new Set(journal().filter((j) => j.step === 'done' || j.step === 'released' || j.step === 'committed').map((j) => j.order_id));
    const openRows = () => journal().filter((j) => j.step !== 'done' && j.step !== 'abandoned');

    let kills = 0;
    const settleSamples: number[] = [];
    let killsMid = 0;
    let killsBeforeCommit = 0;
    while (kills < o.kills) {
      const billed = billedOrders();
      const pending = orderIds.filter((id) => !billed.has(id) && !openRows().some((j) => j.order_id === id));
      // Spread the batch over the kills: about orders/kills new finalizes per round, at least one now and then.
      // One order is kept back until the last round, so the batch lasts the whole run.
      const reserve = o.kills - kills > 1 ? 1 : 0;
      const share = Math.max(0, pending.length - reserve) / Math.max(1, o.kills - kills - reserve);
      const n = Math.min(Math.max(0, pending.length - reserve), Math.floor(share) + (random() < share - Math.floor(share) ? 1 : 0));
      const batch = pending.slice(0, n);
      for (const id of batch) void fat.raw('billing.finalize', { orderId: id, seriesId: series!.id, suggested: null, requestId: randomUUID(), printTo: 'none' }).catch(() => undefined);
      // Everything billed: no finalize work is left to cut.
      if (batch.length === 0 && pending.length === 0 && openRows().length === 0) break;
      if (batch.length > 0) {
        // Cut the finalize just launched at a random step of its journal (on a fast machine a
        // random delay alone lands after it has finished): wait until one of its rows is open at
        // or past that step, or the batch is over, then kill at once.
        const target = JOURNAL_STEPS[Math.floor(random() * JOURNAL_STEPS.length)]!;
        const ids = new Set(batch);
        const deadline = Date.now() + maxDelay * 5;
        for (;;) {
          const rows = journal().filter((j) => ids.has(j.order_id));
          if (rows.some((j) => j.step !== 'done' && j.step !== 'abandoned' && JOURNAL_STEPS.indexOf(j.step) >= JOURNAL_STEPS.indexOf(target))) break;
          if (rows.length === ids.size && rows.every((j) => j.step === 'done' || j.step === 'abandoned')) break;
          if (Date.now() > deadline) break;
          await new Promise((ok) => setTimeout(ok, 5));
        }
      } else {
        await new Promise((ok) => setTimeout(ok, Math.round(random() * maxDelay)));
      }
      st.proc.child.kill('SIGKILL');
      await st.proc.exited;
      kills++;
      const open = openRows();
      if (open.length > 0) killsMid++;
      if (open.some((j) => ['started', 'locked', 'allocated', 'signed'].includes(j.step))) killsBeforeCommit++;
      if (kills % 10 === 0) log(`kill ${kills}: ${open.length} finalize(s) em aberto (${open.map((j) => j.step).join(', ')}); ${billedOrders().size}/${o.orders} faturados`);
      const restarted = Date.now();
      await st.restart();
      fat = await st.login('faturista', 'fatura123');
      // Now and then: how long after the restart until what the kill cut is settled (every
      // note authorized or rejected, every journal row closed), measured from the restart.
      if (open.length > 0 && kills % 5 === 0) {
        const cut = new Set(open.map((j) => j.order_id));
        await waitUntil(async () => (openRows().some((j) => cut.has(j.order_id)) ? null : true), 120_000, 100);
        settleSamples.push((Date.now() - restarted) / 1000);
      }
    }
    const lastRestart = Date.now();
    // Whatever is left unbilled (abandoned before its lock) is finalized once more, without kills.
    for (;;) {
      const billed = billedOrders();
      const pending = orderIds.filter((id) => !billed.has(id) && !openRows().some((j) => j.order_id === id));
      if (pending.length === 0) break;
      for (const id of pending) await fat.raw('billing.finalize', { orderId: id, seriesId: series!.id, suggested: null, requestId: randomUUID(), printTo: 'none' });
    }
    await waitUntil(async () => (openRows().length === 0 ? true : null), 120_000, 250);
    const settleSeconds = (Date.now() - lastRestart) / 1000;

    // The audit of the whole run.
    const numbers = serverNumbers(office.lan.dataDir);
    const faults = numberingFaults(numbers);
    const done = journal().filter((j) => j.step === 'done');
    const docs = new Map<string, Doc>();
    for (const j of done) {
      const d = await fat.raw('documents.get', { id: j.chave });
      if (d.ok) docs.set(j.order_id, d.data as Doc);
    }
    const billedOnce = orderIds.filter((id) => done.filter((j) => j.order_id === id).length === 1 && docs.get(id)?.status === 'autorizada').length;
    const authorizedNumbers = new Set([...docs.values()].filter((d) => d.status === 'autorizada').map((d) => d.number));
    const orphans = numbers.filter((n) => n.state !== 'authorized' || !authorizedNumbers.has(n.number)).length + [...docs.values()].filter((d) => d.status !== 'autorizada').length;
    const sentByNumber = new Map<number, Set<string>>();
    for (const c of stationSentChaves(st.dataDir)) sentByNumber.set(c.nNF, (sentByNumber.get(c.nNF) ?? new Set()).add(c.chave));
    const sim = simNotes(join(o.dir, 'sim'));
    const secondKeys =
      [...sentByNumber.values()].filter((s) => s.size > 1).length + sim.filter((n) => [...docs.values()].every((d) => d.chave !== n.chave)).length;
    return {
      orders: o.orders,
      kills,
      killsMidFinalize: killsMid,
      killsBeforeCommit,
      billedOnce,
      duplicates: faults.duplicates.length,
      holes: faults.holes.length,
      ordersWithTwoNumbers: faults.ordersWithTwo.length,
      orphans,
      secondKeys,
      locksLeft: serverLocks(office.lan.dataDir).length,
      settleSeconds,
      settleSamples: settleSamples.length,
      maxSettleSeconds: settleSamples.length ? Math.max(...settleSamples) : 0,
      totalSeconds: (Date.now() - started) / 1000,
    };
  } finally {
    await office.close();
  }
}
