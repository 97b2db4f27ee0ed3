import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../../core/paths';
import { parseFlags, UsageError, type Command } from '../command';

type Runtime = 'tsx' | 'built';

interface Figures {
  seconds: number;
  /** Peak resident set size of the whole process (getrusage maxrss). */
  peakMb: number;
  /** Resident set size while idle after start (Linux /proc; elsewhere the size at exit). */
  idleMb: number | null;
}

/** Loaded with --import into the measured process: writes its peak and current RSS at exit. */
const REPORTER = `import { writeFileSync } from 'node:fs';
process.on('exit', () => writeFileSync(process.env.COMBOIO_BENCH_RSS_FILE, JSON.stringify({ peakKb: process.resourceUsage().maxRSS, rss: process.memoryUsage.rss() })));
`;

const TARGETS = { help: { seconds: 0.5, peakMb: 100 }, server: { idleMb: 120 }, web: { idleMb: 200 } };

function idleRssMb(pid: number): number | null {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/**
 * Runs `comboio <args>` with the given runtime; with `ready`, waits for that line, idles
 * `idleMs`, samples RSS and stops the process with SIGTERM (as a service manager would).
 */
async function measure(runtime: Runtime, args: string[], dir: string, ready?: RegExp, idleMs = 0): Promise<Figures> {
  const reporter = join(dir, 'rss-reporter.mjs');
  const rssFile = join(dir, `rss-${process.hrtime.bigint()}.json`);
  writeFileSync(reporter, REPORTER);
  const t0 = performance.now();
  const child = spawn(process.execPath, ['--import', `file://${reporter.replaceAll('\\', '/')}`, join(projectRoot, 'bin', 'comboio.js'), ...args], {
    env: { ...process.env, COMBOIO_RUNTIME: runtime, COMBOIO_BENCH_RSS_FILE: rssFile, COMBOIO_DATA: join(dir, 'dados') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((ok) => child.once('exit', (code) => ok(code)));
  let seconds = 0;
  let idleMb: number | null = null;
  if (ready) {
    await new Promise<void>((ok, fail) => {
      const timer = setInterval(() => {
        if (ready.test(out)) {
          clearInterval(timer);
          ok();
        }
      }, 20);
      void exited.then((code) => {
        clearInterval(timer);
        fail(new Error(`comboio ${args[0]} (${runtime}) terminou (${code}) antes de ficar pronto:\n${out}`));
      });
    });
    seconds = (performance.now() - t0) / 1000;
    await new Promise((ok) => setTimeout(ok, idleMs));
    idleMb = idleRssMb(child.pid!);
    child.kill('SIGTERM');
    await exited;
  } else {
    const code = await exited;
    seconds = (performance.now() - t0) / 1000;
    if (code !== 0) throw new Error(`comboio ${args.join(' ')} (${runtime}) saiu com ${code}:\n${out}`);
  }
  const r = JSON.parse(readFileSync(rssFile, 'utf8')) as { peakKb: number; rss: number };
  return { seconds, peakMb: r.peakKb / 1024, idleMb: idleMb ?? r.rss / 1024 / 1024 };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (n: number | null, digits = 0) => (n === null ? '—' : n.toFixed(digits));

export const startupBench: Command = {
  name: 'startup',
  summary: 'Partida do programa: tempo e memória de --help, servidor LAN e host web (tsx × compilado)',
  usage: `Uso: comboio bench startup [--runs N] [--idle SEG] [--only tsx|built] [--json]

  Mede, lado a lado, o programa compilado (out/main/cli.js, o que o instalador leva) e o
  código-fonte por tsx:
    comboio --help      tempo (mediana de --runs execuções, padrão 5) e pico de memória
    comboio server      memória parado (--idle segundos depois de pronto, padrão 3)
    comboio web         memória parado (com servidor embutido, simulador e demonstração)
  Metas: --help ≤ 0,5 s e ≤ 100 MB; server ≤ 120 MB; web ≤ 200 MB.
  Precisa de "npm run build" antes (a interface e o programa compilados).`,
  async run(argv) {
    const { values } = parseFlags(argv, { runs: { type: 'string' }, idle: { type: 'string' }, only: { type: 'string' }, json: { type: 'boolean' } });
    const runs = Number(values.runs ?? 5);
    const idleMs = Number(values.idle ?? 3) * 1000;
    if (!Number.isInteger(runs) || runs < 1) throw new UsageError(`--runs inválido: ${values.runs}`);
    if (!Number.isFinite(idleMs) || idleMs < 0) throw new UsageError(`--idle inválido: ${values.idle}`);
    if (values.only && values.only !== 'tsx' && values.only !== 'built') throw new UsageError('--only deve ser tsx ou built.');
    const runtimes: Runtime[] = values.only ? [values.only as Runtime] : ['tsx', 'built'];
    const dir = mkdtempSync(join(tmpdir(), 'comboio-bench-startup-'));
    const results: Record<string, Record<string, Figures>> = {};
    try {
      for (const runtime of runtimes) {
        const helps: Figures[] = [];
        for (let i = 0; i < runs; i++) helps.push(await measure(runtime, ['--help'], dir));
        const server = await measure(runtime, ['server', '--data', join(dir, `servidor-${runtime}`), '--port', '0', '--host', '127.0.0.1'], dir, /ouvindo em/, idleMs);
        const web = await measure(runtime, ['web', '--data', join(dir, `estacao-${runtime}`), '--port', '0'], dir, /Comboio aberto em/, idleMs);
        results[runtime] = {
          help: { seconds: median(helps.map((h) => h.seconds)), peakMb: Math.max(...helps.map((h) => h.peakMb)), idleMb: null },
          server,
          web,
        };
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    if (values.json) {
      process.stdout.write(JSON.stringify({ targets: TARGETS, results }, null, 2) + '\n');
      return 0;
    }
    const rows = [
      ['', ...runtimes, 'meta'],
      ['--help: tempo (s)', ...runtimes.map((r) => fmt(results[r]!.help!.seconds, 2)), `≤ ${TARGETS.help.seconds}`],
      ['--help: pico (MB)', ...runtimes.map((r) => fmt(results[r]!.help!.peakMb)), `≤ ${TARGETS.help.peakMb}`],
      ['server: pronto em (s)', ...runtimes.map((r) => fmt(results[r]!.server!.seconds, 2)), ''],
      ['server: parado (MB)', ...runtimes.map((r) => fmt(results[r]!.server!.idleMb)), `≤ ${TARGETS.server.idleMb}`],
      ['server: pico (MB)', ...runtimes.map((r) => fmt(results[r]!.server!.peakMb)), ''],
      ['web: pronto em (s)', ...runtimes.map((r) => fmt(results[r]!.web!.seconds, 2)), ''],
      ['web: parado (MB)', ...runtimes.map((r) => fmt(results[r]!.web!.idleMb)), `≤ ${TARGETS.web.idleMb}`],
      ['web: pico (MB)', ...runtimes.map((r) => fmt(results[r]!.web!.peakMb)), ''],
    ];
    const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
    process.stdout.write(rows.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')).join('\n') + '\n');
    return 0;
  },
};
