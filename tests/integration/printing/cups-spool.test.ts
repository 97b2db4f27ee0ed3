import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../../src/core/clock';
import { defaultProjectPaths } from '../../../src/core/paths';
import { PrintingErrors } from '../../../src/core/printing/errors';
import { danfeFromXml, PrintersRepo, PrintQueue, type PrinterConfig, type SpoolSettings } from '../../../src/core/printing/index';
import { parsePrinterUri } from '../../../src/core/printing/printer-config';
import { CupsSpooler } from '../../../src/core/printing/spool-cups';
import { migrateStore } from '../../../src/core/store/migrate';
import { openStore } from '../../../src/core/store/open';
import { authorizedNfeFixture, type NfeFixture } from '../../helpers/authorized-nfe-fixture';
import { startCups, type PrivateCups } from '../../helpers/cups';
import { decodeBarcodes, decodeEscp } from '../../helpers/escp-decoder';
import { runComboio, schemasDir } from '../../helpers/proc';
import { CALIBRATION_TEST_DIGITS } from '../../../src/core/printing/calibration';
import { rawListener, type RawListener } from '../../helpers/raw-listener';
import { tempDir } from '../../helpers/tmp';

const tmp = tempDir('comboio-cups-');
const QUEUE = 'comboio-lx350';
let cups: PrivateCups;
let listener: RawListener;
let sixty: NfeFixture;
let store: ReturnType<typeof openStore>;
let queue: PrintQueue;
let printers: PrintersRepo;

beforeAll(async () => {
  listener = await rawListener();
  cups = await startCups(tmp.dir);
  // The spooler's clients (lp, lpstat, cancel) find this private scheduler through CUPS_SERVER.
  process.env.CUPS_SERVER = cups.server;
  // A raw queue (no driver, no filter) whose backend is the loopback print server.
  cups.run('lpadmin', ['-p', QUEUE, '-E', '-v', `socket://127.0.0.1:${listener.port}`]);
  sixty = authorizedNfeFixture({ items: 60, numero: 4060, schemasDir });
  store = openStore(join(tmp.dir, 'comboio.db'));
  migrateStore(store, defaultProjectPaths().migrationsDir);
  printers = new PrintersRepo(store.db, systemClock);
  queue = new PrintQueue({ db: store.db, clock: systemClock, resourcesDir: defaultProjectPaths().resourcesDir, printers, loadDanfe: danfeFromXml });
  queue.start();
}, 30_000);
afterAll(async () => {
  await queue?.stop();
  store?.close();
  await cups?.stop();
  await listener?.close();
  delete process.env.CUPS_SERVER;
  tmp.cleanup();
});

const spool = (extra: Partial<SpoolSettings> = {}): SpoolSettings => ({ ...(parsePrinterUri(`spool:${QUEUE}`) as SpoolSettings), pollMs: 100, ...extra });

