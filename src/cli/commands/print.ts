import { userInfo } from 'node:os';
import { systemClock } from '../../core/clock';
import { defaultProjectPaths } from '../../core/paths';
import {
  danfeFromXml,
  isCteXml,
  listPorts,
  parseFlow,
  parsePrinterUri,
  PrintersRepo,
  PrintQueue,
  type PrinterConfig,
} from '../../core/printing/index';
import { parseFlags, UsageError, type Command } from '../command';
import { readXmlFile } from './danfe';
import { openWorkstationStore, parseBaud, parseMm } from './printers';

const flags = {
  printer: { type: 'string' },
  port: { type: 'string' },
  baud: { type: 'string' },
  flow: { type: 'string' },
  file: { type: 'string' },
  layout: { type: 'string' },
  user: { type: 'string' },
  data: { type: 'string' },
  dx: { type: 'string' },
  dy: { type: 'string' },
  limit: { type: 'string' },
  folha: { type: 'string' },
} as const;

const STATE_LABELS: Record<string, string> = { queued: 'na fila', printing: 'imprimindo', done: 'impresso', failed: 'falhou', cancelled: 'cancelado' };

/** Waits for a job the running queue picked up; prints the outcome like a fresh print. */
async function finish(queue: PrintQueue, id: number, printerName: string): Promise<number> {
  queue.on('stall', (s) => process.stderr.write(`${s.stalled ? 'Aviso' : 'Ok'}: ${s.message}\n`));
  queue.start();
  const done = await queue.waitFor(id);
  if (done.state !== 'done') {
    process.stderr.write(`comboio: impressão não concluída (trabalho nº ${done.id}, ${done.state}): ${done.reason ?? ''} [${done.reasonCode ?? ''}]\n`);
    return 1;
  }
  process.stdout.write(`${done.title}: ${done.pages} folha(s), ${done.bytesTotal} bytes enviados para ${printerName} (trabalho nº ${done.id}).\n`);
  return 0;
}

function whoAmI(user: string | undefined): string {
  if (user) return user;
  try {
    return userInfo().username;
  } catch {
    return 'desconhecido';
  }
}

export const printCommand: Command = {
  name: 'print',
  summary: 'Imprime o DANFE ou o DACTE (ou a página de calibração) na impressora matricial',
  usage: `Uso: comboio print NFE-OU-CTE.xml (--printer NOME | --port PORTA [--baud N] [--flow xonxoff|rtscts|none] | --file CAMINHO) [--layout danfe-continuo]
     comboio print calibration (--printer NOME | --port PORTA ...) [--dx MM --dy MM]
     comboio print queue [--limit N]      trabalhos da fila (mais recentes primeiro)
     comboio print retry Nº               tenta de novo um trabalho com falha ou cancelado
     comboio print resume Nº [--folha K]  continua da folha K (padrão: a folha em que parou),
                                          com o formulário realinhado numa folha nova

  O trabalho entra na fila de impressão da estação (sobrevive a reinício) e o comando
  termina quando o último byte foi escrito e drenado na porta; falha com o motivo.
  --printer NOME   impressora cadastrada (comboio printers add); sem nada, a padrão
  --port PORTA     impressora avulsa: COM3 ou /dev/ttyUSB0 (serial, 9600 8N1 XON/XOFF por
                   padrão), tcp://IP:9100 (rede), spool:NOME (impressora instalada no
                   sistema, RAW), usb: / /dev/usb/lp0 / LPT1 (dispositivo direto)
  --file CAMINHO   grava o fluxo ESC/P em arquivo (pasta ou arquivo)
  --layout NOME    formulário (resources/forms): danfe-continuo para NF-e, dacte-continuo
                   para CT-e (padrão conforme o XML)
  --user NOME      quem pediu a impressão (registrado no trabalho)
  --data PASTA     pasta de dados da estação`,
  async run(argv) {
    const { values, positionals } = parseFlags(argv, flags);
    const action = positionals[0] === 'queue' || positionals[0] === 'fila' ? 'queue' : positionals[0] === 'retry' ? 'retry' : positionals[0] === 'resume' || positionals[0] === 'continuar' ? 'resume' : 'print';
    const calibration = positionals[0] === 'calibration' || positionals[0] === 'calibracao';
    if ([values.printer, values.port, values.file].filter(Boolean).length > 1) throw new UsageError('Use só um de --printer, --port ou --file.');
    const xml = calibration || action !== 'print' ? undefined : readXmlFile(positionals[0]);
    const { store, dataDir } = openWorkstationStore(values.data);
    const printers = new PrintersRepo(store.db, systemClock);
    const queue = new PrintQueue({
      db: store.db,
      clock: systemClock,
      resourcesDir: defaultProjectPaths().resourcesDir,
      printers,
      listPorts,
      loadDanfe: danfeFromXml,
    });
    try {
      if (action === 'queue') {
        const limit = values.limit === undefined ? 30 : Number(values.limit);
        if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new UsageError('--limit: de 1 a 500 trabalhos.');
        const jobs = queue.list({ limit });
        if (jobs.length === 0) process.stdout.write('Fila de impressão vazia.\n');
        for (const j of jobs) {
          const reason = j.reason ? ` — ${j.reason}` : '';
          process.stdout.write(`nº ${j.id}  ${STATE_LABELS[j.state] ?? j.state}  ${j.title}  em ${j.printerName}  (${j.requestedBy}, ${j.requestedAt})${reason}\n`);
        }
        return 0;
      }
      if (action === 'resume') {
        const id = Number(positionals[1]);
        if (!Number.isInteger(id) || id < 1) throw new UsageError('Informe o número do trabalho: comboio print resume Nº [--folha K] (veja comboio print queue).');
        const sheet = values.folha === undefined ? undefined : Number(values.folha);
        if (sheet !== undefined && (!Number.isInteger(sheet) || sheet < 1)) throw new UsageError('--folha: número da folha, a partir de 1.');
        const job = await queue.resume(id, sheet);
        process.stdout.write(`${job.reason}\n`);
        return await finish(queue, job.id, job.printerName);
      }
      if (action === 'retry') {
        const id = Number(positionals[1]);
        if (!Number.isInteger(id) || id < 1) throw new UsageError('Informe o número do trabalho: comboio print retry Nº (veja comboio print queue).');
        const job = queue.retry(id);
        return await finish(queue, job.id, job.printerName);
      }
      let printer: PrinterConfig;
      if (values.port) {
        printer = {
          name: `porta ${values.port}`,
          settings: parsePrinterUri(values.port, { baudRate: parseBaud(values.baud), flow: parseFlow(values.flow) }),
          calibration: { dxMm: parseMm(values.dx, 'dx'), dyMm: parseMm(values.dy, 'dy') },
        };
      } else if (values.file) {
        printer = { name: `arquivo ${values.file}`, settings: { kind: 'file', path: values.file }, calibration: { dxMm: parseMm(values.dx, 'dx'), dyMm: parseMm(values.dy, 'dy') } };
      } else {
        printer = values.printer ? printers.get(values.printer) : printers.getDefault(dataDir);
      }
      const job = await queue.enqueue({
        printer,
        kind: calibration ? 'calibracao' : xml && isCteXml(xml) ? 'dacte' : 'danfe',
        ...(xml ? { xml } : {}),
        ...(values.layout ? { layout: values.layout } : {}),
        requestedBy: whoAmI(values.user),
      });
      return await finish(queue, job.id, printer.name);
    } finally {
      await queue.stop();
      store.close();
    }
  },
};
