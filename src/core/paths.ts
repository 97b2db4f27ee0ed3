import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
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

/** The source checkout's root (src/core/ is two levels down; so is out/main/). */
export const projectRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');

/** The source checkout's folders; the packaged app passes process.resourcesPath instead. */
export function defaultProjectPaths(): Pick<CorePaths, 'migrationsDir' | 'resourcesDir'> & { rendererDir: string } {
  return {
    migrationsDir: join(projectRoot, 'drizzle'),
    resourcesDir: join(projectRoot, 'resources'),
    rendererDir: join(projectRoot, 'out', 'renderer'),
  };
}

/** The per-user application data folder, as Electron's app.getPath('userData') would give. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.COMBOIO_DATA) return resolve(env.COMBOIO_DATA);
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Comboio');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Comboio');
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'comboio');
}
