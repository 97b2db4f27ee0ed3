import { describe, expect, it } from 'vitest';
import { PrintingErrors } from '../../../src/core/printing/errors';
import { parsePrinterUri, type SpoolSettings } from '../../../src/core/printing/printer-config';
import { loadNodePrinter, NODE_PRINTER_MODULE, WindowsSpooler, type NodePrinterBinding } from '../../../src/core/printing/spool-windows';
import { sendSpool } from '../../../src/core/printing/transport-spool';

/**
 * A stand-in for @thiagoelg/node-printer's winspool calls: it records what Comboio passes
 * and replays the job status flags the Windows spooler reports, one per getJob call.
 */
function fakeBinding(statuses: (string[] | 'gone')[], opts: { refuse?: string } = {}) {
  const printed: { data: Buffer; printer: string; type: string; docname?: string }[] = [];
  const cancelled: number[] = [];
  let calls = 0;
  const binding: NodePrinterBinding = {
    getPrinters: () => [
      { name: 'EPSON LX-350', isDefault: true, options: { 'driver-name': 'Generic / Text Only', 'port-name': 'USB001' } },
      { name: 'Microsoft Print to PDF', isDefault: false },
    ],
    printDirect(o) {
      if (opts.refuse) return o.error(new Error(opts.refuse));
      printed.push({ data: Buffer.from(o.data), printer: o.printer, type: o.type, ...(o.docname ? { docname: o.docname } : {}) });
      setImmediate(() => o.success('17'));
    },
    getJob(_printer, jobId) {
      const st = statuses[Math.min(calls++, statuses.length - 1)]!;
      if (st === 'gone' || cancelled.includes(jobId)) throw new Error('Error on GetJob');
      return { id: jobId, status: st };
    },
    setJob(_printer, jobId, command) {
      if (command === 'CANCEL') cancelled.push(jobId);
    },
  };
  return { binding, printed, cancelled };
}

const settings = (extra: Partial<SpoolSettings> = {}): SpoolSettings => ({ ...(parsePrinterUri('spool:EPSON LX-350') as SpoolSettings), pollMs: 10, ...extra });
const job = Buffer.from([0x1b, 0x40, 0x41, 0x80, 0xc7, 0x0c, 0x00, 0xff]);

describe('Windows spooler RAW path (binding mocked: Windows is not here)', () => {
  it('submits the bytes untouched with the RAW datatype and follows the job to the end', async () => {
    const fake = fakeBinding([['SPOOLING'], ['PRINTING'], ['PRINTING'], 'gone']);
    const progress: number[] = [];
    let spoolJob = '';
    await sendSpool(settings(), job, { title: 'DANFE NF-e 12 série 1', onProgress: (n) => progress.push(n), onSpoolJob: (id) => (spoolJob = id) }, new WindowsSpooler(() => fake.binding));
    expect(fake.printed).toEqual([{ data: job, printer: 'EPSON LX-350', type: 'RAW', docname: 'DANFE NF-e 12 série 1' }]);
    expect(spoolJob).toBe('17');
    expect(progress).toEqual([job.length]);
  });

  it('reports paper out from the job status, and the job goes on when it clears', async () => {
    const fake = fakeBinding([['PRINTING'], ['PRINTING', 'PAPEROUT', 'ERROR'], ['PRINTING', 'PAPEROUT', 'ERROR'], ['PRINTING'], ['PRINTED']]);
    const stalls: [boolean, string][] = [];
    await sendSpool(settings(), job, { onStall: (s, m) => stalls.push([s, m]) }, new WindowsSpooler(() => fake.binding));
    expect(stalls).toEqual([
      [true, 'Impressora sem papel ("EPSON LX-350")'],
      [false, 'Impressora voltou a receber dados'],
    ]);
    expect(fake.cancelled).toEqual([]);
  });

  it('a problem that outlasts stallFailMs fails the job and cancels it in the spooler (no second copy on retry)', async () => {
    const fake = fakeBinding([['OFFLINE']]);
    const err = await sendSpool(settings({ stallFailMs: 200 }), job, {}, new WindowsSpooler(() => fake.binding)).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: PrintingErrors.PRINTER_OFFLINE, message: expect.stringMatching(/^Impressora offline \("EPSON LX-350"\): a impressora parou de receber dados/) });
    expect(fake.cancelled).toEqual([17]);
  });

  it('the operator cancelling in Comboio cancels the spooler job too', async () => {
    const fake = fakeBinding([['PRINTING']]);
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 50);
    const err = await sendSpool(settings(), job, { signal: abort.signal }, new WindowsSpooler(() => fake.binding)).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: PrintingErrors.JOB_CANCELLED });
    expect(fake.cancelled).toEqual([17]);
  });

  it('a job deleted in the Windows queue is a failure with the reason', async () => {
    const fake = fakeBinding([['PRINTING'], ['DELETING']]);
    const err = await sendSpool(settings(), job, {}, new WindowsSpooler(() => fake.binding)).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: PrintingErrors.SPOOLER_FAILED, message: 'Trabalho cancelado na fila do Windows ("EPSON LX-350").' });
  });

  it('a printer that is not installed is refused by name', async () => {
    const fake = fakeBinding([], { refuse: 'Printer not found' });
    const err = await sendSpool(settings(), job, {}, new WindowsSpooler(() => fake.binding)).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: PrintingErrors.PRINTER_NOT_FOUND, message: expect.stringContaining('"EPSON LX-350" não está instalada no Windows') });
  });

  it('lists the installed printers with driver and port', async () => {
    const fake = fakeBinding([]);
    expect(await new WindowsSpooler(() => fake.binding).list()).toEqual([
      { name: 'EPSON LX-350', isDefault: true, detail: 'Generic / Text Only, USB001' },
      { name: 'Microsoft Print to PDF', isDefault: false },
    ]);
  });

  it('without the native binding installed, says so in Portuguese', () => {
    const missing = () => {
      throw new Error(`Cannot find module '${NODE_PRINTER_MODULE}'`);
    };
    expect(() => loadNodePrinter(missing)).toThrow(/biblioteca de impressão do Windows \(@thiagoelg\/node-printer\) não está instalada/);
  });
});
