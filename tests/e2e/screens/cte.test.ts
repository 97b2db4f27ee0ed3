import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactsDir } from '../../helpers/browser';
import { DEMO, fillNewOrder, openDemoHost, signIn, signOut, type DemoHost } from './pages';

// The browser host with its demo defaults (embedded LAN server with CT-e série 1, SEFAZ
// simulator, file printer): order → NF-e → CT-e authorized → DACTE reprinted in Expedição
// by the scanned chave → comprovante de entrega. The steps build on each other.
let host: DemoHost;
let page: Page;
let cteChave = '';
// A 1×1 PNG: the "photo of the signed canhoto".
const CANHOTO = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
const shot = (name: string) => host.shot(name);
const url = () => host.url;

beforeAll(async () => {
  host = await openDemoHost('cte');
  page = host.page;
});
afterAll(async () => {
  await host?.close();
});

describe('CT-e through the browser host', () => {
  it('faturista: bills an order, then emits the CT-e of its freight from the NF-e in Documentos', async () => {
    await signIn(page, url(), DEMO.faturista);
    await fillNewOrder(page, '10000');
    await page.getByRole('button', { name: 'Finalizar…' }).click();
    const fin = page.getByRole('dialog', { name: /Finalizar pedido/ });
    await fin.getByRole('button', { name: 'Confirmar e emitir' }).and(page.locator(':enabled')).waitFor();
    await page.keyboard.press('Enter');
    await fin.getByTestId('finalized-number').waitFor({ timeout: 60_000 });
    await page.keyboard.press('Enter'); // "Ver documento" has the focus
    await page.getByTestId('detail-status').and(page.locator('[data-color="green"]')).waitFor({ timeout: 60_000 });

    await page.getByRole('button', { name: 'Emitir CT-e…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Emitir CT-e do frete' });
    await dialog.getByTestId('cte-nfes').waitFor();
    expect(await dialog.getByTestId('cte-nfes').textContent()).toMatch(/10\.000 L/);
    // Defaults from the NF-e: the tanker's plate, the CT-e série and its suggested number.
    await expect(dialog.getByLabel('Placa do caminhão-tanque').inputValue()).resolves.toBe('ABC1D23');
    expect(await dialog.getByTestId('cte-number').inputValue()).toBe('1');
    // Keyboard first: the freight value has the focus; Tab walks the form, Enter emits.
    await page.keyboard.type('1850,00');
    await page.keyboard.press('Tab');
    await page.keyboard.type('96,40');
    await dialog.getByLabel('RNTRC').fill('1234567');
    await page.keyboard.press('Enter');
    await dialog.getByText('O RNTRC tem 8 dígitos (registro na ANTT).').waitFor();
    await shot('emitir-erro');
    await dialog.getByLabel('RNTRC').fill('12345678');
    // The corrected field and the summary lose their messages at once.
    await expect(dialog.getByText('O RNTRC tem 8 dígitos (registro na ANTT).').count()).resolves.toBe(0);
    await expect(dialog.getByText('Corrija os campos destacados.').count()).resolves.toBe(0);
    await dialog.getByLabel('Motorista', { exact: true }).fill('JOAO DA SILVA');
    await dialog.getByLabel('CPF do motorista').fill('52998224725');
    expect(await dialog.getByTestId('cte-total').textContent()).toMatch(/1\.946,40/);
    await shot('emitir');
    await page.keyboard.press('Enter');
    await dialog.getByTestId('cte-emitted-number').waitFor({ timeout: 60_000 });
    await dialog.getByTestId('cte-emit-status').and(page.locator('[data-color="green"]')).waitFor({ timeout: 60_000 });
    cteChave = (await dialog.getByTestId('cte-chave').textContent())!;
    expect(cteChave.slice(20, 22)).toBe('57');
    await shot('emitido');
    await page.keyboard.press('Enter'); // "Ver CT-e"

    const row = page.getByTestId('document-row-cte-1');
    await row.getByTestId('document-status').and(page.locator('[data-color="green"]')).waitFor({ timeout: 60_000 });
    expect(await row.getByTestId('document-model').textContent()).toBe('CT-e');
    await page.getByTestId('cte-nfe-chaves').waitFor();
    expect(await page.getByTestId('cte-nfe-chaves').textContent()).toMatch(/^\d{4} \d{4}/);
    await shot('documentos-cte');
    await page.getByLabel('Modelo').selectOption('57');
    await expect(page.getByRole('table', { name: 'Documentos' }).getByTestId('document-model').allTextContents()).resolves.toEqual(['CT-e']);
    await signOut(page);
  });

  it('expedição: the scanned DACTE chave reprints it on the form and as PDF', async () => {
    await signIn(page, url(), DEMO.expedicao);
    await page.getByLabel('Chave de acesso').pressSequentially(cteChave, { delay: 2 });
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'DACTE 1' }).waitFor();
    await page.getByRole('button', { name: 'Reimprimir no formulário' }).and(page.locator(':enabled')).click();
    await page.getByTestId('reprint-job').waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: 'Reimprimir em PDF' }).click();
    const link = page.getByTestId('reprint-pdf-link');
    await link.waitFor({ timeout: 60_000 });
    expect(await link.textContent()).toMatch(/DACTE-1-1\.pdf/);
    await shot('expedicao-reimpressao');
    const pdf = join(host.dataDir, 'documentos', `${cteChave}-dacte.pdf`);
    expect(existsSync(pdf)).toBe(true);
    execFileSync('pdftoppm', ['-png', '-r', '70', '-f', '1', '-l', '1', pdf, join(artifactsDir, 'cte-dacte')]);
    const text = execFileSync('pdftotext', [pdf, '-']).toString();
    expect(text.replace(/\s/g, '')).toContain(cteChave);
    expect(text).toMatch(/DACTE/);
  });

  it('expedição: comprovante de entrega with the canhoto image, sent to the simulator', async () => {
    await page.getByRole('tab', { name: 'Comprovante de entrega' }).click();
    await page.getByLabel('Chave do CT-e').pressSequentially(cteChave, { delay: 2 });
    await page.keyboard.press('Enter');
    const form = page.getByRole('form', { name: 'Comprovante de entrega' });
    await form.waitFor();
    await form.getByLabel('Recebido por').fill('MARIA RECEBEDORA');
    await page.keyboard.press('Tab');
    await page.keyboard.type('12345678');
    await form.getByLabel('Imagem do canhoto').setInputFiles({ name: 'canhoto.png', mimeType: 'image/png', buffer: CANHOTO });
    await shot('comprovante');
    await form.getByRole('button', { name: 'Enviar comprovante' }).click();
    await page.getByTestId('entrega-ok').waitFor({ timeout: 60_000 });
    await page.getByTestId('entrega-prot').waitFor();
    await shot('comprovante-autorizado');
    await signOut(page);
    expect(host.pageErrors).toEqual([]);
  });
});
