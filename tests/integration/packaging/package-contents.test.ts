import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain JavaScript script (npm run check:package), no type declarations
import { checkPackage } from '../../../scripts/check-package.mjs';
import { authorizedNfeFixture } from '../../helpers/authorized-nfe-fixture';
import { tempDir } from '../../helpers/tmp';

const tmp = tempDir('comboio-pack-');
afterAll(() => tmp.cleanup());

// electron-builder packages the real configuration with a stand-in Electron executable (the
// real binary cannot be downloaded here); the packaged code then runs under Node and strace.
describe('packaged app (electron-builder dir, stand-in Electron binary)', () => {
  it('ships everything the packaged CLI, server, web host, DANFE and diagnostics read, and nothing comes from the checkout', { timeout: 300_000 }, async () => {
    const xml = join(tmp.dir, 'nfe-proc.xml');
    writeFileSync(xml, authorizedNfeFixture().nfeProcXml);
    const lines: string[] = [];
    const r = (await checkPackage({ xml, log: (l: string) => lines.push(l) })) as { reads: string[]; modules: string[] };
    expect(r.reads).toEqual(
      expect.arrayContaining([
        'resources/resources/fonts/LiberationSans-Regular.ttf',
        'resources/resources/fonts/LiberationSans-Bold.ttf',
        'resources/resources/forms/danfe-continuo.json',
        'resources/drizzle/meta/_journal.json',
        'resources/app.asar/out/renderer/index.html',
        'resources/app.asar/package.json',
      ]),
    );
    expect(r.modules).toEqual(expect.arrayContaining(['better-sqlite3', 'pino', 'pdfkit']));
    expect(r.modules).not.toContain('tsx');
  });
});
