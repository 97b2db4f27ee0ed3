import { join } from 'node:path';
import { projectRoot } from '../paths';

/**
 * The schema folder when none is configured: COMBOIO_SCHEMAS, else the official packages
 * next to a development checkout (../shared/schemas). Users install the official package
 * and set the folder in the app's settings.
 */
export function defaultSchemasDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.COMBOIO_SCHEMAS ?? join(projectRoot, '..', 'shared', 'schemas');
}
