import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../../src/core/clock';
import { defaultProjectPaths } from '../../../src/core/paths';
import { danfeFromXml, PrintersRepo, PrintQueue, SERIAL_DEFAULTS, type PrinterConfig } from '../../../src/core/printing/index';
import { migrateStore } from '../../../src/core/store/migrate';
import { openStore } from '../../../src/core/store/open';
import { authorizedNfeFixture, type NfeFixture } from '../../helpers/authorized-nfe-fixture';
import { decodeBarcodes, decodeEscp, findText } from '../../helpers/escp-decoder';
import { runComboio, schemasDir, spawnComboio } from '../../helpers/proc';
import { openFakePrinter, socatPair } from '../../helpers/socat';
import { tempDir } from '../../helpers/tmp';

const tmp = tempDir('comboio-printq-');
let one: NfeFixture;
let sixty: NfeFixture;
const file = (name: string, text: string) => {
  const p = join(tmp.dir, name);
  writeFileSync(p, text);
  return p;
};

beforeAll(() => {
  one = authorizedNfeFixture({ items: 1, numero: 2001, schemasDir });
  sixty = authorizedNfeFixture({ items: 60, numero: 2060, schemasDir });
});
afterAll(() => tmp.cleanup());

function openQueue(dataDir: string) {
  const store = openStore(join(dataDir, 'comboio.db'));
  migrateStore(store, defaultProjectPaths().migrationsDir);
  const printers = new PrintersRepo(store.db, systemClock);
  const queue = new PrintQueue({ db: store.db, clock: systemClock, resourcesDir: defaultProjectPaths().resourcesDir, printers, loadDanfe: danfeFromXml });
  return { store, printers, queue };
}

describe('persistent print queue', () => {
  it('survives a crash: queued jobs resume, the interrupted one fails with its reason, reprints are recorded', async () => {
    const dataDir = join(tmp.dir, 'ws1');
    const pair = await socatPair(tmp.dir, 'q');
    const fp = await openFakePrinter(pair.printer);
    const printer: PrinterConfig = { name: 'LX-300', settings: { kind: 'serial', ...SERIAL_DEFAULTS, path: pair.app, holdWarnMs: 500 }, calibration: { dxMm: 0, dyMm: 0 } };
    let a = openQueue(dataDir);
    a.printers.save(printer);
    a.store.close();
    // The printer holds XOFF, so the app's job 1 is mid-print when the app process is killed.
    void fp.waitForBytes(1).then(() => fp.xoff());
    const app = spawnComboio(['print', file('sixty-crash.xml', sixty.nfeProcXml), '--printer', 'LX-300', '--data', dataDir, '--user', 'ana']);
    await app.waitFor(/sem papel ou offline/);
    a = openQueue(dataDir);
    const j2 = await a.queue.enqueue({ printer, kind: 'danfe', xml: one.nfeProcXml, requestedBy: 'ana' });
    const j1 = a.queue.list().find((j) => j.id !== j2.id)!;
    expect(j1).toMatchObject({ state: 'printing', requestedBy: 'ana' });
    await app.kill('SIGKILL');
    await fp.xon();
    await fp.close();
    await pair.kill();

    const pair2 = await socatPair(tmp.dir, 'q2');
    const fp2 = await openFakePrinter(pair2.printer);
    a.printers.updatePath('LX-300', pair2.app);
    a.queue.start();
    const done2 = await a.queue.waitFor(j2.id);
    expect(done2.state).toBe('done');
    const failed1 = a.queue.get(j1.id);
    expect(failed1).toMatchObject({ state: 'failed', reasonCode: 'PRINT_JOB_INTERRUPTED' });
    expect(failed1.reason).toMatch(/Interrompido/);
    // "done" means the OS took the last byte; the reading end may still be catching up.
    await fp2.waitForBytes(done2.bytesTotal ?? 1, 15_000);
    expect(decodeBarcodes(decodeEscp(fp2.received()).pages[0]!)[0]!.digits).toBe(one.chave);

    const again = await a.queue.reprint(j1.id, 'bruno');
    expect(again).toMatchObject({ reprintOf: j1.id, requestedBy: 'bruno', state: 'queued' });
    expect((await a.queue.waitFor(again.id)).state).toBe('done');
    expect(a.queue.list().map((j) => [j.id, j.state])).toEqual([
      [again.id, 'done'],
      [j2.id, 'done'],
      [j1.id, 'failed'],
    ]);
    await fp2.waitForBytes(done2.bytesTotal! + again.bytesTotal!);
    expect(decodeEscp(fp2.received()).pages.length).toBe(done2.pages! + again.pages!);
    await a.queue.stop();
    a.store.close();
    await fp2.close();
    await pair2.kill();
  });

  it('cancels a queued job and retries a failed one', async () => {
    const dataDir = join(tmp.dir, 'ws2');
    const { store, queue } = openQueue(dataDir);
    const missing: PrinterConfig = { name: 'sumida', settings: { kind: 'serial', ...SERIAL_DEFAULTS, path: join(tmp.dir, 'COM42') }, calibration: { dxMm: 0, dyMm: 0 } };
    const j = await queue.enqueue({ printer: missing, kind: 'calibracao', requestedBy: 'ana' });
    const c = await queue.enqueue({ printer: missing, kind: 'calibracao', requestedBy: 'ana' });
    expect(queue.cancel(c.id, 'ana')).toMatchObject({ state: 'cancelled', reason: 'Cancelado por ana' });
    queue.start();
    const failed = await queue.waitFor(j.id);
    expect(failed).toMatchObject({ state: 'failed', reasonCode: 'PRINT_PORT_NOT_FOUND' });
    expect(queue.retry(j.id).state).toBe('queued');
    expect((await queue.waitFor(j.id)).attempts).toBe(2);
    await queue.stop();
    store.close();
  });
});

