import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SERIES, errorOf, startTestServer } from './harness';
import { procInut, signedNfe } from '../../helpers/fiscal-evidence';

type Harness = Awaited<ReturnType<typeof startTestServer>>;
let h: Harness;

beforeEach(async () => {
  h = await startTestServer();
});
afterEach(async () => {
  await h.stop();
});

describe('suggest and allocate', () => {
  it('suggestion is non-binding; allocation gives the next free number and says when it differs (SisPetro example)', async () => {
    const ana = await h.client('ana', 'FAT01');
    const bia = await h.client('bia', 'FAT02');
    await ana.createSeries({ ...SERIES, emissaoPropria: true, nextNumber: 15 });
    const sa = await ana.suggest(SERIES);
    const sb = await bia.suggest(SERIES);
    expect(sa.nextNumber).toBe(15);
    expect(sb.nextNumber).toBe(15);
    const a = await ana.allocate({ series: SERIES, orderId: 'P-1', suggested: sa.nextNumber });
    const b = await bia.allocate({ series: SERIES, orderId: 'P-2', suggested: sb.nextNumber });
    expect(a).toMatchObject({ number: 15, differsFromSuggested: false, replayed: false });
    expect(b).toMatchObject({ number: 16, differsFromSuggested: true, suggested: 15 });
    expect((await ana.suggest(SERIES)).nextNumber).toBe(17);
    const rec = await ana.getNumber({ series: SERIES, number: 16 });
    expect(rec).toMatchObject({ user: 'bia', workstation: 'FAT02', ip: '127.0.0.1', orderId: 'P-2', state: 'allocated' });
  });

  it('the same requestId returns the same number; an order with an open allocation gets it back', async () => {
    const c = await h.client();
    await c.createSeries({ ...SERIES, emissaoPropria: true });
    const first = await c.allocate({ series: SERIES, orderId: 'P-1', requestId: 'req-1' });
    const again = await c.allocate({ series: SERIES, orderId: 'P-1', requestId: 'req-1' });
    expect(again).toMatchObject({ number: first.number, replayed: true });
    const sameOrder = await c.allocate({ series: SERIES, orderId: 'P-1', requestId: 'req-2' });
    expect(sameOrder).toMatchObject({ number: first.number, replayed: true });
    const other = await c.allocate({ series: SERIES, orderId: 'P-2' });
    expect(other.number).toBe(first.number + 1);
    expect(await errorOf(() => c.allocate({ series: SERIES, orderId: 'P-3', requestId: 'req-1' }))).toMatchObject({ code: 'REQUEST_ID_REUSED' });
  });

  it('an order with an open number in one series cannot take a second number in another', async () => {
    const c = await h.client();
    await c.createSeries({ ...SERIES, emissaoPropria: true });
    await c.createSeries({ ...SERIES, serie: 2, emissaoPropria: true });
    await c.allocate({ series: SERIES, orderId: 'P-1' });
    const err = await errorOf(() => c.allocate({ series: { ...SERIES, serie: 2 }, orderId: 'P-1' }));
    expect(err.code).toBe('ORDER_HAS_OPEN_ALLOCATION');
    expect(err.message).toContain('número 1');
  });

  it('refuses unknown, inactive and third-party series', async () => {
    const c = await h.client();
    expect((await errorOf(() => c.allocate({ series: SERIES, orderId: 'P' }))).code).toBe('SERIES_NOT_FOUND');
    await c.createSeries({ ...SERIES, emissaoPropria: false });
    expect((await errorOf(() => c.allocate({ series: SERIES, orderId: 'P' }))).code).toBe('SERIES_NOT_OWN');
    await c.updateSeries({ series: SERIES, emissaoPropria: true, active: false, reason: 'teste' });
    expect((await errorOf(() => c.allocate({ series: SERIES, orderId: 'P' }))).code).toBe('SERIES_INACTIVE');
  });

  it('stops at 999,999,999', async () => {
    const c = await h.client();
    await c.createSeries({ ...SERIES, emissaoPropria: true, nextNumber: 999_999_999 });
    expect((await c.allocate({ series: SERIES, orderId: 'P-1' })).number).toBe(999_999_999);
    expect((await errorOf(() => c.allocate({ series: SERIES, orderId: 'P-2' }))).code).toBe('SERIES_EXHAUSTED');
  });
});

