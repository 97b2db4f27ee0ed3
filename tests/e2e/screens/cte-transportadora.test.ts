import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueTestA1 } from '../../../src/sefaz-sim/pki';
import { DEMO, fillNewOrder, openDemoHost, signIn, signOut, type DemoHost } from './pages';

// The browser host with its demo defaults. The administrator adds the group's transport
// company (another CNPJ) with its own A1 and CT-e série on the screens; the faturista bills
// an order with F9, F9 and emits the CT-e of its freight as the transport company, with the
// tomador "outros" picked from the cadastro, F3 and F9 in the dialog.
const CNPJ_B = '22333444000181';
let host: DemoHost;
let page: Page;
const shot = (name: string) => host.shot(name);

beforeAll(async () => {
  host = await openDemoHost('cte-transportadora');
  page = host.page;
});
afterAll(async () => {
  await host?.close();
});

describe('CT-e emitted by the transport company (another CNPJ, its own A1) through the screens', () => {
  it('administrador: adds the transport company and its certificate, then its CT-e série', async () => {
    // Its A1, issued by the embedded simulator's CA (accepted there as SEFAZ accepts ICP-Brasil).
    const pfxFile = join(host.dataDir, 'transportadora.pfx');
    writeFileSync(pfxFile, issueTestA1(join(host.dataDir, 'sefaz-simulador'), { cnpj: CNPJ_B, password: 'senha-b', razaoSocial: 'COMBOIO TRANSPORTES LTDA' }).pfx);

    await signIn(page, host.url, DEMO.admin);
    await page.getByRole('button', { name: /Administração/ }).click();
    await page.getByRole('tab', { name: 'Estabelecimento e certificado' }).click();
    await page.getByTestId('emitentes-empty').waitFor();
    await page.getByRole('button', { name: 'Novo emitente…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Novo emitente' });
    await dialog.getByLabel('CNPJ', { exact: true }).fill(CNPJ_B);
    await dialog.getByLabel('Inscrição estadual').fill('222333440106');
    await dialog.getByLabel('Razão social').fill('COMBOIO TRANSPORTES LTDA');
    await dialog.getByLabel('Logradouro').fill('Rodovia Anhanguera');
    await dialog.getByLabel('Número', { exact: true }).fill('KM 100');
    await dialog.getByLabel('Bairro').fill('Distrito Industrial');
    await dialog.getByLabel('Município', { exact: true }).fill('Campinas');
    await dialog.getByLabel('Código IBGE do município').fill('3509502');
    await dialog.getByLabel('CEP').fill('13000000');
    await dialog.getByLabel('RNTRC').fill('87654321');
    await dialog.getByLabel('Certificado A1 do emitente (.pfx)').setInputFiles(pfxFile);
    // A wrong password: the emitente is saved, the certificate refused with the reason, on the field.
    await dialog.getByLabel('Senha do certificado do emitente').fill('errada');
    await page.keyboard.press('Enter');
    await dialog.locator('.field-error').getByText('Emitente salvo; certificado não instalado: Senha do certificado incorreta.').waitFor();
    await shot('emitente-senha-errada');
    await dialog.getByLabel('Senha do certificado do emitente').fill('senha-b');
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached', timeout: 30_000 });
    const row = page.getByTestId(`emitente-${CNPJ_B}`);
    await row.waitFor();
    await expect(row.getByTestId('emitente-certificate').textContent()).resolves.toMatch(/COMBOIO TRANSPORTES LTDA · 22\.333\.444\/0001-81, válido até \d{2}\/\d{2}\/\d{4}/);
    await shot('emitentes');

    await page.getByRole('tab', { name: 'Séries' }).click();
    await page.getByRole('button', { name: 'Nova série' }).click();
    const nova = page.getByRole('dialog', { name: 'Nova série' });
    await nova.getByLabel('Modelo').selectOption('57');
    await nova.getByLabel('Série', { exact: true }).fill('1');
    await nova.getByLabel('CNPJ do estabelecimento').fill(CNPJ_B);
    await nova.getByLabel('Descrição').fill('CT-e da transportadora');
    await page.keyboard.press('Enter');
    await page.getByRole('table', { name: 'Séries' }).getByText('CT-e da transportadora').waitFor();
    await signOut(page);
  });

  it('faturista: F9, F9 bills the order; the CT-e dialog offers the transport company first, F3 and F9 work there', async () => {
    await signIn(page, host.url, DEMO.faturista);
    await fillNewOrder(page, '8000');
    await page.keyboard.press('F9');
    const fin = page.getByRole('dialog', { name: /Finalizar pedido/ });
    await fin.getByRole('button', { name: 'Confirmar e emitir' }).and(page.locator(':enabled')).waitFor();
    await page.keyboard.press('F9');
    await fin.getByTestId('finalized-number').waitFor({ timeout: 60_000 });
    await page.keyboard.press('Enter'); // "Ver documento"
    await page.getByTestId('detail-status').and(page.locator('[data-color="green"]')).waitFor({ timeout: 60_000 });

    await page.getByRole('button', { name: 'Emitir CT-e…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Emitir CT-e do frete' });
    await dialog.getByTestId('cte-nfes').waitFor();
    const emitente = dialog.getByLabel('Transportadora emitente');
    await expect(emitente.inputValue()).resolves.toBe(CNPJ_B);
    await expect(emitente.locator('option:checked').textContent()).resolves.toMatch(/COMBOIO TRANSPORTES LTDA · 22\.333\.444\/0001-81/);
    // The transport company's RNTRC and its own série (number 1 of its counter).
    await expect(dialog.getByLabel('RNTRC').inputValue()).resolves.toBe('87654321');
    expect(await dialog.getByTestId('cte-number').inputValue()).toBe('1');
    await page.keyboard.type('1500,00');

    // Tomador "outros": a third party from the cadastro (toma4).
    await dialog.getByLabel('Tomador do serviço').selectOption('outro');
    await page.keyboard.press('F9');
    await dialog.getByText('Escolha o tomador (outros) no cadastro de clientes.').waitFor();
    await dialog.getByRole('combobox', { name: 'Tomador (outros)' }).fill('fazenda');
    await dialog.getByRole('option', { name: /FAZENDA/ }).waitFor();
    await page.keyboard.press('Enter');
    await dialog.getByTestId('cte-party-card').waitFor();
    await expect(dialog.getByText('Escolha o tomador (outros) no cadastro de clientes.').count()).resolves.toBe(0);

    // F3 goes to "Adicionar NF-e" from anywhere in the dialog.
    await dialog.getByLabel('Pedágio (R$)').focus();
    await page.keyboard.press('F3');
    await expect(dialog.getByLabel('Adicionar NF-e (número ou chave)').evaluate((el) => el === el.ownerDocument.activeElement)).resolves.toBe(true);
    await shot('emitir');
    await page.keyboard.press('F9');
    await dialog.getByTestId('cte-emitted-number').waitFor({ timeout: 60_000 });
    await dialog.getByTestId('cte-emit-status').and(page.locator('[data-color="green"]')).waitFor({ timeout: 60_000 });
    const chave = (await dialog.getByTestId('cte-chave').textContent())!;
    expect(chave.slice(6, 20)).toBe(CNPJ_B);
    expect(chave.slice(20, 22)).toBe('57');
    await shot('emitido');
    await page.keyboard.press('Enter'); // "Ver CT-e"
    await page.getByTestId('cte-nfe-chaves').waitFor();
    await expect(page.getByTestId('cte-emitente').textContent()).resolves.toMatch(/COMBOIO TRANSPORTES LTDA \(22\.333\.444\/0001-81\)/);
    await shot('detalhe');
    expect(host.pageErrors).toEqual([]);
  });
});
