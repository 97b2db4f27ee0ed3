import { execFileSync } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../../src/core/clock';
import { defaultProjectPaths } from '../../../src/core/paths';
import { renderDanfeEscp } from '../../../src/core/printing/danfe-escp';
import { PrintingErrors } from '../../../src/core/printing/errors';
import { danfeFromXml, PrintersRepo, PrintQueue, SERIAL_DEFAULTS, type PrinterConfig } from '../../../src/core/printing/index';
import { loadLayout } from '../../../src/core/printing/layout';
import { parsePrinterUri, type TcpSettings } from '../../../src/core/printing/printer-config';
import { sendDevice } from '../../../src/core/printing/transport-device';
import { sendSerial } from '../../../src/core/printing/transport';
import { sendTcp } from '../../../src/core/printing/transport-tcp';
import { migrateStore } from '../../../src/core/store/migrate';
import { openStore } from '../../../src/core/store/open';
import { authorizedNfeFixture, type NfeFixture } from '../../helpers/authorized-nfe-fixture';
import { danfeFixture } from '../../helpers/danfe-fixture';
import { decodeBarcodes, decodeEscp, findText } from '../../helpers/escp-decoder';
import { repoRoot, schemasDir } from '../../helpers/proc';
import { rawListener, type RawListener } from '../../helpers/raw-listener';
import { openFakePrinter, socatPair } from '../../helpers/socat';
import { tempDir } from '../../helpers/tmp';

const layout = loadLayout(join(repoRoot, 'resources'), 'danfe-continuo');
const tmp = tempDir('comboio-net-');
let listener: RawListener;
let sixty: NfeFixture;

beforeAll(async () => {
  listener = await rawListener();
  sixty = authorizedNfeFixture({ items: 60, numero: 3060, schemasDir });
});
afterAll(async () => {
  await listener.close();
  tmp.cleanup();
});

const tcp = (port: number, extra: Partial<TcpSettings> = {}): TcpSettings => ({ ...(parsePrinterUri(`tcp://127.0.0.1:${port}`) as TcpSettings), ...extra });

function openQueue(name: string) {
  const store = openStore(join(tmp.dir, `${name}.db`));
  migrateStore(store, defaultProjectPaths().migrationsDir);
  const printers = new PrintersRepo(store.db, systemClock);
  const queue = new PrintQueue({ db: store.db, clock: systemClock, resourcesDir: defaultProjectPaths().resourcesDir, printers, loadDanfe: danfeFromXml });
  return { store, printers, queue };
}