describe('lifecycle and gap report', () => {
  it('follows allocated → transmitted → authorized → cancelled and refuses going back', async () => {
    const c = await h.client();
    await c.createSeries({ ...SERIES, emissaoPropria: true });
    const { number } = await c.allocate({ series: SERIES, orderId: 'P-1' });
    await c.updateState({ series: SERIES, number, state: 'transmitted' });
    await c.updateState({ series: SERIES, number, state: 'transmitted' }); // retry is a no-op
    await c.updateState({ series: SERIES, number, state: 'authorized', detail: 'nProt 135260000000001' });
    expect((await errorOf(() => c.updateState({ series: SERIES, number, state: 'abandoned' }))).code).toBe('INVALID_TRANSITION');
    expect(await c.updateState({ series: SERIES, number, state: 'cancelled' })).toMatchObject({ state: 'cancelled', detail: 'nProt 135260000000001' });
    // A cancelled order can be billed again: it gets a new number, never the old one.
    expect((await c.allocate({ series: SERIES, orderId: 'P-1' })).number).toBe(number + 1);
  });

  it('lists numbers left open on earlier days with the inutilização deadline (10th of next month)', async () => {
    const c = await h.client();
    await c.createSeries({ ...SERIES, emissaoPropria: true });
    const n1 = (await c.allocate({ series: SERIES, orderId: 'P-1' })).number;
    const n2 = (await c.allocate({ series: SERIES, orderId: 'P-2' })).number;
    await c.updateState({ series: SERIES, number: n2, state: 'authorized' });
    expect(await c.gapReport(SERIES)).toMatchObject({ today: '2026-03-10', firstNoteOfDay: false, pending: [] });

    h.clock.setWall(new Date('2026-04-11T08:00:00-03:00'));
    const report = await c.gapReport(SERIES);
    expect(report.firstNoteOfDay).toBe(true);
    expect(report.pending).toEqual([
      expect.objectContaining({ first: n1, last: n1, state: 'allocated', orderId: 'P-1', inutilizacaoDeadline: '2026-04-10', overdue: true }),
    ]);
    await c.updateState({ series: SERIES, number: n1, state: 'abandoned' });
    await c.inutilize({ series: SERIES, first: n1, last: n1, procInutNFe: procInut(SERIES, n1, n1) });
    expect((await c.gapReport(SERIES)).pending).toEqual([]);
    expect((await c.getNumber({ series: SERIES, number: n1 })).state).toBe('inutilizada');
  });

  it('inutilização refuses numbers still in use', async () => {
    const c = await h.client();
    await c.createSeries({ ...SERIES, emissaoPropria: true });
    await c.allocate({ series: SERIES, orderId: 'P-1' });
    expect((await errorOf(() => c.inutilize({ series: SERIES, first: 1, last: 1, procInutNFe: procInut(SERIES, 1, 1) }))).code).toBe('INVALID_TRANSITION');
    expect((await errorOf(() => c.inutilize({ series: SERIES, first: 2, last: 2, procInutNFe: procInut(SERIES, 2, 2) }))).code).toBe('INVALID_TRANSITION');
  });
});

describe('import validation (SisPetro 7.13 examples)', () => {
  it('refuses a number already used in the series (exemplo 01)', async () => {
    const c = await h.client();
    await c.createSeries({ ...SERIES, serie: 15, emissaoPropria: true, nextNumber: 33_920 });
    const s15 = { ...SERIES, serie: 15 };
    await c.allocate({ series: s15, orderId: 'P-1' });
    const err = await errorOf(() => c.validateImport({ series: s15, number: 33_920, xml: signedNfe(s15, 33_920) }));
    expect(err).toMatchObject({ code: 'NUMBER_ALREADY_USED' });
    expect(err.message).toContain('Já existe nota com esse número nesta série');
    // Below the series start: used by the system before Comboio.
    expect((await errorOf(() => c.validateImport({ series: s15, number: 33_900, xml: signedNfe(s15, 33_900) }))).code).toBe('NUMBER_ALREADY_USED');
  });

  it('accepts a number above próximo número, shows the hole, then blocks the sequence there (exemplo 02)', async () => {
    const c = await h.client();
    const s15 = { ...SERIES, serie: 15 };
    await c.createSeries({ ...s15, emissaoPropria: true, nextNumber: 33_897 });
    const imp = await c.validateImport({ series: s15, number: 33_900, requestId: 'imp-1', xml: signedNfe(s15, 33_900) });
    expect(imp).toMatchObject({ accepted: true, aboveNext: true, replayed: false });
    expect(await c.validateImport({ series: s15, number: 33_900, requestId: 'imp-1', xml: signedNfe(s15, 33_900) })).toMatchObject({ replayed: true, aboveNext: true });
    expect((await errorOf(() => c.validateImport({ series: s15, number: 33_900, xml: signedNfe(s15, 33_900) }))).code).toBe('NUMBER_ALREADY_USED');
    expect((await c.gapReport(s15)).holes).toEqual([{ first: 33_897, last: 33_899 }]);

    for (let i = 0; i < 3; i++) await c.allocate({ series: s15, orderId: `P-${i}` });
    const blocked = await errorOf(() => c.allocate({ series: s15, orderId: 'P-9' }));
    expect(blocked.code).toBe('SERIES_BLOCKED');
    expect(blocked.message).toContain('33900');
    expect(blocked.message).toContain('administrador');
    expect((await c.suggest(s15)).blockedBy).toBe(33_900);

    // The administrator moves próximo número past the imported note: nothing skipped.
    const moved = await c.setNextNumber({ series: s15, nextNumber: 33_901, reason: 'pular nota importada' });
    expect(moved.skipped).toEqual([]);
    expect((await c.allocate({ series: s15, orderId: 'P-9' })).number).toBe(33_901);
  });

  it('an imported note may claim a number the administrator skipped', async () => {
    const c = await h.client();
    await c.createSeries({ ...SERIES, emissaoPropria: true });
    await c.setNextNumber({ series: SERIES, nextNumber: 10, reason: 'ajuste de numeração' });
    expect((await c.validateImport({ series: SERIES, number: 5, xml: signedNfe(SERIES, 5) })).aboveNext).toBe(false);
    h.clock.setWall(new Date('2026-03-11T08:00:00-03:00'));
    expect((await c.gapReport(SERIES)).pending.map((g) => [g.first, g.last, g.state])).toEqual([
      [1, 4, 'skipped'],
      [6, 9, 'skipped'],
    ]);
  });
});