describe('comboio print / danfe / printers', () => {
  it('prints an authorized NF-e through a pty and returns after the last byte', async () => {
    const pair = await socatPair(tmp.dir, 'cli');
    const fp = await openFakePrinter(pair.printer);
    const xml = file('sixty.xml', sixty.nfeProcXml);
    const r = await runComboio(['print', xml, '--port', pair.app, '--baud', '9600', '--flow', 'xonxoff', '--data', join(tmp.dir, 'cli'), '--user', 'carla']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const m = /(\d+) folha\(s\), (\d+) bytes/.exec(r.stdout)!;
    await fp.waitForBytes(Number(m[2]));
    const dec = decodeEscp(fp.received());
    expect(dec.pages).toHaveLength(Number(m[1]));
    expect(findText(dec.pages[0]!, /ÓLEO DIESEL B S10 AÇÃO 1 /)).toBeDefined();
    for (const p of dec.pages) expect(decodeBarcodes(p)[0]!.digits).toBe(sixty.chave);
    await fp.close();
    await pair.kill();
  });

  it('refuses what is not an authorized NF-e and an unknown port', async () => {
    const data = join(tmp.dir, 'cli2');
    const signed = await runComboio(['print', file('signed.xml', one.signedXml), '--file', join(tmp.dir, 'out'), '--data', data]);
    expect(signed.code).toBe(1);
    expect(signed.stderr).toMatch(/não é uma NF-e autorizada.*\[PRINT_NOT_AUTHORIZED\]/);
    const denied = authorizedNfeFixture({ items: 1, numero: 2002, schemasDir, cStat: '302' });
    const d = await runComboio(['danfe', file('denied.xml', denied.nfeProcXml), '--pdf', join(tmp.dir, 'x.pdf')]);
    expect(d.code).toBe(1);
    expect(d.stderr).toMatch(/não autorizada pela SEFAZ \(cStat 302/);
    const port = await runComboio(['print', file('one.xml', one.nfeProcXml), '--port', join(tmp.dir, 'COM9'), '--data', data]);
    expect(port.code).toBe(1);
    expect(port.stderr).toMatch(/Porta serial não encontrada/);
    await expect(danfeFromXml('{"a":1}')).rejects.toThrow(/não é um XML de NF-e/);
  });

  it('writes the DANFE PDF with key, number, série, totals and every item', async () => {
    const xml = file('sixty-pdf.xml', sixty.nfeProcXml);
    const pdf = join(tmp.dir, 'sixty.pdf');
    const r = await runComboio(['danfe', xml, '--pdf', pdf]);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');
    const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
    const d = await danfeFromXml(sixty.nfeProcXml);
    expect(text).toContain(sixty.chave.replace(/(.{4})(?=.)/g, '$1 '));
    expect(text).toContain('Nº 000.002.060');
    expect(text).toContain('SÉRIE 1');
    expect(text).toContain(d.totais.valorNota.replace('.', ',').replace(/\B(?=(\d{3})+(?!\d))/g, '.'));
    expect(text).toContain(sixty.nProt);
    for (let i = 1; i <= 60; i++) expect(text).toContain(`DS10-${String(i).padStart(3, '0')}`);
    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }))![1]);
    expect(pages).toBeGreaterThan(1);
    expect(text).toContain(`FOLHA ${pages}/${pages}`);
    execFileSync('pdftoppm', ['-r', '60', '-png', pdf, join(tmp.dir, 'page')]);
  });

  it('lists printers and serial ports', async () => {
    const data = join(tmp.dir, 'cli3');
    expect((await runComboio(['printers', 'add', 'Balcão', '--port', 'COM3', '--baud', '19200', '--default', '--data', data])).code).toBe(0);
    expect((await runComboio(['printers', 'calibrate', 'Balcão', '--dx', '1,5', '--dy=-2', '--data', data])).code).toBe(0);
    const r = await runComboio(['printers', 'list', '--data', data]);
    expect(r.stdout).toMatch(/\* Balcão: COM3 19200 8N1 xonxoff \(dx 1.5 mm, dy -2 mm\)/);
    expect(r.stdout).toMatch(/Portas seriais:/);
  });
});
