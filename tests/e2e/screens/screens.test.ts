import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, fillNewOrder, sectionsVisible, signIn, signOut, openDemoHost, type DemoHost } from './pages';

// One browser host with its demo defaults (embedded LAN server, SEFAZ simulator, file
// printer); the tests run in order because each builds on the notes the previous one issued.
let host: DemoHost;
let page: Page;
let url: string;
const shot = (name: string) => host.shot(name);

beforeAll(async () => {
  host = await openDemoHost('screens');
  page = host.page;
  url = host.url;
});
afterAll(async () => {
  await host?.close();
});

describe('screens of the three roles through the browser host', () => {
  it('each role sees only its sections; the administrador sees all', async () => {
    await page.goto(url);
    await page.getByRole('heading', { name: 'Entrar' }).waitFor();
    await page.getByRole('table').waitFor();
    await shot('sign-in');

    await page.getByLabel('Usuário', { exact: true }).fill(DEMO.faturista);
    await page.getByLabel('Senha').fill('senha errada');
    await page.keyboard.press('Enter');
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/Não foi possível entrar/);

    await signIn(page, url, DEMO.faturista);
    expect(await sectionsVisible(page)).toEqual(['Faturamento']);
    await signOut(page);
    await signIn(page, url, DEMO.expedicao);
    expect(await sectionsVisible(page)).toEqual(['Expedição']);
    await signOut(page);
    await signIn(page, url, DEMO.admin);
    expect(await sectionsVisible(page)).toEqual(['Faturamento', 'Expedição', 'Administração']);
    await signOut(page);
  });

  it('faturista: required fields are flagged, then the order is billed and shows green in Documentos', async () => {
    await signIn(page, url, DEMO.faturista);
    await page.getByRole('table', { name: 'Pedidos' }).waitFor();
    await shot('pedidos');

    await page.getByRole('button', { name: 'Novo pedido' }).click();
    await page.getByRole('button', { name: 'Salvar', exact: true }).click();
    await expect(page.getByRole('alert').first().textContent()).resolves.toMatch(/Corrija os campos destacados/);
    await expect(page.getByRole('combobox', { name: 'Cliente' }).getAttribute('aria-invalid')).resolves.toBe('true');
    await shot('pedido-obrigatorios');
    await page.getByRole('button', { name: '← Pedidos' }).click();
    const discard = page.getByRole('button', { name: 'Descartar alterações' });
    if (await discard.isVisible()) await discard.click();

    await fillNewOrder(page, '15000');
    // Live totals come from the core (orders.totals), never summed in the page.
    await page.getByTestId('order-total').filter({ hasText: /R\$ [1-9]/ }).waitFor();
    await shot('pedido-editor');

    await page.getByRole('button', { name: 'Finalizar…' }).click();
    const dialog = page.getByRole('dialog', { name: /Finalizar pedido/ });
    await dialog.getByRole('button', { name: 'Confirmar e emitir' }).and(page.locator(':enabled')).waitFor();
    // Own-emission série: the suggested number is shown but cannot be typed over.
    await expect(dialog.getByTestId('finalize-number').getAttribute('readonly')).resolves.not.toBeNull();
    const suggested = await dialog.getByTestId('finalize-number').inputValue();
    await shot('finalizar');
    await dialog.getByRole('button', { name: 'Confirmar e emitir' }).click();
    await dialog.getByTestId('finalized-number').waitFor({ timeout: 60_000 });
    expect(await dialog.getByTestId('finalized-number').textContent()).toBe(suggested);
    await shot('finalizado');

    await dialog.getByRole('button', { name: 'Ver documento' }).click();
    const row = page.getByTestId(`document-row-${suggested}`);
    await row.getByTestId('document-status').and(page.locator('[data-color="green"]')).waitFor({ timeout: 60_000 });
    await page.getByTestId('detail-status').waitFor();
    await expect(page.getByRole('table', { name: 'Mensagens da SEFAZ' }).isVisible()).resolves.toBe(true);
    await shot('documentos');
    await page.getByRole('button', { name: 'Carta de correção' }).click();
    await page.getByText('Condições de uso').waitFor();
    await shot('carta-de-correcao');
    await page.keyboard.press('Escape');
    await page.getByRole('tab', { name: 'Importar XML' }).click();
    await shot('importar-xml');
    await signOut(page);
  });

  it('expedição: a scanned chave finds the note, reprints it as PDF, and the audit names who asked', async () => {
    await signIn(page, url, DEMO.admin);
    await page.getByRole('tab', { name: 'Documentos' }).click();
    await page.getByTestId('document-number').first().click();
    const chave = (await page.getByTestId('detail-chave').textContent())!.replace(/\s/g, '');
    expect(chave).toMatch(/^\d{44}$/);
    await signOut(page);

    await signIn(page, url, DEMO.expedicao);
    // A barcode scanner types the 44 digits fast and presses Enter.
    await page.getByLabel('Chave de acesso').pressSequentially(chave, { delay: 2 });
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Reimprimir em PDF' }).and(page.locator(':enabled')).waitFor();
    await page.getByRole('button', { name: 'Reimprimir em PDF' }).click();
    const link = page.getByTestId('reprint-pdf-link');
    await link.waitFor({ timeout: 60_000 });
    expect(await link.getAttribute('href')).toMatch(/^blob:/);
    await shot('expedicao-reimpressao');

    await page.getByRole('tab', { name: 'Fila de impressão' }).click();
    await page.getByTestId('print-job').first().waitFor();
    await shot('fila-de-impressao');
    await page.getByRole('tab', { name: 'Auditoria de reimpressões' }).click();
    const line = page.getByTestId('audit-line').filter({ hasText: DEMO.expedicao }).filter({ hasText: /Reimpress/ });
    await line.first().waitFor();
    await shot('auditoria-reimpressoes');
    await signOut(page);
  });

  it('administração: moving próximo número backward is refused with the reason; every tab renders', async () => {
    await signIn(page, url, DEMO.admin);
    await page.getByRole('button', { name: /Administração/ }).click();
    await page.getByRole('table', { name: 'Séries' }).getByRole('row').nth(1).waitFor();
    await page.getByRole('button', { name: 'Auditoria da NF-e série 1', exact: true }).click();
    await shot('admin-series');

    await page.getByRole('button', { name: 'Alterar próximo número da NF-e série 1', exact: true }).click();
    await page.getByLabel('Novo próximo número').fill('1');
    await page.getByLabel('Motivo').fill('voltar numeração');
    await page.keyboard.press('Enter');
    const refusal = page.getByRole('dialog').getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(/Alteração recusada: .+/);
    await shot('admin-proximo-numero-recusado');
    await page.keyboard.press('Escape');
    await expect(page.getByRole('dialog').count()).resolves.toBe(0);

    const panel = page.getByRole('tabpanel');
    const tabs: [string, string, () => Promise<void>][] = [
      ['Estabelecimento e certificado', 'admin-estabelecimento', () => page.getByTestId('certificate-status').waitFor()],
      ['Impressoras', 'admin-impressoras', () => panel.getByRole('table', { name: 'Impressoras' }).getByRole('row').nth(1).waitFor()],
      ['Servidor LAN', 'admin-servidor-lan', () => panel.getByLabel('Porta').and(page.locator('[value]:not([value=""])')).waitFor()],
      ['SEFAZ', 'admin-sefaz', () => panel.getByRole('radio', { name: /Simulador local/ }).waitFor()],
      ['Usuários', 'admin-usuarios', () => panel.getByRole('cell', { name: DEMO.expedicao, exact: true }).waitFor()],
      ['Esta estação', 'admin-estacao', () => panel.getByText(host.dataDir).waitFor()],
    ];
    for (const [tab, name, loaded] of tabs) {
      await page.getByRole('tab', { name: tab }).click();
      await loaded();
      await expect(panel.getByRole('alert').count(), `${tab} shows an error`).resolves.toBe(0);
      await shot(name);
    }
    expect(host.pageErrors).toEqual([]);
  });
});
