import Database from 'better-sqlite3';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SefazOutbox } from '../../../src/core/sefaz/outbox';
import type { Store } from '../../../src/core/store/open';
import { RANDOM_REJECTIONS } from '../../../src/sefaz-sim/faults';
import { tempDir } from '../../helpers/tmp';
import { clientCertificate, client, openTestStore, signedNfe, startSimProcess, type SimProcess } from './harness';

const DOCS = Number(process.env.COMBOIO_CHAOS_DOCS ?? 200);
const SEED = Number(process.env.COMBOIO_CHAOS_SEED ?? 20261123);

describe(`chaos: ${DOCS} NF-e under random SEFAZ faults`, () => {
  const tmp = tempDir('comboio-sefaz-chaos-');
  let sim: SimProcess;
  let store: Store;

  beforeAll(async () => {
    sim = await startSimProcess(join(tmp.dir, 'sim'), ['--mode', 'caos', '--seed', String(SEED), '--slow-ms', '1200', '--tmed-ms', '300']);
    store = openTestStore(join(tmp.dir, 'ws'));
  });
  afterAll(async () => {
    store?.close();
    await sim?.proc.kill();
    tmp.cleanup();
  });

  test('every document ends authorized or clearly rejected; 0 rejections 539; 0 duplicates; nothing lost', async () => {
    const cert = clientCertificate(sim);
    const c = client(sim, cert, 900);
    const box = new SefazOutbox({
      store,
      client: c,
      outDir: join(tmp.dir, 'out'),
      backoff: { baseMs: 100, maxMs: 1000, throttleMs: 500, consultDelayMs: 100, settleMs: 2000 },
      concurrency: 8,
      // Half the documents go in async lotes (receipt + polling), half synchronous.
      sync: true,
    });
    const asyncBox = new SefazOutbox({ store, client: c, outDir: join(tmp.dir, 'out'), backoff: { baseMs: 100, maxMs: 1000, throttleMs: 500, consultDelayMs: 100, settleMs: 2000 }, concurrency: 8, sync: false });
    const t0 = performance.now();
    const docs = Array.from({ length: DOCS }, (_, i) => signedNfe(cert, 1000 + i));
    const buildMs = performance.now() - t0;
    docs.forEach((d, i) => (i % 2 === 0 ? box : asyncBox).enqueue(d.xml));
    const t1 = performance.now();
    // Both outboxes share the store; each drains whatever is due, like two worker ticks.
    const [left] = await Promise.all([box.drain(240_000), asyncBox.drain(240_000)]);
    const sendMs = performance.now() - t1;
    c.close();
    expect(left).toEqual([]);

    const rows = box.list();
    expect(rows).toHaveLength(DOCS);
    const byState = rows.reduce<Record<string, number>>((acc, r) => ((acc[r.state] = (acc[r.state] ?? 0) + 1), acc), {});
    const rejectCodes = new Set(RANDOM_REJECTIONS.map(([code]) => code));

    const simDb = new Database(join(sim.dataDir, 'sefaz-sim.db'), { readonly: true });
    try {
      for (const r of rows) {
        const simRow = simDb.prepare('select status, n_prot from nfe where chave = ?').get(r.chave) as { status: string; n_prot: string } | undefined;
        if (r.state === 'authorized') {
          expect(simRow).toEqual({ status: 'authorized', n_prot: r.nProt });
          expect(existsSync(r.procPath!)).toBe(true);
          expect(readFileSync(r.procPath!, 'utf8')).toContain(r.signedXml);
        } else {
          expect(r.state).toBe('rejected');
          expect(rejectCodes.has(r.cStat!)).toBe(true);
          // Clearly rejected: SEFAZ holds nothing under this number.
          expect(simRow).toBeUndefined();
          expect(simDb.prepare('select count(*) n from nfe where serie = ? and nnf = ?').get(r.serie, r.nNF)).toEqual({ n: 0 });
        }
      }
      const dup = simDb.prepare('select count(*) n from (select serie, nnf from nfe group by cnpj, mod, serie, nnf having count(*) > 1)').get() as { n: number };
      expect(dup.n).toBe(0);
      expect((simDb.prepare("select count(*) n from nfe where status = 'authorized'").get() as { n: number }).n).toBe(byState.authorized ?? 0);
    } finally {
      simDb.close();
    }
    const replies = (await sim.state()).replies;
    const all539 = Object.values(replies).reduce((n, byCode) => n + (byCode['539'] ?? 0), 0);
    expect(all539).toBe(0);
    const messages = store.sqlite.prepare('select outcome, c_stat, count(*) n from sefaz_messages group by outcome, c_stat').all() as { outcome: string; c_stat: string | null; n: number }[];
    expect(messages.filter((m) => m.c_stat === '539')).toEqual([]);
    // The faults really happened.
    const outcomes = new Set(messages.map((m) => m.outcome));
    expect(outcomes.has('no-reply')).toBe(true);
    process.stdout.write(
      `chaos: ${DOCS} NF-e, seed ${SEED}: ${JSON.stringify(byState)}; build+sign ${Math.round(buildMs)} ms, transmission ${Math.round(sendMs)} ms; ` +
        `exchanges ${JSON.stringify(messages.map((m) => `${m.outcome}:${m.c_stat ?? '-'}=${m.n}`))}\n`,
    );
  });
});
