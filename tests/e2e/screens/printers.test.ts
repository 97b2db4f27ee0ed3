import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CALIBRATION_TEST_DIGITS } from '../../../src/core/printing/calibration';
import { startCups, type PrivateCups } from '../../helpers/cups';
import { decodeBarcodes, decodeEscp, findText } from '../../helpers/escp-decoder';
import { rawListener, type RawListener } from '../../helpers/raw-listener';
import { openFakePrinter, socatPair, type FakePrinter, type PtyPair } from '../../helpers/socat';
import { tempDir } from '../../helpers/tmp';
import { DEMO, openDemoHost, signIn, type DemoHost } from './pages';

// Administração → Impressoras with every kind of printer a faturista may have: a network
// printer (a loopback TCP listener), a printer installed in the system (a private CUPS raw
// queue whose backend is a second listener), a USB printer written directly (a FIFO standing
// in for /dev/usb/lp0) and a serial one (a socat pty). Each is configured on the screen and
// prints its calibration page; the bytes each sink received are decoded back.
const tmp = tempDir('comboio-e2e-printers-');
let host: DemoHost;
let page: Page;
let tcp: RawListener;
let cupsSink: RawListener;
let cups: PrivateCups;
let pty: PtyPair;
let serial: FakePrinter;
let usb: { chunks: Buffer[]; stop(): void };
const QUEUE = 'LX350-USB';

/** Reads a FIFO as a printer device does, reopening it after each job's writer closes it. */
function fifoReader(path: string): { chunks: Buffer[]; stop(): void } {
  const chunks: Buffer[] = [];
  const cat = spawn('sh', ['-c', `while true; do cat "${path}"; done`], { stdio: ['ignore', 'pipe', 'ignore'], detached: true });
  cat.stdout.on('data', (d: Buffer) => chunks.push(d));
  return { chunks, stop: () => process.kill(-cat.pid!, 'SIGKILL') };
}

beforeAll(async () => {
  tcp = await rawListener();
  cupsSink = await rawListener();
  cups = await startCups(tmp.dir);
  cups.run('lpadmin', ['-p', QUEUE, '-E', '-v', `socket://127.0.0.1:${cupsSink.port}`]);
  pty = await socatPair(tmp.dir, 'com');
  serial = await openFakePrinter(pty.printer);
  const usbDir = join(tmp.dir, 'usb');
  mkdirSync(usbDir);
  execFileSync('mkfifo', [join(usbDir, 'lp0')]);
  usb = fifoReader(join(usbDir, 'lp0'));
  host = await openDemoHost('impressoras', { env: { CUPS_SERVER: cups.server, COMBOIO_USB_DEVICE_DIR: usbDir } });
  page = host.page;
}, 120_000);
afterAll(async () => {
  await host?.close();
  usb?.stop();
  await serial?.close();
  await pty?.kill();
  await cups?.stop();
  await tcp?.close();
  await cupsSink?.close();
  tmp.cleanup();
});

/** The calibration page as the printer got it: one page, the test barcode readable. */
function expectCalibrationPage(bytes: Buffer, name: string) {
  const dec = decodeEscp(bytes);
  expect(dec.pages, name).toHaveLength(1);
  expect(decodeBarcodes(dec.pages[0]!).map((b) => b.digits), name).toEqual([CALIBRATION_TEST_DIGITS]);
  expect(findText(dec.pages[0]!, name), `"${name}" printed on its page`).toBeDefined();
}

async function newPrinter(name: string, kind: string): Promise<void> {
  await page.getByRole('button', { name: 'Nova impressora' }).click();
  const form = page.getByRole('form', { name: 'Nova impressora' });
  await form.getByLabel('Nome').fill(name);
  await form.getByLabel('Tipo').selectOption(kind);
}

async function saveAndCalibrate(name: string, shot: string): Promise<void> {
  const form = page.locator('form.detail-panel');
  await form.getByRole('button', { name: 'Imprimir calibração' }).click();
  await page.getByText(`Impressora ${name} salva.`).waitFor();
  // The form follows the test page until the printer took it.
  await form.getByText('Página de calibração: Impresso').waitFor({ timeout: 30_000 });
  await host.shot(shot);
  await expect(form.getByRole('alert').count(), `${name}: an error on the form`).resolves.toBe(0);
  await form.getByRole('button', { name: 'Fechar', exact: true }).click();
}

