import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { defaultDataDir, projectRoot } from '../paths';

/**
 * The schema folder when none is configured: COMBOIO_SCHEMAS, else the packages
 * `comboio setup fiscal` installed in the user's data folder, else the official packages
 * next to a development checkout (../shared/schemas).
 */
export function defaultSchemasDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.COMBOIO_SCHEMAS) return env.COMBOIO_SCHEMAS;
  const installed = join(defaultDataDir(env), 'schemas');
  return existsSync(join(installed, 'nfe')) ? installed : join(projectRoot, '..', 'shared', 'schemas');
}
