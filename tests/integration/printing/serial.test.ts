import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadLayout } from '../../../src/core/printing/layout';
import { renderDanfeEscp } from '../../../src/core/printing/danfe-escp';
import { SERIAL_DEFAULTS, type SerialSettings } from '../../../src/core/printing/printer-config';
import { PrintingErrors } from '../../../src/core/printing/errors';
import { resolveSerialPath, sendSerial, STALL_MESSAGE } from '../../../src/core/printing/transport';
import { danfeFixture } from '../../helpers/danfe-fixture';
import { decodeBarcodes, decodeEscp, findText } from '../../helpers/escp-decoder';
import { repoRoot } from '../../helpers/proc';
import { openFakePrinter, socatPair, type FakePrinter, type PtyPair } from '../../helpers/socat';
import { tempDir } from '../../helpers/tmp';

const layout = loadLayout(join(repoRoot, 'resources'), 'danfe-continuo');
const tmp = tempDir('comboio-serial-');
let pair: PtyPair;
let printer: FakePrinter | undefined;

const settings = (path: string, extra: Partial<SerialSettings> = {}): SerialSettings => ({ kind: 'serial', path, ...SERIAL_DEFAULTS, ...extra });

beforeAll(async () => {
  pair = await socatPair(tmp.dir);
});
afterEach(async () => {
  await printer?.close();
  printer = undefined;
});
afterAll(async () => {
  await pair.kill();
  tmp.cleanup();
});

