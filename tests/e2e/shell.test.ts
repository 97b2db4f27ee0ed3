import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, screenshot } from '../helpers/browser';
import { signIn } from './screens/pages';
import { spawnComboio, type Proc } from '../helpers/proc';
import { tempDir } from '../helpers/tmp';

const tmp = tempDir();
let web: Proc;
let url: string;
let browser: Browser;

beforeAll(async () => {
  web = spawnComboio(['web', '--port', '0', '--data', tmp.dir]);
  url = (await web.waitFor(/Comboio aberto em (http:\/\/\S+)/, 30_000))[1]!;
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await web?.kill();
  tmp.cleanup();
});

describe('app shell in Chromium through the browser host', () => {
  it('shows the three role sections and the status bar, and renders something', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await signIn(page, url, 'admin');

    await expect(page.getByRole('heading', { level: 1, name: 'Faturamento' }).isVisible()).resolves.toBe(true);
    await page.getByRole('button', { name: /Expedição/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Expedição' }).waitFor();
    await page.getByRole('button', { name: /Administração/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Administração' }).waitFor();
    await page.getByRole('tab', { name: 'Esta estação' }).click();
    // The data folder shown comes from the core through the Api, not from the page.
    await page.getByText(tmp.dir).first().waitFor();

    for (const id of ['status-lan', 'status-sefaz', 'status-printer']) {
      expect(await page.getByTestId(id).textContent()).toMatch(/Servidor LAN|SEFAZ|Impressora/);
    }
    const shot = await screenshot(page, 'shell-administracao');
    expect(shot.colours).toBeGreaterThan(8);
    expect(errors).toEqual([]);
  });
});
