import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SerialPort } from 'serialport';
import { projectRoot } from '../../core/paths';
import { danfeFromXml, loadLayout, renderDanfeEscp, renderDanfePdf, SERIAL_DEFAULTS, sendSerial } from '../../core/printing/index';
import { parseFlags, UsageError, type Command } from '../command';

const PEER = '@alexssmusica/node-pdf-nfe';
const PEER_VERSION = '1.2.21';
const PEER_DIR = join(projectRoot, '.bench-peers');
const resourcesDir = join(projectRoot, 'resources');

interface PdfRow {
  impl: string;
  items: number;
  perSec: number;
  msPerPdf: number;
  iterations: number;
  /** Peak RSS over the whole timing loop (includes garbage not yet collected). */
  peakRssMb: number;
  /** Peak RSS after rendering one DANFE (process start + one render). */
  firstRssMb: number;
  bytes: number;
}

type Renderer = (xml: string) => Promise<Buffer>;

async function ours(): Promise<Renderer> {
  return async (xml) => renderDanfePdf(await danfeFromXml(xml), { resourcesDir });
}

async function peer(): Promise<Renderer> {
  const req = createRequire(join(PEER_DIR, 'package.json'));
  const mod = req(PEER) as { gerarPDF(xml: string, opts: object): Promise<NodeJS.ReadableStream & { end(): void }> };
  return async (xml) => {
    const doc = await mod.gerarPDF(xml, {});
    const chunks: Buffer[] = [];
    return new Promise<Buffer>((ok, fail) => {
      doc.on('data', (c: Buffer) => chunks.push(c));
      doc.on('end', () => ok(Buffer.concat(chunks)));
      doc.on('error', fail);
    });
  };
}