describe('Administração → Impressoras: every kind of printer configured on the screen prints its test page (#24)', () => {
  it('network (tcp://), installed in the system (spool:), USB direct (usb:) and serial (a typed pty)', async () => {
    await signIn(page, host.url, DEMO.admin);
    await page.getByRole('link', { name: 'Administração' }).or(page.getByRole('button', { name: 'Administração' })).first().click();
    await page.getByRole('tab', { name: 'Impressoras' }).click();
    await page.getByRole('table', { name: 'Impressoras' }).waitFor();

    await newPrinter('Rede LX-350', 'tcp');
    await page.getByLabel('Endereço (tcp://IP:9100)').fill(`tcp://127.0.0.1:${tcp.port}`);
    await saveAndCalibrate('Rede LX-350', 'tcp');
    expectCalibrationPage((await tcp.waitForConnections(1))[0]!, 'Rede LX-350');

    await newPrinter('LX-350 (USB)', 'spool');
    const installed = page.getByLabel('Impressora do sistema');
    await installed.locator(`option[value="spool:${QUEUE}"]`).waitFor({ state: 'attached' });
    await installed.selectOption(`spool:${QUEUE}`);
    await host.shot('spool-escolha');
    await saveAndCalibrate('LX-350 (USB)', 'spool');
    expectCalibrationPage((await cupsSink.waitForConnections(1))[0]!, 'LX-350 (USB)');

    await newPrinter('Epson direta', 'device');
    await page.getByLabel('Dispositivo (usb:, /dev/usb/lp0, LPT1)').fill('usb:');
    await saveAndCalibrate('Epson direta', 'usb');
    await expect.poll(() => Buffer.concat(usb.chunks).length, { timeout: 20_000 }).toBeGreaterThan(100);
    await expect.poll(() => decodeEscp(Buffer.concat(usb.chunks)).pages.length > 0 && decodeBarcodes(decodeEscp(Buffer.concat(usb.chunks)).pages[0]!).length, { timeout: 20_000 }).toBe(1);
    expectCalibrationPage(Buffer.concat(usb.chunks), 'Epson direta');

    await newPrinter('FX-890 serial', 'serial');
    await page.getByLabel('Porta', { exact: true }).selectOption('__outra__');
    await page.getByLabel('Porta (digitada)').fill(pty.app);
    await page.getByLabel('Velocidade (baud)').selectOption('19200');
    await saveAndCalibrate('FX-890 serial', 'serial');
    await expect.poll(() => serial.received().length, { timeout: 20_000 }).toBeGreaterThan(100);
    await expect.poll(() => { try { return decodeBarcodes(decodeEscp(serial.received()).pages[0]!).length; } catch { return 0; } }, { timeout: 20_000 }).toBe(1);
    expectCalibrationPage(serial.received(), 'FX-890 serial');

    // The list shows each kind with its address; the queue shows four printed test pages.
    const table = page.getByRole('table', { name: 'Impressoras' });
    for (const [name, kind, path] of [
      ['Rede LX-350', 'Rede (TCP)', `tcp://127.0.0.1:${tcp.port}`],
      ['LX-350 (USB)', 'Impressora do sistema', `spool:${QUEUE}`],
      ['Epson direta', 'USB/LPT direto', 'usb:'],
      ['FX-890 serial', 'Serial', pty.app],
    ]) {
      const row = table.getByRole('row').filter({ hasText: name });
      await expect(row.getByRole('cell').nth(1).textContent()).resolves.toBe(kind);
      await expect(row.getByRole('cell').nth(2).textContent()).resolves.toBe(path);
    }
    await host.shot('lista');
    await page.getByRole('link', { name: 'Expedição' }).or(page.getByRole('button', { name: 'Expedição' })).first().click();
    await page.getByRole('tab', { name: 'Fila de impressão' }).click();
    const jobs = page.getByRole('table', { name: 'Fila de impressão' }).getByTestId('print-job');
    await expect.poll(async () => (await jobs.filter({ hasText: 'Página de calibração' }).getByTestId('print-job-state').allTextContents()).join('|'), { timeout: 30_000 }).toMatch(/^(Impresso\|){3}Impresso$/);
    await host.shot('fila');
    expect(host.pageErrors).toEqual([]);
  });
});
