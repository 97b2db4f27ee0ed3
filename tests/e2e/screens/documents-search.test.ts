import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NumberingClient } from '../../../src/core/numbering/index';
import { launchChromium, screenshot } from '../../helpers/browser';
import { startOffice, type Office } from '../../helpers/office';
import { chaveOf, isoDaysAgo, seedDocuments } from '../../helpers/records-seed';
import { tempDir } from '../../helpers/tmp';
import { DEMO, signIn } from './pages';

// Issue #15 (and #22 item 17's filters): searching Documentos in the browser — accents,
// a partial chave, a CNPJ typed with or without punctuation, status and date filters,
// further pages on demand — against a real LAN server holding 120 documents.
const tmp = tempDir('comboio-docsearch-');
let office: Office;
let feeder: NumberingClient;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  office = await startOffice(tmp.dir);
  feeder = await seedDocuments(office);
  const station = await office.addStation('estacao-a');
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'pt-BR' });
  await signIn(page, station.url, DEMO.faturista);
  await page.getByRole('tab', { name: 'Documentos' }).click();
  await page.getByRole('table', { name: 'Documentos' }).waitFor();
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await feeder?.close();
  await office?.close();
  tmp.cleanup();
});

const table = () => page.getByRole('table', { name: 'Documentos' });
const numbers = async () => (await table().locator('tbody tr').allTextContents()).map((t) => /9000\d\d|9001[0-2]\d/.exec(t)?.[0]).filter(Boolean);

async function search(text: string): Promise<void> {
  await page.locator('#documents-q').fill(text);
  await page.getByRole('button', { name: 'Buscar' }).click();
}

describe('Documentos search', () => {
  it('"sao joao" finds SÃO JOÃO; a CNPJ finds the same with or without punctuation; a partial chave finds its note', async () => {
    await search('sao joao');
    await expect.poll(numbers).toEqual(expect.arrayContaining(['900040', '900080', '900120']));
    expect(await numbers()).toHaveLength(3);
    expect(await table().getByText('SÃO JOÃO COMBUSTÍVEIS LTDA').count()).toBe(3);
    await screenshot(page, 'documentos-busca-nome');
    await search('61.585.865/0001-51');
    await expect.poll(async () => (await numbers()).sort()).toEqual(['900040', '900080', '900120']);
    await search('61585865000151');
    await expect.poll(async () => (await numbers()).sort()).toEqual(['900040', '900080', '900120']);
    await search(chaveOf(77).slice(0, 34));
    await expect.poll(numbers).toEqual(['900077']);
  });

  it('filters by status and by emission dates, and loads further pages on demand', async () => {
    await search('');
    await expect.poll(async () => (await numbers()).length).toBe(50);
    await page.getByRole('button', { name: 'Carregar mais' }).click();
    await expect.poll(async () => (await numbers()).length).toBe(100);
    await page.getByRole('button', { name: 'Carregar mais' }).click();
    await expect.poll(async () => (await numbers()).length).toBe(120);
    await expect(page.getByRole('button', { name: 'Carregar mais' }).count()).resolves.toBe(0);

    await page.getByLabel('Situação').selectOption('cancelada');
    await expect(table().getByText('Nenhum documento com estes filtros.').waitFor()).resolves.toBeUndefined();
    await page.getByLabel('Situação').selectOption('autorizada');
    await expect.poll(async () => (await numbers()).length).toBe(50);

    const from = isoDaysAgo(5, 0).slice(0, 10);
    const br = (d: string) => `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(0, 4)}`;
    await page.locator('#documents-from').fill(br(from));
    await page.locator('#documents-to').fill(br(isoDaysAgo(0, 0).slice(0, 10)));
    // Documents 1–60 are n % 20 days old: 0–5 days → n % 20 ≤ 5 (less the ones issued later today).
    await expect.poll(async () => (await numbers()).length).toBeLessThan(30);
    const shown = await numbers();
    expect(shown.length).toBeGreaterThan(0);
    for (const n of shown) expect(Number(n) - 900000).toBeLessThanOrEqual(60);
    await screenshot(page, 'documentos-filtros-data-situacao');
    await page.locator('#documents-to').fill('31/02/2026');
    await expect(page.getByText('Data inválida: use dd/mm/aaaa.').waitFor()).resolves.toBeUndefined();
  });
});