/** Runs in a child process so peak RSS belongs to one implementation and one size only. */
async function worker(impl: string, xmlFile: string, seconds: number): Promise<void> {
  const xml = readFileSync(xmlFile, 'utf8');
  const render = impl === 'comboio' ? await ours() : await peer();
  const first = await render(xml);
  // One DANFE's footprint, before the timing loop piles up garbage awaiting collection.
  const firstRssMb = process.resourceUsage().maxRSS / 1024;
  const end = performance.now() + seconds * 1000;
  const start = performance.now();
  let n = 0;
  while (performance.now() < end || n < 3) {
    await render(xml);
    n++;
  }
  const ms = performance.now() - start;
  const out = { perSec: (n * 1000) / ms, msPerPdf: ms / n, iterations: n, peakRssMb: process.resourceUsage().maxRSS / 1024, firstRssMb, bytes: first.length };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

function runWorker(impl: string, xmlFile: string, seconds: number): Promise<Omit<PdfRow, 'impl' | 'items'>> {
  return new Promise((ok, fail) => {
    const child = spawn(process.execPath, [join(projectRoot, 'bin', 'comboio.js'), 'bench', 'danfe', '--worker', impl, '--xml', xmlFile, '--seconds', String(seconds)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => {
      const line = out.trim().split('\n').at(-1) ?? '';
      if (code !== 0 || !line.startsWith('{')) return fail(new Error(`worker ${impl} saiu com ${code}: ${out}`));
      ok(JSON.parse(line));
    });
  });
}

async function fixtureXml(items: number): Promise<string> {
  // Dev tool: the same FIXTURE builder the tests use (signed by comboio, protNFe made up).
  const { authorizedNfeFixture } = await import('../../../tests/helpers/authorized-nfe-fixture');
  return authorizedNfeFixture({ items, numero: 3000 + items }).nfeProcXml;
}

/**
 * The "printer" end at 9600 8N1 line rate: it consumes 960 bytes/s, so the pty's buffers
 * fill and push back on the writer, as a printer's serial line would.
 */
async function printOverPty(bytes: Buffer, baud: number): Promise<{ seconds: number; lineRatePct: number; writerSeconds: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'comboio-bench-'));
  const app = join(dir, 'app');
  const printerPath = join(dir, 'printer');
  const socat = spawn('socat', [`pty,raw,echo=0,link=${app}`, `pty,raw,echo=0,link=${printerPath}`], { stdio: 'ignore' });
  try {
    const deadline = Date.now() + 5000;
    while (!(existsSync(app) && existsSync(printerPath))) {
      if (Date.now() > deadline) throw new Error('socat não iniciou');
      await new Promise((r) => setTimeout(r, 20));
    }
    await new Promise((r) => setTimeout(r, 100));
    const printer = new SerialPort({ path: printerPath, baudRate: baud, autoOpen: false });
    await new Promise<void>((ok, fail) => printer.open((e) => (e ? fail(e) : ok())));
    printer.pause();
    const bytesPerSec = baud / 10;
    let consumed = 0;
    let t0 = 0;
    let lastByteAt = 0;
    const done = new Promise<void>((ok) => {
      const tick = setInterval(() => {
        if (t0 === 0) return;
        const allowed = Math.floor(((performance.now() - t0) / 1000) * bytesPerSec) - consumed;
        if (allowed <= 0) return;
        const chunk = printer.read(Math.min(allowed, printer.readableLength || allowed)) as Buffer | null;
        if (chunk) {
          consumed += chunk.length;
          lastByteAt = performance.now();
          if (consumed >= bytes.length) {
            clearInterval(tick);
            ok();
          }
        }
      }, 10);
    });
    t0 = performance.now();
    await sendSerial({ kind: 'serial', ...SERIAL_DEFAULTS, path: app, baudRate: baud }, bytes);
    const writerSeconds = (performance.now() - t0) / 1000;
    await done;
    const seconds = (lastByteAt - t0) / 1000;
    await new Promise<void>((ok) => printer.close(() => ok()));
    return { seconds, lineRatePct: ((bytes.length / bytesPerSec) / seconds) * 100, writerSeconds };
  } finally {
    socat.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

export const danfeBench: Command = {
  name: 'danfe',
  summary: 'DANFE: PDFs/s e memória (1 e 500 itens) lado a lado com node-pdf-nfe; ESC/P a 9600 baud',
  usage: `Uso: comboio bench danfe [--json] [--seconds N] [--items 1,500] [--baud 9600]

  Compara o PDF do Comboio com ${PEER}@${PEER_VERSION} (MIT) no mesmo XML, cada medição
  em um processo próprio (memória de pico isolada). O par é instalado só para o benchmark:
    npm install --prefix .bench-peers ${PEER}@${PEER_VERSION}
  Tamanhos: COMBOIO_BENCH_DANFE_ITEMS (padrão 1,500), COMBOIO_BENCH_SECONDS (padrão 3).`,
  async run(argv) {
    const { values } = parseFlags(argv, {
      json: { type: 'boolean' },
      seconds: { type: 'string' },
      items: { type: 'string' },
      baud: { type: 'string' },
      worker: { type: 'string' },
      xml: { type: 'string' },
    });
    const seconds = Number(values.seconds ?? process.env.COMBOIO_BENCH_SECONDS ?? 3);
    if (!(seconds > 0)) throw new UsageError('--seconds deve ser positivo.');
    if (values.worker) {
      await worker(values.worker, values.xml!, seconds);
      return 0;
    }
    const sizes = (values.items ?? process.env.COMBOIO_BENCH_DANFE_ITEMS ?? '1,500').split(',').map(Number);
    const baud = Number(values.baud ?? 9600);
    const peerInstalled = existsSync(join(PEER_DIR, 'node_modules', PEER, 'package.json'));
    const dir = mkdtempSync(join(tmpdir(), 'comboio-bench-danfe-'));
    const rows: PdfRow[] = [];
    const escp: { items: number; pages: number; bytes: number; bytesPerPage: number }[] = [];
    try {
      for (const items of sizes) {
        const xml = await fixtureXml(items);
        const file = join(dir, `nfe-${items}.xml`);
        writeFileSync(file, xml);
        rows.push({ impl: 'comboio', items, ...(await runWorker('comboio', file, seconds)) });
        if (peerInstalled) rows.push({ impl: `${PEER}`, items, ...(await runWorker('peer', file, seconds)) });
        const r = renderDanfeEscp(await danfeFromXml(xml), loadLayout(resourcesDir, 'danfe-continuo'));
        escp.push({ items, pages: r.pages, bytes: r.bytes.length, bytesPerPage: Math.round(r.bytes.length / r.pages) });
      }
      const one = renderDanfeEscp(await danfeFromXml(await fixtureXml(1)), loadLayout(resourcesDir, 'danfe-continuo'));
      const serial = await printOverPty(one.bytes, baud);
      const result = { pdf: rows, escp, serial: { baud, bytes: one.bytes.length, ...serial }, peerInstalled };
      if (values.json) {
        process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
        return 0;
      }
      const fmt = (n: number, d = 1) => n.toFixed(d).padStart(9);
      process.stdout.write('DANFE PDF (A4), mesmo XML, um processo por medição\n');
      process.stdout.write(`${'implementação'.padEnd(28)} ${'itens'.padStart(6)} ${'PDF/s'.padStart(9)} ${'ms/PDF'.padStart(9)} ${'MB 1 PDF'.padStart(9)} ${'MB laço'.padStart(9)} ${'KB'.padStart(9)}\n`);
      for (const r of rows) {
        process.stdout.write(`${r.impl.padEnd(28)} ${String(r.items).padStart(6)} ${fmt(r.perSec)} ${fmt(r.msPerPdf)} ${fmt(r.firstRssMb)} ${fmt(r.peakRssMb)} ${fmt(r.bytes / 1024)}\n`);
      }
      for (const items of sizes) {
        const a = rows.find((r) => r.impl === 'comboio' && r.items === items);
        const b = rows.find((r) => r.impl !== 'comboio' && r.items === items);
        if (a && b) process.stdout.write(`  ${items} itens: Comboio ${(a.perSec / b.perSec).toFixed(2)}x mais rápido\n`);
      }
      if (!peerInstalled) process.stdout.write(`  (par não instalado: npm install --prefix .bench-peers ${PEER}@${PEER_VERSION})\n`);
      process.stdout.write('\nESC/P (danfe-continuo)\n');
      for (const e of escp) process.stdout.write(`  ${e.items} itens: ${e.pages} folha(s), ${e.bytes} bytes, ${e.bytesPerPage} bytes/folha\n`);
      process.stdout.write(
        `\nDANFE de 1 item por pty a ${baud} baud (impressora consome ${baud / 10} B/s): ${serial.seconds.toFixed(2)} s para ${one.bytes.length} bytes = ` +
          `${serial.lineRatePct.toFixed(1)}% da taxa da linha (escrita terminou em ${serial.writerSeconds.toFixed(2)} s)\n`,
      );
      return 0;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
