#!/usr/bin/env node
// Packages the app here with the real electron-builder configuration (a stand-in Electron
// executable: the real one cannot be downloaded on these machines), then runs the packaged
// code the way the installed app does (CLI, LAN server, web host, DANFE, diagnostics) under
// strace, lists every file it reads at run time, and fails when:
//   - a command fails from the package (a module, migration, font or layout not shipped);
//   - the packaged code reads anything from the source checkout (it would not exist on a
//     workstation), or reads a packaged path that is not there;
//   - a bare import of the bundles is not a shipped production dependency;
//   - build leftovers of the native modules are shipped, or their binaries are not unpacked.
// Usage: npm run build && node scripts/check-package.mjs [--xml PROCNFE.xml] [--keep]
// Needs: strace (Debian package), the built out/ folder.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const asar = require('@electron/asar');
const { strFromU8, unzipSync } = require('fflate');

/** Leftovers that must never ship (electron-builder.yml `files` exclusions). */
const LEFTOVERS = [/better-sqlite3\/deps\//, /better-sqlite3\/src\//, /better-sqlite3\/build\/Release\/obj/, /test_extension\.node$/, /\.(o|obj|pdb|ilk|tlog|cc|cpp)$/];

function fail(problems) {
  throw new Error(`check-package: ${problems.length} problem(s)\n${problems.map((p) => `  - ${p}`).join('\n')}`);
}

function walk(dir, out = []) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
/** Electron's stock wire: RunAsNode, CookieEncryption, NodeOptions, NodeCliInspect, AsarIntegrity, OnlyLoadAppFromAsar, BrowserV8Snapshot, FileProtocolExtraPrivileges. */
const STOCK_FUSES = '10110001';
/** What electron-builder.yml's electronFuses must leave in the executable ('1' on, '0' off). */
const WANTED_FUSES = '11001100';

/** The packaged executable's fuse wire, read after the sentinel as @electron/fuses writes it. */
function fuseProblems(unpacked) {
  const exe = readdirSync(unpacked).map((n) => join(unpacked, n)).find((p) => statSync(p).isFile() && readFileSync(p).includes(FUSE_SENTINEL));
  if (!exe) return ['no executable with a fuse wire in the package'];
  const bytes = readFileSync(exe);
  const at = bytes.indexOf(FUSE_SENTINEL) + FUSE_SENTINEL.length;
  const wire = bytes.subarray(at + 2, at + 2 + bytes[at + 1]).toString('latin1');
  // The V8-snapshot fuse is left as Electron ships it (not configured).
  const got = wire.slice(0, 6) + wire[7];
  const want = WANTED_FUSES.slice(0, 6) + WANTED_FUSES[7];
  return got === want ? [] : [`fuses in ${exe}: ${wire} (wanted ${WANTED_FUSES}; see electronFuses in electron-builder.yml)`];
}

function pack(work) {
  const electronDist = join(work, 'electron-dist');
  mkdirSync(electronDist, { recursive: true });
  // The stand-in carries a fuse wire with Electron's defaults after the sentinel, so
  // electron-builder flips the configured fuses in it exactly as in the real executable.
  writeFileSync(join(electronDist, 'electron'), `#!/bin/sh\necho "stand-in Electron (check-package)"\nexit 0\n#${FUSE_SENTINEL}\x01\x08${STOCK_FUSES}\n`, { mode: 0o755 });
  const version = JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version;
  writeFileSync(join(electronDist, 'version'), version);
  const output = join(work, 'dist');
  const r = spawnSync(
    process.execPath,
    [join(root, 'node_modules', 'electron-builder', 'cli.js'), '--linux', 'dir', '--publish', 'never', `-c.electronDist=${electronDist}`, `-c.directories.output=${output}`],
    { cwd: root, encoding: 'utf8', env: { ...process.env, COMBOIO_SKIP_NATIVE_REBUILD: '1' } },
  );
  if (r.status !== 0) fail([`electron-builder failed:\n${r.stdout}\n${r.stderr}`]);
  const fuses = fuseProblems(join(output, 'linux-unpacked'));
  if (fuses.length) fail(fuses);
  return join(output, 'linux-unpacked', 'resources');
}

/** The installed layout with app.asar opened up, so plain Node can run the packaged code. */
function openUp(resources, work) {
  const run = join(work, 'installed', 'resources');
  mkdirSync(run, { recursive: true });
  asar.extractAll(join(resources, 'app.asar'), join(run, 'app.asar'));
  cpSync(join(resources, 'app.asar.unpacked'), join(run, 'app.asar'), { recursive: true });
  for (const e of readdirSync(resources)) if (!e.startsWith('app.asar')) cpSync(join(resources, e), join(run, e), { recursive: true });
  return run;
}

function staticProblems(resources, run) {
  const problems = [];
  const listed = asar.listPackage(join(resources, 'app.asar'), { isPack: false }).map((p) => p.split(sep).join('/'));
  const unpacked = walk(join(resources, 'app.asar.unpacked')).map((p) => relative(join(resources, 'app.asar.unpacked'), p).split(sep).join('/'));
  for (const p of [...listed, ...unpacked]) if (LEFTOVERS.some((re) => re.test(p))) problems.push(`build leftover shipped: ${p}`);
  if (!unpacked.includes('node_modules/better-sqlite3/build/Release/better_sqlite3.node')) problems.push('better_sqlite3.node is not unpacked from app.asar');
  if (listed.some((p) => p.endsWith('.node') && !p.includes('app.asar.unpacked')) && !unpacked.some((p) => p.endsWith('.node'))) problems.push('native binaries only inside app.asar');
  // Every bare import of the bundles must be a shipped production dependency.
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const bundles = walk(join(run, 'app.asar', 'out', 'main')).filter((f) => f.endsWith('.js'));
  const bare = new Set();
  for (const f of bundles) {
    const code = readFileSync(f, 'utf8');
    for (const m of [...code.matchAll(/^import\s[^;]*?from\s*["']([^"'.][^"']*)["']/gm), ...code.matchAll(/\bimport\(\s*["']([^"'.][^"']*)["']\s*\)/g)]) {
      const spec = m[1];
      if (spec.startsWith('node:') || spec === 'electron') continue;
      bare.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);
    }
  }
  for (const name of bare) {
    if (!pkg.dependencies[name]) problems.push(`bundle imports "${name}", which is not a production dependency`);
    if (!existsSync(join(run, 'app.asar', 'node_modules', name, 'package.json'))) problems.push(`bundle imports "${name}", which is not shipped in app.asar`);
  }
  return { problems, bare: [...bare].sort() };
}

/** Runs the packaged CLI under strace; resolves with its output and the files it opened. */
function traced(run, work, args, { ready, env = {} } = {}) {
  const trace = join(work, `trace-${args[0]}-${Date.now()}.txt`);
  const cli = join(run, 'app.asar', 'out', 'main', 'cli.js');
  const child = spawn('strace', ['-f', '-qq', '-e', 'trace=openat,open,stat,statx,newfstatat,access,readlink', '-o', trace, process.execPath, cli, ...args], {
    cwd: work,
    env: { PATH: process.env.PATH, HOME: join(work, 'home'), TMPDIR: work, COMBOIO_DATA: join(work, 'dados-padrao'), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  return new Promise((ok) => {
    let timer;
    if (ready) {
      const poll = setInterval(() => {
        const m = out.match(ready.re);
        if (m) {
          clearInterval(poll);
          // strace is the child: the signal goes to the traced node process, as a service manager sends it.
          Promise.resolve(ready.then?.(m)).finally(() => {
            const pid = Number(spawnSync('pgrep', ['-P', String(child.pid)], { encoding: 'utf8' }).stdout.trim().split('\n')[0]);
            if (pid) process.kill(pid, 'SIGTERM');
            else child.kill('SIGTERM');
          });
        }
      }, 50);
      timer = setTimeout(() => {
        clearInterval(poll);
        child.kill('SIGKILL');
      }, 90_000);
    }
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      const opened = new Set();
      for (const line of readFileSync(trace, 'utf8').split('\n')) {
        const m = /^\d+\s+\w+\((?:AT_FDCWD, |\d+, )?"([^"]+)"[^=]*= (-?\d+)/.exec(line);
        if (m) opened.add(`${m[2].startsWith('-') ? '!' : ''}${m[1]}`);
      }
      ok({ code: code ?? signal, out, opened: [...opened] });
    });
  });
}

export async function checkPackage({ xml, keep = false, log = (l) => process.stdout.write(`${l}\n`) } = {}) {
  if (!existsSync(join(root, 'out', 'main', 'cli.js')) || !existsSync(join(root, 'out', 'renderer', 'index.html'))) fail(['out/ is not built: run "npm run build" first']);
  if (spawnSync('strace', ['-V']).status !== 0) fail(['strace is missing (apt-get install strace)']);
  const work = mkdtempSync(join(tmpdir(), 'comboio-check-package-'));
  try {
    log('==> electron-builder --linux dir (stand-in Electron, same configuration as the Windows installer)');
    const resources = pack(work);
    const run = openUp(resources, work);
    const { problems, bare } = staticProblems(resources, run);
    log(`    production modules imported by the bundles: ${bare.join(', ')}`);

    const runs = [
      ['--help', await traced(run, work, ['--help'])],
      [
        'server',
        await traced(run, work, ['server', '--data', join(work, 'servidor'), '--port', '0', '--host', '127.0.0.1'], { ready: { re: /Servidor LAN ouvindo em/ } }),
      ],
      [
        'web',
        await traced(run, work, ['web', '--data', join(work, 'estacao'), '--port', '0'], {
          ready: {
            re: /Comboio aberto em (http:\/\/\S+)/,
            // The page and every asset it references, as the browser would ask for them.
            then: async (m) => {
              const html = await (await fetch(m[1])).text();
              for (const [, asset] of html.matchAll(/(?:src|href)="\.?\/?([^"]+)"/g)) {
                const r = await fetch(new URL(asset, m[1]));
                if (!r.ok) problems.push(`web: ${asset} answered ${r.status}`);
              }
            },
          },
        }),
      ],
      ['diagnostico', await traced(run, work, ['diagnostico', '--out', join(work, 'diag.zip'), '--data', join(work, 'estacao')])],
    ];
    if (xml) {
      runs.push(['danfe', await traced(run, work, ['danfe', xml, '--pdf', join(work, 'danfe.pdf'), '--escp', join(work, 'danfe.prn')])]);
    }
    const installed = dirname(run);
    const reads = new Set();
    for (const [name, r] of runs) {
      if (r.code !== 0 && r.code !== 'SIGTERM') problems.push(`comboio ${name} failed from the package (${r.code}):\n${r.out}`);
      for (const p of r.opened) {
        const missing = p.startsWith('!');
        const path = missing ? p.slice(1) : p;
        if ((path === root || path.startsWith(root + sep)) && !missing) problems.push(`comboio ${name} read ${path} from the source checkout`);
        if (path.startsWith(installed + sep)) {
          const rel = relative(installed, path).split(sep).join('/');
          if (!rel.includes('node_modules/')) reads.add(`${missing ? '(ausente) ' : ''}${rel}`);
        }
      }
    }
    log('==> files the packaged app read at run time (outside node_modules):');
    for (const r of [...reads].sort()) log(`    ${r}`);
    // A packaged path the code looked for and did not find is a resource not shipped, unless
    // it is an optional lookup listed here.
    const OPTIONAL = [/^resources\/shared\/schemas/, /\/\.env$/, /package\.json$/, /(^|\/)node_modules$/];
    for (const r of reads) if (r.startsWith('(ausente) ') && !OPTIONAL.some((re) => re.test(r.slice(10)))) problems.push(`looked for but not shipped: ${r.slice(10)}`);
    for (const need of ['resources/drizzle/meta/_journal.json', 'resources/app.asar/out/renderer/index.html', 'resources/app.asar/package.json']) {
      if (![...reads].includes(need)) problems.push(`expected run-time read not seen: ${need}`);
    }
    if (xml && ![...reads].some((r) => r.startsWith('resources/resources/fonts/'))) problems.push('the DANFE PDF did not read the shipped fonts');
    // The version the packaged code reports (diagnostics, server /health, app.info) is the
    // package's, read from app.asar/package.json (Electron's app.getVersion() reads the same).
    const wanted = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
    const diag = join(work, 'diag.zip');
    const reported = existsSync(diag) ? JSON.parse(strFromU8(unzipSync(readFileSync(diag))['versoes.json'] ?? new Uint8Array())).comboio : undefined;
    if (reported !== wanted) problems.push(`the packaged diagnostics report version ${reported}, package.json says ${wanted}`);
    log(`    version reported by the packaged app: ${reported}`);
    if (problems.length) fail(problems);
    log('==> package check passed');
    return { reads: [...reads].sort(), modules: bare };
  } finally {
    if (keep) log(`(kept ${work})`);
    else rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const xmlAt = args.indexOf('--xml');
  await checkPackage({ ...(xmlAt >= 0 ? { xml: args[xmlAt + 1] } : {}), keep: args.includes('--keep') }).catch((err) => {
    process.stderr.write(`\n${err.message}\n`);
    process.exit(1);
  });
}
