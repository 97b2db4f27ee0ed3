import { join, resolve } from 'node:path';
import { systemClock } from '../../core/clock';
import { defaultDataDir, defaultProjectPaths } from '../../core/paths';
import { describeSettings, listPorts, parseFlow, parsePrinterUri, PrintersRepo, SERIAL_DEFAULTS, systemSpooler, type PrinterSettings } from '../../core/printing/index';
import { AppError } from '../../core/errors';
import { migrateStore } from '../../core/store/migrate';
import { openStore, type Store } from '../../core/store/open';
import { groupCommand } from '../group';
import { parseFlags, requireFlag, UsageError, type Command } from '../command';

/** The workstation store the app uses (printers and the print queue live there). */
export function openWorkstationStore(data: string | undefined): { store: Store; dataDir: string } {
  const dataDir = data ? resolve(data) : defaultDataDir();
  const store = openStore(join(dataDir, 'comboio.db'));
  try {
    migrateStore(store, defaultProjectPaths().migrationsDir);
  } catch (err) {
    store.close();
    throw err;
  }
  return { store, dataDir };
}

export function parseMm(value: string | undefined, flag: string): number {
  if (value === undefined) return 0;
  const n = Number(value.replace(',', '.'));
  if (!Number.isFinite(n)) throw new UsageError(`--${flag} deve ser um número em milímetros (ex.: 1,5 ou -2).`);
  return n;
}

export function parseBaud(value: string | undefined): number {
  if (value === undefined) return SERIAL_DEFAULTS.baudRate;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`Velocidade inválida: ${value}`);
  return n;
}

const dataFlag = { data: { type: 'string' } } as const;

const list: Command = {
  name: 'list',
  summary: 'Impressoras cadastradas e portas seriais disponíveis',
  usage: 'Uso: comboio printers list [--data PASTA]',
  async run(argv) {
    const { values } = parseFlags(argv, dataFlag);
    const { store } = openWorkstationStore(values.data);
    try {
      const printers = new PrintersRepo(store.db, systemClock).list();
      process.stdout.write('Impressoras cadastradas:\n');
      if (printers.length === 0) process.stdout.write('  (nenhuma — o Comboio usa a impressora de arquivo de demonstração)\n');
      for (const p of printers) {
        const where = describeSettings(p.settings);
        const cal = `dx ${p.calibration.dxMm} mm, dy ${p.calibration.dyMm} mm`;
        process.stdout.write(`  ${p.isDefault ? '*' : ' '} ${p.name}: ${where} (${cal})\n`);
      }
    } finally {
      store.close();
    }
    const ports = await listPorts();
    process.stdout.write('Portas seriais:\n');
    if (ports.length === 0) process.stdout.write('  (nenhuma encontrada)\n');
    for (const p of ports) {
      const extra = [p.manufacturer, p.serialNumber && `nº de série ${p.serialNumber}`, p.friendlyName].filter(Boolean).join(', ');
      process.stdout.write(`  ${p.path}${extra ? `  ${extra}` : ''}\n`);
    }
    process.stdout.write('Impressoras instaladas no sistema (use spool:NOME):\n');
    try {
      const installed = await systemSpooler().list();
      if (installed.length === 0) process.stdout.write('  (nenhuma)\n');
      for (const p of installed) process.stdout.write(`  ${p.isDefault ? '*' : ' '} spool:${p.name}${p.detail ? `  ${p.detail}` : ''}\n`);
    } catch (err) {
      process.stdout.write(`  (indisponível: ${err instanceof AppError ? err.message : String(err)})\n`);
    }
    return 0;
  },
};

const add: Command = {
  name: 'add',
  summary: 'Cadastra (ou altera) uma impressora: serial, rede, fila do sistema, USB/LPT ou arquivo',
  usage: `Uso: comboio printers add NOME (--port PORTA [--baud N] [--flow xonxoff|rtscts|none] [--serial-number SN] | --file CAMINHO) [--default] [--data PASTA]

  PORTA: COM3 ou /dev/ttyUSB0 (serial), tcp://IP:9100 (rede), spool:NOME (impressora
  instalada no sistema, em modo RAW), usb: / /dev/usb/lp0 / LPT1 (dispositivo direto).`,
  async run(argv) {
    const { values, positionals } = parseFlags(argv, {
      ...dataFlag,
      port: { type: 'string' },
      baud: { type: 'string' },
      flow: { type: 'string' },
      parity: { type: 'string' },
      'serial-number': { type: 'string' },
      file: { type: 'string' },
      default: { type: 'boolean' },
    });
    const name = positionals[0];
    if (!name) throw new UsageError('Informe o nome da impressora.');
    if (!values.port === !values.file) throw new UsageError('Use --port (serial) ou --file (arquivo).');
    const settings: PrinterSettings = values.file
      ? { kind: 'file', path: resolve(values.file) }
      : parsePrinterUri(values.port!, {
          baudRate: parseBaud(values.baud),
          flow: parseFlow(values.flow),
          parity: (values.parity ?? 'none') as 'none',
          ...(values['serial-number'] ? { serialNumber: values['serial-number'] } : {}),
        });
    const { store } = openWorkstationStore(values.data);
    try {
      const repo = new PrintersRepo(store.db, systemClock);
      const old = repo.find(name);
      const p = repo.save({ name, settings, calibration: old?.calibration ?? { dxMm: 0, dyMm: 0 }, isDefault: values.default ?? old?.isDefault ?? false });
      process.stdout.write(`Impressora "${p.name}" salva.\n`);
    } finally {
      store.close();
    }
    return 0;
  },
};

const calibrate: Command = {
  name: 'calibrate',
  summary: 'Grava o deslocamento (dx, dy em mm) de uma impressora',
  usage: 'Uso: comboio printers calibrate NOME --dx MM --dy MM [--data PASTA]   (negativos: --dy=-2)',
  async run(argv) {
    const { values, positionals } = parseFlags(argv, { ...dataFlag, dx: { type: 'string' }, dy: { type: 'string' } });
    const name = positionals[0];
    if (!name) throw new UsageError('Informe o nome da impressora.');
    const { store } = openWorkstationStore(values.data);
    try {
      const p = new PrintersRepo(store.db, systemClock).setCalibration(name, parseMm(requireFlag(values.dx, 'dx'), 'dx'), parseMm(requireFlag(values.dy, 'dy'), 'dy'));
      process.stdout.write(`Calibração de "${p.name}": dx ${p.calibration.dxMm} mm, dy ${p.calibration.dyMm} mm.\n`);
    } finally {
      store.close();
    }
    return 0;
  },
};

const remove: Command = {
  name: 'remove',
  summary: 'Remove uma impressora (os trabalhos já registrados ficam)',
  usage: 'Uso: comboio printers remove NOME [--data PASTA]',
  async run(argv) {
    const { values, positionals } = parseFlags(argv, dataFlag);
    const name = positionals[0];
    if (!name) throw new UsageError('Informe o nome da impressora.');
    const { store } = openWorkstationStore(values.data);
    try {
      const repo = new PrintersRepo(store.db, systemClock);
      repo.get(name);
      repo.remove(name);
      process.stdout.write(`Impressora "${name}" removida.\n`);
    } finally {
      store.close();
    }
    return 0;
  },
};

export const printersCommand = groupCommand('printers', 'Impressoras: listar portas, cadastrar, calibrar', () => [list, add, calibrate, remove]);
