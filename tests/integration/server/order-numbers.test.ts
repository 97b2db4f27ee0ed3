import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../../src/core/clock';
import { connect, type NumberingClient } from '../../../src/core/numbering/index';
import { migrateStore } from '../../../src/core/store/migrate';
import { openStore, type Store } from '../../../src/core/store/open';
import { SettingsRepo } from '../../../src/core/store/settings-repo';
import { OrderNumberer } from '../../../src/core/workstation/order-numbers';
import { repoRoot } from '../../helpers/proc';
import { tempDir } from '../../helpers/tmp';
import { enrollProcessStation, startServerProcess, type ServerProcess } from './harness';

// Issue #22 item 10: short order numbers, one sequence per establishment, allocated at the LAN
// server (its own process, real socket and SQLite) by two stations, with the offline reserve.
const tmp = tempDir('comboio-ordernum-');
const CNPJ = '11222333000181';
const stores: Store[] = [];
const clients: NumberingClient[] = [];
let srv: ServerProcess | undefined;
afterAll(async () => {
  for (const c of clients) await c.close();
  for (const s of stores) s.close();
  await srv?.proc.kill('SIGKILL');
  tmp.cleanup();
});

async function station(name: string): Promise<{ numberer: OrderNumberer; lan: NumberingClient; clientId: string }> {
  const enrolled = await enrollProcessStation(srv!, name);
  const lan = connect({ url: srv!.url, station: enrolled.credential, pin: enrolled.pin, requestTimeoutMs: 5000 });
  clients.push(lan);
  await lan.ready(20_000);
  const store = openStore(join(tmp.dir, `${name}.db`));
  migrateStore(store, join(repoRoot, 'drizzle'));
  stores.push(store);
  const clientId = `${name}-0f00d${name.length}`;
  const settings = new SettingsRepo(store.db, systemClock);
  return { numberer: new OrderNumberer({ settings, lan: () => lan, clientId: () => clientId, stationId: () => enrolled.credential.id }), lan, clientId };
}

describe('order numbers', () => {
  it('two stations share one short sequence; offline each numbers E<tag>-n with a tag the server gave it, never colliding', async () => {
    srv = await startServerProcess(join(tmp.dir, 'srv'));
    const a = await station('CAIXA1');
    const b = await station('CAIXA2');
    // A station that never reached its server numbers with its database's own id.
    const lonely = await station('CAIXA9');
    await lonely.lan.close();

    // Online, interleaved and concurrent: 1..12, each once.
    const online = await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 ? a : b).numberer.next(CNPJ)));
    expect(online.map(Number).sort((x, y) => x - y)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(await lonely.numberer.next(CNPJ)).toBe(`${lonely.clientId}-1`);

    // The server goes away: both stations go on numbering, each under its own tag.
    await srv.proc.kill('SIGKILL');
    await expect.poll(() => a.lan.state, { timeout: 20_000 }).not.toBe('online');
    await expect.poll(() => b.lan.state, { timeout: 20_000 }).not.toBe('online');
    const offA = [await a.numberer.next(CNPJ), await a.numberer.next(CNPJ)];
    const offB = [await b.numberer.next(CNPJ), await b.numberer.next(CNPJ)];
    const tagA = offA[0]!.split('-')[0]!;
    const tagB = offB[0]!.split('-')[0]!;
    expect([tagA, tagB].sort()).toEqual(['E1', 'E2']);
    expect(offA).toEqual([`${tagA}-1`, `${tagA}-2`]);
    expect(offB).toEqual([`${tagB}-1`, `${tagB}-2`]);

    // The counter and the tags were durable: a restarted server goes on after 12, and a new
    // station gets a new tag (and so does one enrolled again under an old name).
    srv = await startServerProcess(join(tmp.dir, 'srv'));
    const c = await station('CAIXA3');
    expect(await c.numberer.next(CNPJ)).toBe('13');
    const again = await station('CAIXA1');
    expect(await again.numberer.next(CNPJ)).toBe('14');
    await again.lan.close();
    await c.lan.close();
    expect(await c.numberer.next(CNPJ)).toBe('E3-1');
    expect(await again.numberer.next(CNPJ)).toBe('E4-1');
  }, 180_000);
});