describe('raw TCP (tcp://HOST:9100) on a loopback print server', () => {
  it('delivers the same bytes as the serial port for the same job, decodable into the pages', async () => {
    const d = danfeFixture({ items: 60, nNF: 777 });
    const { bytes, pages } = renderDanfeEscp(d, layout);
    const pair = await socatPair(tmp.dir, 'cmp');
    const fp = await openFakePrinter(pair.printer);
    await sendSerial({ kind: 'serial', ...SERIAL_DEFAULTS, path: pair.app }, bytes);
    await fp.waitForBytes(bytes.length);
    const serialOut = fp.received();
    await fp.close();
    await pair.kill();

    listener.mode = { kind: 'normal' };
    const before = listener.connections().length;
    await sendTcp(tcp(listener.port), bytes);
    const tcpOut = (await listener.waitForConnections(before + 1))[before]!;
    expect(tcpOut.equals(serialOut)).toBe(true);
    expect(tcpOut.equals(bytes)).toBe(true);
    const dec = decodeEscp(tcpOut);
    expect(dec.pages).toHaveLength(pages);
    for (const p of dec.pages) expect(decodeBarcodes(p)[0]!.digits).toBe(d.chave);
    expect(findText(dec.pages.at(-1)!, `${pages}/${pages}`)).toBeDefined();
  });

  it('a refused connection is a fault with a Portuguese reason', async () => {
    const closed = await rawListener();
    const port = closed.port;
    await closed.close();
    const err = await sendTcp(tcp(port), Buffer.from('x')).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: PrintingErrors.PRINTER_UNREACHABLE, message: expect.stringContaining(`127.0.0.1:${port} recusou a conexão`) });
  });

  it('a print server that stops reading mid-job: warned, then failed; "Tentar de novo" prints the whole form once', async () => {
    const { store, printers, queue } = openQueue('stall');
    const printer: PrinterConfig = { name: 'LX-350 rede', settings: tcp(listener.port, { stallWarnMs: 300, stallFailMs: 1500 }), calibration: { dxMm: 0, dyMm: 0 } };
    printers.save(printer);
    const stalls: string[] = [];
    queue.on('stall', (s) => s.stalled && stalls.push(s.message));
    listener.mode = { kind: 'stall', after: 2000 };
    const before = listener.connections().length;
    const job = await queue.enqueue({ printer: printers.get('LX-350 rede'), kind: 'danfe', xml: sixty.nfeProcXml, requestedBy: 'ana' });
    queue.start();
    const failed = await queue.waitFor(job.id);
    expect(failed).toMatchObject({ state: 'failed', reasonCode: PrintingErrors.PRINTER_OFFLINE });
    expect(failed.reason).toMatch(/^Impressora sem papel ou offline: a impressora parou de receber dados/);
    expect(failed.reason).toMatch(/realinhe o formulário no início de uma folha nova antes de "Tentar de novo"/);
    expect(stalls).toContain('Impressora sem papel ou offline');
    const partial = (await listener.waitForConnections(before + 1))[before]!;
    expect(partial.length).toBe(2000);

    listener.mode = { kind: 'normal' };
    queue.retry(job.id);
    const done = await queue.waitFor(job.id);
    expect(done).toMatchObject({ state: 'done', attempts: 2 });
    const all = await listener.waitForConnections(before + 2);
    expect(all).toHaveLength(before + 2);
    const whole = all[before + 1]!;
    expect(whole.length).toBe(done.bytesTotal);
    const dec = decodeEscp(whole);
    expect(dec.resets).toBe(1);
    expect(dec.pages).toHaveLength(done.pages!);
    for (const p of dec.pages) expect(decodeBarcodes(p)[0]!.digits).toBe(sixty.chave);
    await queue.stop();
    store.close();
  });

  it('a print server that drops the connection mid-job: failed as disconnected; retry prints the whole form once', async () => {
    const { store, printers, queue } = openQueue('reset');
    printers.save({ name: 'rede', settings: tcp(listener.port, { stallWarnMs: 300, stallFailMs: 5000 }), calibration: { dxMm: 0, dyMm: 0 } });
    listener.mode = { kind: 'reset', after: 1500 };
    const before = listener.connections().length;
    const job = await queue.enqueue({ printer: printers.get('rede'), kind: 'danfe', xml: sixty.nfeProcXml, requestedBy: 'ana' });
    queue.start();
    const failed = await queue.waitFor(job.id);
    expect(failed).toMatchObject({ state: 'failed', reasonCode: PrintingErrors.PRINTER_DISCONNECTED });
    expect(failed.reason).toMatch(/encerrou a conexão no meio da impressão.*realinhe o formulário/);
    listener.mode = { kind: 'normal' };
    queue.retry(job.id);
    const done = await queue.waitFor(job.id);
    expect(done.state).toBe('done');
    const all = await listener.waitForConnections(before + 2);
    expect(all[before]!.length).toBe(1500);
    expect(all[before + 1]!.length).toBe(done.bytesTotal);
    expect(decodeBarcodes(decodeEscp(all[before + 1]!).pages[0]!)[0]!.digits).toBe(sixty.chave);
    await queue.stop();
    store.close();
  });
});

describe('direct device writes (a FIFO stands in for /dev/usb/lp0)', () => {
  it('writes the whole job to the device, byte for byte', async () => {
    const fifo = join(tmp.dir, 'lp0');
    execFileSync('mkfifo', [fifo]);
    const { bytes } = renderDanfeEscp(danfeFixture({ items: 5 }), layout);
    const got: Buffer[] = [];
    const reader = new Promise<Buffer>((ok, fail) => {
      const rs = createReadStream(fifo);
      rs.on('data', (d) => got.push(d as Buffer));
      rs.on('end', () => ok(Buffer.concat(got)));
      rs.on('error', fail);
    });
    const target = await sendDevice({ kind: 'device', path: fifo }, bytes);
    expect(target).toBe(fifo);
    expect((await reader).equals(bytes)).toBe(true);
  });

  it('a device that is not there is refused with a clear message', async () => {
    const err = await sendDevice({ kind: 'device', path: join(tmp.dir, 'usb', 'lp9') }, Buffer.from('x')).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: PrintingErrors.PORT_NOT_FOUND, message: expect.stringContaining('Impressora não encontrada em') });
  });
});
