import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the core reads and writes. Injected so Electron, the CLI and tests can differ. */
export interface CorePaths {
  /** Root of the workstation's data: SQLite files, documents, print spool. */
  dataDir: string;
  /** drizzle/ migrations folder (resources path when packaged). */
  migrationsDir: string;
  /** resources/ folder: form layouts, examples, certificates roots. */
  resourcesDir: string;
}

/**
 * The application's root: the source checkout (src/core/ is two levels down; so is the
 * built out/main/), or app.asar in the installed app.
 */
export const projectRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');

/**
 * The installed app (electron-builder) runs from <install>/resources/app.asar, the Electron
 * main process and the CLI alike (ELECTRON_RUN_AS_NODE); drizzle/ and resources/ ship
 * beside the asar as extraResources (electron-builder.yml).
 */
export function packagedResourcesDir(root = projectRoot): string | null {
  return basename(root) === 'app.asar' ? dirname(root) : null;
}

/** Migrations, resources and the built renderer, in the checkout or in the installed app. */
export function defaultProjectPaths(root = projectRoot): Pick<CorePaths, 'migrationsDir' | 'resourcesDir'> & { rendererDir: string } {
  const outside = packagedResourcesDir(root) ?? root;
  return {
    migrationsDir: join(outside, 'drizzle'),
    resourcesDir: join(outside, 'resources'),
    rendererDir: join(root, 'out', 'renderer'),
  };
}

let version: string | undefined;
/** The version in package.json (shipped inside app.asar); Electron's app.getVersion() reads the same field. */
export function appVersion(root = projectRoot): string {
  if (root === projectRoot && version) return version;
  const v = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
  if (root === projectRoot) version = v;
  return v;
}

/** The per-user application data folder, as Electron's app.getPath('userData') would give. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.COMBOIO_DATA) return resolve(env.COMBOIO_DATA);
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Comboio');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Comboio');
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'comboio');
}
