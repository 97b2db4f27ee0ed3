import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser';
import { spawnComboio, type Proc } from '../helpers/proc';
import { tempDir } from '../helpers/tmp';
import { DEMO, signIn } from './screens/pages';

const tmp = tempDir('comboio-e2e-diag-');
let web: Proc;
let url: string;
let browser: Browser;

beforeAll(async () => {
  web = spawnComboio(['web', '--port', '0', '--data', join(tmp.dir, 'dados')]);
  url = (await web.waitFor(/Comboio aberto em (http:\/\/\S+)/, 60_000))[1]!;
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await web?.kill();
  tmp.cleanup();
});

describe('Administração → Esta estação → Exportar diagnóstico', () => {
  it('downloads a zip with the logs and the queue states, without the LAN token', async () => {
    const page = await browser.newPage({ acceptDownloads: true, locale: 'pt-BR' });
    await signIn(page, url, DEMO.admin);
    await page.getByRole('button', { name: /Administração/ }).click();
    await page.getByRole('tab', { name: 'Esta estação' }).click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Exportar diagnóstico' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^diagnostico-.+\.zip$/);
    const saved = join(tmp.dir, 'baixado.zip');
    await download.saveAs(saved);
    const files = unzipSync(readFileSync(saved));
    expect(Object.keys(files)).toEqual(expect.arrayContaining(['versoes.json', 'estacao.json']));
    expect(Object.keys(files).some((n) => n.startsWith('logs/estacao.'))).toBe(true);
    // No station credential and no user session token.
    expect(Object.values(files).map((f) => strFromU8(f)).join('\n')).not.toMatch(/\b(st|us)_[A-Za-z0-9_-]{43}\b/);
    await expect(page.getByRole('status').filter({ hasText: 'Diagnóstico gerado' }).count()).resolves.toBe(1);
    await page.close();
  });
});
