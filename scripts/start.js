#!/usr/bin/env node
// `npm start`: the Electron app where its binary exists; otherwise the same UI in the
// browser through `comboio web` (this is how Linux CI boxes and servers run it).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const require = createRequire(import.meta.url);

function electronBinary() {
  try {
    const path = require('electron');
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

function rendererIsStale() {
  const built = join(root, 'out', 'renderer', 'index.html');
  if (!existsSync(built)) return true;
  const builtAt = statSync(built).mtimeMs;
  return newestMtime(join(root, 'src', 'renderer')) > builtAt || newestMtime(join(root, 'src', 'shared')) > builtAt;
}

function run(cmd, cmdArgs) {
  const child = spawn(cmd, cmdArgs, { cwd: root, stdio: 'inherit' });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code) => process.exit(code ?? 0));
}

const viteBin = join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
if (electronBinary()) {
  run(process.execPath, [viteBin, 'preview', ...(args.length ? ['--', ...args] : [])]);
} else {
  console.log('Electron não está instalado nesta máquina: abrindo a mesma interface no navegador (comboio web).');
  if (rendererIsStale()) {
    const build = spawnSync(process.execPath, [viteBin, 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
    if (build.status !== 0) process.exit(build.status ?? 1);
  }
  run(process.execPath, [join(root, 'bin', 'comboio.js'), 'web', ...args]);
}
