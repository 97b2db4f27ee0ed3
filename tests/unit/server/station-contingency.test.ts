import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../../src/core/clock';
import { StationContingency } from '../../../src/core/workstation/contingency';
import { tempDir } from '../../helpers/tmp';
import { startTestServer } from './harness';

// Issue #20: two stations' StationContingency on a real LAN server (real sockets, real
// SQLite files): what one sees the other follows; what one sees offline from the LAN it keeps
// and reports when the connection returns; a 107 from the status poll ends it for both.
type Harness = Awaited<ReturnType<typeof startTestServer>>;
let h: Harness;
const dirs: ReturnType<typeof tempDir>[] = [];
const stations: StationContingency[] = [];

function station(name: string) {
  const t = tempDir(`comboio-sc-${name}-`);
  dirs.push(t);
  const s = new StationContingency({ dataDir: t.dir, clock: systemClock, workstation: name, pollMs: 60_000, onChange: () => undefined });
  stations.push(s);
  return s;
}

beforeEach(async () => {
  h = await startTestServer();
});
afterEach(async () => {
  for (const s of stations.splice(0)) s.close();
  await h.stop();
  for (const d of dirs.splice(0)) d.cleanup();
});

describe('StationContingency (station side of the shared board)', () => {
  it("one station's failure reaches the other by the server's push; a 107 poll ends it for both; offline entries are reported on reconnect", async () => {
    const a = station('FAT01');
    const b = station('FAT02');
    a.attach(await h.stationClient('FAT01'));
    b.attach(await h.stationClient('FAT02'));

    a.failure('SP', 'nfe', 'sem resposta (autorizacao): tempo esgotado');
    await expect.poll(() => b.current('SP', 'nfe')?.reason).toBe('sem resposta (autorizacao): tempo esgotado');
    expect(b.current('SP', 'nfe')!.actor).toMatch(/FAT01 \(servidor LAN\)/);
    expect(b.status('SP')).toMatchObject({ state: 'error' });
    expect(b.status('SP')!.label).toMatch(/^Contingência NF-e SP desde \d\d:\d\d — sem resposta/);

    // B's status poll finds the authorizer answering: the server ends it, A follows.
    let answering = true;
    const returned: string[] = [];
    b.useSefaz({
      uf: () => 'SP',
      probe: async () => {
        if (!answering) throw new Error('sem resposta');
        return { uf: 'SP', cStat: '107', xMotivo: 'Serviço em Operação' };
      },
      afterReturn: async (uf, model) => void returned.push(`${uf}:${model}`),
    });
    await b.pollNow();
    await expect.poll(() => a.current('SP', 'nfe')).toBeUndefined();
    expect(a.status('SP')!.label).toMatch(/^SEFAZ SP: normal desde \d\d:\d\d \(fim da contingência\)$/);
    expect(returned).toContain('SP:nfe');

    // Offline from the LAN (and the authorizer silent): B keeps its own state, then reports it when it is back.
    answering = false;
    b.attach(null);
    b.failure('SP', 'cte', 'conexão recusada (recepcaoSinc)');
    expect(b.current('SP', 'cte')).toBeDefined();
    await new Promise((ok) => setTimeout(ok, 300));
    expect(a.current('SP', 'cte')).toBeUndefined();
    const fat03 = await h.stationClient('FAT03');
    expect((await fat03.request<{ model: string }[]>('contingency.list', {})).find((s) => s.model === 'cte')).toBeUndefined();
    b.attach(await h.stationClient('FAT02'));
    await expect.poll(() => a.current('SP', 'cte')?.reason).toBe('conexão recusada (recepcaoSinc)');
    expect((await fat03.request<{ model: string; workstation: string; active: boolean }[]>('contingency.list', {})).find((s) => s.model === 'cte')).toMatchObject({ workstation: 'FAT02', active: true });
    // Offline, a 107 ends B's own automatic entry (nothing reported then).
    b.attach(null);
    answering = true;
    await b.pollNow();
    expect(b.current('SP', 'cte')).toBeUndefined();
  });
});