describe('DANFE over a serial pty (socat)', () => {
  it('prints a 1-item and a 60-item DANFE byte for byte, decodable into pages', async () => {
    printer = await openFakePrinter(pair.printer);
    for (const items of [1, 60]) {
      const d = danfeFixture({ items, nNF: 500 + items });
      const { bytes, pages } = renderDanfeEscp(d, layout);
      const before = printer.received().length;
      await sendSerial(settings(pair.app), bytes);
      await printer.waitForBytes(before + bytes.length);
      const got = printer.received().subarray(before);
      expect(got.equals(bytes)).toBe(true);
      const dec = decodeEscp(got);
      expect(dec.pages).toHaveLength(pages);
      expect(findText(dec.pages[0]!, /^AUTO POSTO CORAÇÃO DE MARIA LTDA$/)!.bytes).toEqual(
        Buffer.from([...Buffer.from('AUTO POSTO CORA'), 0x80, 0xc7, ...Buffer.from('O DE MARIA LTDA')]),
      );
      for (const p of dec.pages) expect(decodeBarcodes(p)[0]!.digits).toBe(d.chave);
      expect(findText(dec.pages.at(-1)!, `${pages}/${pages}`)).toBeDefined();
    }
  });

  it('holds on XOFF (reporting "sem papel ou offline") and completes in order on XON', async () => {
    printer = await openFakePrinter(pair.printer);
    const { bytes } = renderDanfeEscp(danfeFixture({ items: 60 }), layout);
    const big = Buffer.concat([bytes, bytes, bytes]);
    const fp = printer;
    const stalls: boolean[] = [];
    let sent = 0;
    void fp.waitForBytes(1).then(() => fp.xoff());
    const job = sendSerial(settings(pair.app, { stallWarnMs: 400, holdWarnMs: 400 }), big, {
      onStall: (s, message) => {
        stalls.push(s);
        if (s) expect(message).toBe(STALL_MESSAGE);
      },
      onProgress: (n) => (sent = n),
    });
    await expect.poll(() => stalls[0], { timeout: 5000 }).toBe(true);
    const heldAt = fp.received().length;
    const sentAt = sent;
    await new Promise((r) => setTimeout(r, 600));
    expect(fp.received().length).toBe(heldAt);
    expect(sent).toBe(sentAt);
    expect(heldAt).toBeLessThan(big.length);
    await fp.xon();
    await job;
    await fp.waitForBytes(big.length);
    expect(fp.received().equals(big)).toBe(true);
    expect(stalls).toEqual([true, false]);
  });

  it('fails with "sem papel ou offline" when the hold outlasts stallFailMs', async () => {
    printer = await openFakePrinter(pair.printer);
    const fp = printer;
    const { bytes } = renderDanfeEscp(danfeFixture({ items: 60 }), layout);
    void fp.waitForBytes(1).then(() => fp.xoff());
    const err = await sendSerial(settings(pair.app, { stallWarnMs: 200, stallFailMs: 1200 }), Buffer.concat([bytes, bytes])).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: PrintingErrors.PRINTER_OFFLINE, message: expect.stringMatching(/^Impressora sem papel ou offline/) });
    await fp.xon();
  });

  it('an undisturbed 500-item job, the printer holding XOFF while it prints each full buffer, shows no warning (#22 item 22)', async () => {
    printer = await openFakePrinter(pair.printer);
    const d = danfeFixture({ items: 500 });
    const { bytes } = renderDanfeEscp(d, layout);
    // Each hold is longer than stallWarnMs: only the printer's own XOFF explains it.
    const holds = printer.printLike(24 * 1024, 1200);
    const stalls: string[] = [];
    const before = printer.received().length;
    await sendSerial(settings(pair.app, { stallWarnMs: 800 }), bytes, { onStall: (s, m) => s && stalls.push(m) });
    await printer.waitForBytes(before + bytes.length);
    expect(holds()).toBeGreaterThanOrEqual(3);
    expect(stalls).toEqual([]);
    expect(printer.received().subarray(before).equals(bytes)).toBe(true);
    expect(decodeEscp(bytes).pages.length).toBeGreaterThan(20);
  });

  it('a real stall warns: XOFF held past holdWarnMs, or a printer that stops taking bytes without XOFF', async () => {
    printer = await openFakePrinter(pair.printer);
    const fp = printer;
    const { bytes } = renderDanfeEscp(danfeFixture({ items: 120 }), layout);
    const stalls: boolean[] = [];
    void fp.waitForBytes(1).then(() => fp.xoff());
    const held = sendSerial(settings(pair.app, { stallWarnMs: 5000, holdWarnMs: 800 }), bytes, {
      onStall: (s, m) => {
        stalls.push(s);
        if (s) expect(m).toBe(STALL_MESSAGE);
      },
    });
    await expect.poll(() => stalls[0], { timeout: 5000 }).toBe(true);
    await fp.xon();
    await held;
    expect(stalls).toEqual([true, false]);

    const silent: boolean[] = [];
    const before = fp.received().length;
    void fp.waitForBytes(before + 1).then(() => fp.stopReading());
    const job = sendSerial(settings(pair.app, { stallWarnMs: 800, holdWarnMs: 60_000 }), Buffer.concat([bytes, bytes, bytes]), { onStall: (s) => silent.push(s) });
    await expect.poll(() => silent[0], { timeout: 10_000 }).toBe(true);
    fp.resumeReading();
    await job;
    expect(silent).toEqual([true, false]);
  });

  it('refuses an unknown port with a clear message', async () => {
    const err = await sendSerial(settings(join(tmp.dir, 'COM99')), Buffer.from('x')).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: PrintingErrors.PORT_NOT_FOUND, message: expect.stringContaining('Porta serial não encontrada') });
  });

  it('finds a replugged adapter by serial number on its new path (mock port list)', async () => {
    const s = settings('COM3', { serialNumber: 'A1B2C3' });
    const list = async () => [{ path: 'COM4', serialNumber: 'ZZZ' }, { path: 'COM7', serialNumber: 'A1B2C3' }];
    expect(await resolveSerialPath(s, list)).toBe('COM7');
    expect(await resolveSerialPath(settings('COM3'), list)).toBe('COM3');
  });
});

describe('unplugging mid-job', () => {
  it('fails the job with the reason when socat dies', async () => {
    const own = await socatPair(tmp.dir, 'unplug');
    const fp = await openFakePrinter(own.printer);
    const { bytes } = renderDanfeEscp(danfeFixture({ items: 60 }), layout);
    void fp.waitForBytes(1).then(() => fp.xoff());
    const job = sendSerial(settings(own.app, { stallWarnMs: 200 }), Buffer.concat([bytes, bytes])).catch((e: unknown) => e);
    await fp.waitForBytes(1);
    await new Promise((r) => setTimeout(r, 300));
    await own.kill();
    const err = await job;
    expect(err).toMatchObject({ code: PrintingErrors.PRINTER_DISCONNECTED, message: expect.stringContaining('desconectada') });
    await fp.close();
  });
});