describe('spool: through a real CUPS raw queue', () => {
  it('lists the installed printers, as Administração → Impressoras shows them', async () => {
    const list = await new CupsSpooler().list();
    expect(list).toContainEqual({ name: QUEUE, isDefault: false, detail: `socket://127.0.0.1:${listener.port}` });
  });

  it('prints the DANFE byte for byte through lp -o raw and reads the job state back to done', async () => {
    const printer: PrinterConfig = { name: 'LX-350 (USB)', settings: spool(), calibration: { dxMm: 0, dyMm: 0 } };
    printers.save(printer);
    const before = listener.connections().length;
    const job = await queue.enqueue({ printer: printers.get('LX-350 (USB)'), kind: 'danfe', xml: sixty.nfeProcXml, requestedBy: 'ana' });
    const done = await queue.waitFor(job.id);
    expect(done).toMatchObject({ state: 'done', reason: null });
    const expected = (await queue.render(done, printers.get('LX-350 (USB)'))).bytes;
    const got = (await listener.waitForConnections(before + 1))[before]!;
    expect(got.equals(expected)).toBe(true);
    const dec = decodeEscp(got);
    expect(dec.pages).toHaveLength(done.pages!);
    for (const p of dec.pages) expect(decodeBarcodes(p)[0]!.digits).toBe(sixty.chave);
    expect(cups.run('lpstat', ['-o', QUEUE]).trim()).toBe('');
  });

  it('a stopped queue is reported while the job waits, the job fails and leaves CUPS; the retry prints the form once', async () => {
    printers.save({ name: 'parada', settings: spool({ stallFailMs: 1500 }), calibration: { dxMm: 0, dyMm: 0 } });
    cups.run('cupsdisable', ['-r', 'sem papel', QUEUE]);
    const stalls: string[] = [];
    const onStall = (s: { stalled: boolean; message: string }) => s.stalled && stalls.push(s.message);
    queue.on('stall', onStall);
    const before = listener.connections().length;
    const job = await queue.enqueue({ printer: printers.get('parada'), kind: 'danfe', xml: sixty.nfeProcXml, requestedBy: 'ana' });
    const failed = await queue.waitFor(job.id);
    queue.off('stall', onStall);
    expect(failed).toMatchObject({ state: 'failed', reasonCode: PrintingErrors.PRINTER_OFFLINE });
    expect(failed.reason).toMatch(new RegExp(`^Fila do sistema "${QUEUE}" parada: .*sem papel.*realinhe o formulário`));
    expect(stalls[0]).toMatch(/^Fila do sistema "comboio-lx350" parada/);
    // Cancelled in CUPS too: enabling the queue must not print it behind the retry's back.
    expect(cups.run('lpstat', ['-o', QUEUE]).trim()).toBe('');
    cups.run('cupsenable', [QUEUE]);
    queue.retry(job.id);
    const done = await queue.waitFor(job.id);
    expect(done.state).toBe('done');
    const all = await listener.waitForConnections(before + 1);
    await new Promise((r) => setTimeout(r, 300));
    expect(listener.connections()).toHaveLength(before + 1);
    expect(all[before]!.equals((await queue.render(done, printers.get('parada'))).bytes)).toBe(true);
  });

  it('a job CUPS aborts (backend fails under the abort-job policy) is failed with the reason in Portuguese, not reported done', async () => {
    // A print server that is gone: connections to a closed loopback port are refused.
    const gone = await rawListener();
    const port = gone.port;
    await gone.close();
    cups.run('lpadmin', ['-p', 'abortada', '-E', '-v', `socket://127.0.0.1:${port}/?contimeout=2`, '-o', 'printer-error-policy=abort-job']);
    printers.save({ name: 'abortada', settings: { ...spool(), path: 'spool:abortada', queue: 'abortada' }, calibration: { dxMm: 0, dyMm: 0 } });
    const job = await queue.enqueue({ printer: printers.get('abortada'), kind: 'danfe', xml: sixty.nfeProcXml, requestedBy: 'ana' });
    const failed = await queue.waitFor(job.id);
    expect(failed).toMatchObject({ state: 'failed', reasonCode: PrintingErrors.SPOOLER_FAILED });
    expect(failed.reason).toMatch(/^A fila do sistema "abortada" abortou o trabalho abortada-\d+: a impressora (não responde|pode não existir ou estar indisponível)\./);
    expect(failed.reason).not.toMatch(/printer|responding|unavailable/i);
    expect(failed.reason).toContain('realinhe o formulário');
    // What CUPS itself says about the job: aborted, as Comboio's queue shows it.
    expect(cups.run('lpstat', ['-W', 'completed', '-o', 'abortada'])).toMatch(/^abortada-\d+/);
  });

  it('a job cancelled in CUPS behind Comboio\'s back is not reported as printed', async () => {
    cups.run('lpadmin', ['-p', 'cancelada', '-E', '-v', `socket://127.0.0.1:${listener.port}`]);
    cups.run('cupsdisable', ['cancelada']);
    printers.save({ name: 'cancelada', settings: { ...spool({ stallFailMs: 60_000 }), path: 'spool:cancelada', queue: 'cancelada' }, calibration: { dxMm: 0, dyMm: 0 } });
    const spoolIds: string[] = [];
    const job = await queue.enqueue({ printer: printers.get('cancelada'), kind: 'calibracao', requestedBy: 'ana' });
    for (let i = 0; i < 100 && spoolIds.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      spoolIds.push(...cups.run('lpstat', ['-o', 'cancelada']).split('\n').map((l) => l.split(/\s+/)[0]!).filter(Boolean));
    }
    expect(spoolIds).toHaveLength(1);
    cups.run('cancel', [spoolIds[0]!]);
    const failed = await queue.waitFor(job.id);
    expect(failed).toMatchObject({ state: 'failed', reasonCode: PrintingErrors.SPOOLER_FAILED });
    expect(failed.reason).toMatch(new RegExp(`^O trabalho ${spoolIds[0]} foi cancelado na fila do sistema "cancelada" \\(cancelado`));
  });

  it('a failing backend under the default policy stops the queue: shown in Portuguese while it waits, then failed', async () => {
    const gone = await rawListener();
    const port = gone.port;
    await gone.close();
    cups.run('lpadmin', ['-p', 'parou', '-E', '-v', `socket://127.0.0.1:${port}/?contimeout=2`, '-o', 'printer-error-policy=stop-printer']);
    printers.save({ name: 'parou', settings: { ...spool({ stallFailMs: 6000 }), path: 'spool:parou', queue: 'parou' }, calibration: { dxMm: 0, dyMm: 0 } });
    const stalls: string[] = [];
    const onStall = (s: { stalled: boolean; message: string }) => s.stalled && stalls.push(s.message);
    queue.on('stall', onStall);
    const job = await queue.enqueue({ printer: printers.get('parou'), kind: 'calibracao', requestedBy: 'ana' });
    const failed = await queue.waitFor(job.id);
    queue.off('stall', onStall);
    expect(failed).toMatchObject({ state: 'failed', reasonCode: PrintingErrors.PRINTER_OFFLINE });
    expect(stalls.some((m) => /^Fila do sistema "parou" parada: .*(a impressora não responde|indisponível|fila pausada)/.test(m)), stalls.join('\n')).toBe(true);
    expect(failed.reason).not.toMatch(/printer|responding|unavailable/i);
    expect(cups.run('lpstat', ['-o', 'parou']).trim()).toBe('');
  });

  it('comboio printers add --port tcp:// | spool: and comboio print --printer / --port print through them', async () => {
    const data = join(tmp.dir, 'cli');
    const env = { CUPS_SERVER: cups.server };
    const add = async (name: string, port: string) => {
      const r = await runComboio(['printers', 'add', name, '--port', port, '--data', data], { env });
      expect(r.code, r.stderr).toBe(0);
    };
    await add('Rede', `tcp://127.0.0.1:${listener.port}`);
    await add('Sistema', `spool:${QUEUE}`);
    const list = await runComboio(['printers', 'list', '--data', data], { env });
    expect(list.stdout).toContain(`Rede: rede tcp://127.0.0.1:${listener.port} (dx 0 mm, dy 0 mm)`);
    expect(list.stdout).toContain(`Sistema: fila do sistema spool:${QUEUE} (dx 0 mm, dy 0 mm)`);
    // The installed printers are listed by the same command (the CUPS queue of this test).
    expect(list.stdout).toMatch(new RegExp(`Impressoras instaladas no sistema \\(use spool:NOME\\):[^]*spool:${QUEUE}  socket://127\\.0\\.0\\.1:${listener.port}`));
    for (const args of [
      ['print', 'calibration', '--printer', 'Rede'],
      ['print', 'calibration', '--printer', 'Sistema'],
      ['print', 'calibration', '--port', `spool:${QUEUE}`],
      ['print', 'calibration', '--port', `tcp://127.0.0.1:${listener.port}`],
    ]) {
      const before = listener.connections().length;
      const r = await runComboio([...args, '--data', data, '--user', 'ana'], { env });
      expect(r.code, `${args.join(' ')}: ${r.stdout}${r.stderr}`).toBe(0);
      const got = (await listener.waitForConnections(before + 1))[before]!;
      expect(decodeBarcodes(decodeEscp(got).pages[0]!)[0]!.digits, args.join(' ')).toBe(CALIBRATION_TEST_DIGITS);
    }
    const bad = await runComboio(['printers', 'add', 'Errada', '--port', 'tcp://', '--data', data], { env });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('Endereço de rede inválido: tcp://. Use tcp://IP-OU-NOME:9100.');
  });

  it('an unknown queue is refused with the printer named', async () => {
    printers.save({ name: 'sumida', settings: { ...spool(), path: 'spool:nao-existe', queue: 'nao-existe' }, calibration: { dxMm: 0, dyMm: 0 } });
    const job = await queue.enqueue({ printer: printers.get('sumida'), kind: 'calibracao', requestedBy: 'ana' });
    const failed = await queue.waitFor(job.id);
    expect(failed).toMatchObject({ state: 'failed', reasonCode: PrintingErrors.PRINTER_NOT_FOUND });
    expect(failed.reason).toContain('A impressora "nao-existe" não está instalada no sistema (CUPS)');
  });
});
