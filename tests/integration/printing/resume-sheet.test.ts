import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../../src/core/clock';
import { defaultProjectPaths } from '../../../src/core/paths';
import { PrintingErrors } from '../../../src/core/printing/errors';
import { sheetOffsets } from '../../../src/core/printing/form-engine';
import { danfeFromXml, PrintersRepo, PrintQueue } from '../../../src/core/printing/index';
import { SERIAL_DEFAULTS } from '../../../src/core/printing/printer-config';
import { migrateStore } from '../../../src/core/store/migrate';
import { openStore } from '../../../src/core/store/open';
import { authorizedNfeFixture, type NfeFixture } from '../../helpers/authorized-nfe-fixture';
import { decodeBarcodes, decodeEscp, findText } from '../../helpers/escp-decoder';
import { schemasDir } from '../../helpers/proc';
import { openFakePrinter, socatPair } from '../../helpers/socat';
import { tempDir } from '../../helpers/tmp';

const tmp = tempDir('comboio-resume-');
let store: ReturnType<typeof openStore>;
let queue: PrintQueue;
let printers: PrintersRepo;
let sixty: NfeFixture;

beforeAll(() => {
  sixty = authorizedNfeFixture({ items: 120, numero: 7060, schemasDir });
  store = openStore(join(tmp.dir, 'comboio.db'));
  migrateStore(store, defaultProjectPaths().migrationsDir);
  printers = new PrintersRepo(store.db, systemClock);
  queue = new PrintQueue({ db: store.db, clock: systemClock, resourcesDir: defaultProjectPaths().resourcesDir, printers, loadDanfe: danfeFromXml });
  queue.start();
});
afterAll(async () => {
  await queue?.stop();
  store?.close();
  tmp.cleanup();
});

describe('an unplug mid-job (#22 item 23)', () => {
  it('tells the operator to realign the form and resumes from the sheet it stopped on, FOLHA and header repeated', async () => {
    const cable = await socatPair(tmp.dir, 'lx');
    const path = cable.app;
    printers.save({ name: 'LX-300', settings: { kind: 'serial', ...SERIAL_DEFAULTS, path }, calibration: { dxMm: 0, dyMm: 0 } });
    const fp = await openFakePrinter(cable.printer);
    const job = await queue.enqueue({ printer: printers.get('LX-300'), kind: 'danfe', xml: sixty.nfeProcXml, requestedBy: 'ana' });
    const whole = await queue.render(job, printers.get('LX-300'));
    const offsets = sheetOffsets(whole);
    expect(whole.pages).toBeGreaterThanOrEqual(4);
    // Hold the job in the middle of sheet 3 (XOFF, and stop reading, so a late XOFF under
    // load still leaves the job mid-way), then yank the cable.
    void fp.waitForBytes(offsets[2]! + 200).then(() => {
      fp.stopReading();
      return fp.xoff();
    });
    await fp.waitForBytes(offsets[2]! + 200);
    await new Promise((r) => setTimeout(r, 300));
    await cable.kill();
    const failed = await queue.waitFor(job.id);
    await fp.close();
    expect(failed).toMatchObject({ state: 'failed', reasonCode: PrintingErrors.PRINTER_DISCONNECTED });
    // The sheet it goes on from: the first the printer did not get whole (XOFF came in sheet 3).
    const k = (await queue.resumeSheet(job.id))!;
    expect(k).toBeGreaterThanOrEqual(3);
    expect(k).toBeLessThan(whole.pages);
    // Bytes the OS took may still be lost with the cable: hence "confira as folhas impressas".
    expect(failed.reason).toContain(`As folhas 1 a ${k - 1} de ${whole.pages} foram enviadas inteiras; a folha ${k} pode ter saído pela metade.`);
    expect(failed.reason).toContain(`realinhe o formulário no início de uma folha nova e use "Continuar da folha ${k}"`);
    expect(failed.reason).not.toContain('Nada foi');

    // Replugged: the same job goes on from sheet 3, the paper position taken as top of form.
    const again = await socatPair(tmp.dir, 'lx');
    const fp2 = await openFakePrinter(again.printer);
    const queued = await queue.resume(job.id);
    expect(queued.reason).toBe(`Continuar da folha ${k} de ${whole.pages}.`);
    const done = await queue.waitFor(job.id);
    expect(done.state).toBe('done');
    const expected = Buffer.concat([whole.bytes.subarray(0, offsets[0]), whole.bytes.subarray(offsets[k - 1])]);
    await fp2.waitForBytes(expected.length);
    const got = fp2.received();
    expect(got.equals(expected)).toBe(true);
    // The resumed stream starts with the reset and page length, and decodes into sheets 3..n
    // exactly as the whole job's sheets 3..n (pitch and bold sent again on each sheet).
    expect(got.subarray(0, 2)).toEqual(Buffer.from([0x1b, 0x40]));
    const resumed = decodeEscp(got).pages;
    const original = decodeEscp(whole.bytes).pages.slice(k - 1);
    expect(resumed).toHaveLength(whole.pages - k + 1);
    resumed.forEach((p, i) => {
      expect(p.texts.map((t) => [t.x, t.y, t.cpi, t.bold, t.text])).toEqual(original[i]!.texts.map((t) => [t.x, t.y, t.cpi, t.bold, t.text]));
      expect(decodeBarcodes(p)[0]!.digits).toBe(sixty.chave);
    });
    expect(findText(resumed[0]!, `${k}/${whole.pages}`)).toBeDefined();
    await fp2.close();
    await again.kill();
  });

  it('refuses a sheet the job does not have, and a resume of a job with no whole sheet', async () => {
    const job = await queue.enqueue({ printer: { name: 'sumida', settings: { kind: 'serial', ...SERIAL_DEFAULTS, path: join(tmp.dir, 'nao-existe') }, calibration: { dxMm: 0, dyMm: 0 } }, kind: 'danfe', xml: sixty.nfeProcXml, requestedBy: 'ana' });
    const failed = await queue.waitFor(job.id);
    expect(failed.reason).toContain('Nada foi impresso');
    await expect(queue.resume(job.id)).rejects.toMatchObject({ code: PrintingErrors.JOB_STATE, message: expect.stringContaining('use "Tentar de novo"') });
    await expect(queue.resume(job.id, 99)).rejects.toMatchObject({ message: expect.stringMatching(/^Folha 99 não existe: o trabalho \d+ tem \d+ folha\(s\)\.$/) });
  });
});