describe('próximo número administration', () => {
  it('a series is created only for a CNPJ whose check digits are right (numeric or alphanumeric)', async () => {
    const c = await h.client();
    const bad = await errorOf(() => c.createSeries({ cnpj: '11222333000182', model: 55, serie: 1, emissaoPropria: true }));
    expect(bad.code).toBe('INVALID_INPUT');
    expect(bad.message).toMatch(/CNPJ 11222333000182 inválido: os dígitos verificadores não conferem/);
    expect(await c.listSeries()).toEqual([]);
    const alfa = await c.createSeries({ cnpj: '12ABC34501DE35', model: 57, serie: 0, emissaoPropria: true });
    expect(alfa).toMatchObject({ cnpj: '12ABC34501DE35', model: 57, serie: 0, nextNumber: 1 });
  });

  it('forward records the skipped range; backward is refused once a number at or above was used', async () => {
    const c = await h.client();
    await c.createSeries({ ...SERIES, emissaoPropria: true });
    await c.allocate({ series: SERIES, orderId: 'P-1' });
    const fwd = await c.setNextNumber({ series: SERIES, nextNumber: 20, reason: 'ajuste solicitado pela contabilidade' });
    expect(fwd.skipped).toEqual([{ first: 2, last: 19 }]);
    // Going back over numbers only skipped (never used) is allowed and un-skips them.
    await c.setNextNumber({ series: SERIES, nextNumber: 5, reason: 'desfazer parte do ajuste' });
    expect((await c.allocate({ series: SERIES, orderId: 'P-2' })).number).toBe(5);
    const back = await errorOf(() => c.setNextNumber({ series: SERIES, nextNumber: 4, reason: 'voltar demais' }));
    expect(back.code).toBe('NEXT_NUMBER_BACKWARD');
    expect(back.message).toContain('5');
    await c.inutilize({ series: SERIES, first: 2, last: 4, procInutNFe: procInut(SERIES, 2, 4) });
    expect((await c.gapReport(SERIES)).pending).toEqual([]);

    const audit = await c.auditLog(20);
    const setNext = audit.filter((a) => a.action === 'series.setNext');
    // Newest first.
    expect(setNext.map((a) => [a.oldValue, a.newValue])).toEqual([
      ['20', '5'],
      ['2', '20'],
    ]);
    expect(setNext[setNext.length - 1]).toMatchObject({ user: 'ana', workstation: 'FAT01', ip: '127.0.0.1', oldValue: '2', newValue: '20', reason: 'ajuste solicitado pela contabilidade' });
  });

  it('admin operations need the admin capability', async () => {
    await h.stop();
    h = await startTestServer({ admins: ['chefe'] });
    const ana = await h.client('ana');
    const chefe = await h.client('chefe', 'ADM01');
    expect(ana.session?.capabilities).toEqual([]);
    expect((await errorOf(() => ana.createSeries({ ...SERIES, emissaoPropria: true }))).code).toBe('FORBIDDEN');
    await chefe.createSeries({ ...SERIES, emissaoPropria: true });
    expect((await errorOf(() => ana.setNextNumber({ series: SERIES, nextNumber: 9, reason: 'sem permissão' }))).code).toBe('FORBIDDEN');
    expect((await ana.allocate({ series: SERIES, orderId: 'P-1' })).number).toBe(1);
  });
});
