import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { UfContingencyDto } from '../../../src/core/sefaz/contingency/lan';
import { errorOf, startTestServer } from './harness';

// Issue #20: the per-UF contingency state lives on the LAN server and every station follows it.
type Harness = Awaited<ReturnType<typeof startTestServer>>;
let h: Harness;

beforeEach(async () => {
  h = await startTestServer({ admins: ['chefe'] });
});
afterEach(async () => {
  await h.stop();
});

const JUST = 'Manutenção programada da SEFAZ-SP anunciada no portal';

describe('contingency board (real server, real sockets)', () => {
  it('a station report puts the UF in contingency, pushed to every other connection; a 107 ends it; each step audited', async () => {
    const a = await h.stationClient('FAT01');
    const b = await h.stationClient('FAT02');
    const pushed: UfContingencyDto[][] = [];
    b.onPushEvent('contingency.changed', (d) => pushed.push((d as { states: UfContingencyDto[] }).states));

    const r = await a.request<{ entered: boolean; state: UfContingencyDto }>('contingency.report', { uf: 'sp', model: 'nfe', reason: 'sem resposta: tempo esgotado (35 s)' });
    expect(r.entered).toBe(true);
    expect(r.state).toMatchObject({ uf: 'SP', model: 'nfe', active: true, source: 'auto', workstation: 'FAT01', reason: 'sem resposta: tempo esgotado (35 s)' });
    await expect.poll(() => pushed.length).toBe(1);
    expect(pushed[0]!.find((s) => s.uf === 'SP')).toMatchObject({ active: true, workstation: 'FAT01' });

    // A second report (another station, same outage) changes nothing: the first time and reason stay.
    const again = await b.request<{ entered: boolean; state: UfContingencyDto }>('contingency.report', { uf: 'SP', model: 'nfe', reason: 'conexão recusada' });
    expect(again.entered).toBe(false);
    expect(again.state.since).toBe(r.state.since);
    expect(again.state.workstation).toBe('FAT01');

    // Only 107 ends it.
    expect((await errorOf(() => b.request('contingency.normal', { uf: 'SP', model: 'nfe', cStat: '108', xMotivo: 'Serviço paralisado' }))).code).toBe('INVALID_INPUT');
    h.clock.advance(60_000);
    const back = await b.request<{ left: boolean; state: UfContingencyDto }>('contingency.normal', { uf: 'SP', model: 'nfe', cStat: '107', xMotivo: 'Serviço em Operação' });
    expect(back.left).toBe(true);
    expect(back.state).toMatchObject({ active: false, endReason: 'Consulta de status: 107 Serviço em Operação', endedBy: 'estacao:FAT02@FAT02' });
    await expect.poll(() => pushed.length).toBe(2);
    expect(pushed[1]!.find((s) => s.uf === 'SP')!.active).toBe(false);

    const chefe = await h.client('chefe', 'ADM01');
    const audit = await chefe.call('audit.list', { limit: 20 });
    const mine = audit.filter((e) => e.action.startsWith('contingency.'));
    expect(mine.map((e) => [e.action, e.workstation, e.target])).toEqual([
      ['contingency.leave', 'FAT02', 'NF-e SP'],
      ['contingency.enter', 'FAT01', 'NF-e SP'],
    ]);
  });

  it('manual entry needs an administrator and a 15–256 character xJust; a status 107 does not end it, only a manual exit', async () => {
    const ana = await h.client('ana', 'FAT01');
    const chefe = await h.client('chefe', 'ADM01');
    expect((await errorOf(() => ana.request('contingency.enter', { uf: 'SP', model: 'cte', xJust: JUST }))).code).toBe('FORBIDDEN');
    const short = await errorOf(() => chefe.request('contingency.enter', { uf: 'SP', model: 'cte', xJust: 'curta' }));
    expect(short.code).toBe('INVALID_INPUT');
    expect(short.message).toMatch(/15 a 256/);
    expect((await errorOf(() => chefe.request('contingency.enter', { uf: 'SP', model: 'cte', xJust: 'x'.repeat(257) }))).code).toBe('INVALID_INPUT');
    expect((await errorOf(() => chefe.request('contingency.enter', { uf: 'XX', model: 'cte', xJust: JUST }))).code).toBe('INVALID_INPUT');

    const s = await chefe.request<UfContingencyDto>('contingency.enter', { uf: 'SP', model: 'cte', xJust: JUST });
    expect(s).toMatchObject({ active: true, source: 'manual', user: 'chefe', reason: JUST });
    const station = await h.stationClient('FAT03');
    const r = await station.request<{ left: boolean }>('contingency.normal', { uf: 'SP', model: 'cte', cStat: '107', xMotivo: 'Serviço em Operação' });
    expect(r.left).toBe(false);
    // An automatic report does not turn the manual entry into an automatic one either.
    expect((await station.request<{ entered: boolean }>('contingency.report', { uf: 'SP', model: 'cte', reason: 'sem resposta' })).entered).toBe(false);
    expect((await errorOf(() => ana.request('contingency.leave', { uf: 'SP', model: 'cte', xJust: JUST }))).code).toBe('FORBIDDEN');
    const left = await chefe.request<{ left: boolean; state: UfContingencyDto }>('contingency.leave', { uf: 'SP', model: 'cte', xJust: 'Manutenção encerrada, SEFAZ-SP normal' });
    expect(left).toMatchObject({ left: true, state: { active: false, endReason: 'Manutenção encerrada, SEFAZ-SP normal', endedBy: 'chefe@ADM01' } });
    const audit = await chefe.call('audit.list', { limit: 10 });
    expect(audit.filter((e) => e.action.startsWith('contingency.')).map((e) => [e.action, e.user, e.reason])).toEqual([
      ['contingency.leave.manual', 'chefe', 'Manutenção encerrada, SEFAZ-SP normal'],
      ['contingency.enter.manual', 'chefe', JUST],
    ]);
  });

  it('priority order per establishment: defaults, set by an administrator (validated, audited old → new), read by any station', async () => {
    const station = await h.stationClient('FAT01');
    const cnpj = '11222333000181';
    expect(await station.request('contingency.priority.get', { cnpj })).toMatchObject({ nfe: ['svc', 'epec', 'fsda'], cte: ['svc', 'epec', 'nenhuma'], configured: false });
    const ana = await h.client('ana', 'FAT01');
    expect((await errorOf(() => ana.request('contingency.priority.set', { cnpj, model: 'nfe', options: ['epec'] }))).code).toBe('FORBIDDEN');
    const chefe = await h.client('chefe', 'ADM01');
    for (const bad of [[], ['svc', 'svc'], ['nenhuma', 'svc'], ['scan']]) {
      expect((await errorOf(() => chefe.request('contingency.priority.set', { cnpj, model: 'nfe', options: bad }))).code).toBe('INVALID_INPUT');
    }
    expect((await errorOf(() => chefe.request('contingency.priority.set', { cnpj, model: 'cte', options: ['fsda'] }))).message).toMatch(/FS-DA não existe para CT-e/);
    const p = await chefe.request('contingency.priority.set', { cnpj, model: 'nfe', options: ['EPEC', 'fsda'] });
    expect(p).toMatchObject({ nfe: ['epec', 'fsda'], cte: ['svc', 'epec', 'nenhuma'], configured: true, updatedBy: 'chefe' });
    expect(await station.request('contingency.priority.get', { cnpj })).toMatchObject({ nfe: ['epec', 'fsda'] });
    const audit = await chefe.call('audit.list', { limit: 5 });
    expect(audit[0]).toMatchObject({ action: 'contingency.priority', oldValue: 'svc → epec → fsda', newValue: 'epec → fsda' });
  });
});
