#!/usr/bin/env node
// The `comboio` command. It runs the built JavaScript (out/main/cli.js, made by
// `npm run build` with the rest of the app): that is what servers and the installed app run,
// and it starts in a fraction of the time TypeScript through tsx takes.
// In a source checkout whose sources changed since the last build, it falls back to the
// sources through tsx (a dev dependency) so a developer never runs stale code.
// COMBOIO_RUNTIME=built|tsx forces one of them (the startup benchmark compares both).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = join(root, 'out', 'main', 'cli.js');
const sources = join(root, 'src');

/** Newest modification time under `dir`, stopping as soon as one is newer than `than`. */
function newerThan(dir, than) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'renderer') continue; // the browser UI is not part of the CLI bundle
    const p = join(dir, entry.name);
    if (entry.isDirectory() ? newerThan(p, than) : statSync(p).mtimeMs > than) return true;
  }
  return false;
}

function useBuilt() {
  const forced = process.env.COMBOIO_RUNTIME;
  if (forced === 'built' || forced === 'tsx') return forced === 'built';
  if (!existsSync(built)) return false;
  return !existsSync(sources) || !newerThan(sources, statSync(built).mtimeMs);
}

if (useBuilt()) {
  await import(pathToFileURL(built).href);
} else {
  let register;
  try {
    ({ register } = await import('tsx/esm/api'));
  } catch {
    process.stderr.write('comboio: programa não compilado. Rode "npm run build" (ou reinstale o Comboio).\n');
    process.exit(1);
  }
  register();
  await import('../src/cli/main.ts');
}
