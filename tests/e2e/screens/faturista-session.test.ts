import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, screenshot } from '../../helpers/browser';
import { spawnComboio, type Proc } from '../../helpers/proc';
import { tempDir } from '../../helpers/tmp';
import { DEMO, signIn } from './pages';

// Issue #22 items 4, 5, 11, 12, 15: a faturista's day at 1366×768 with the keyboard first —
// F-keys, focus, drafts that survive a reload, leaving asks, an order another faturista is
// finalizing, numbers and CNPJs read back as typed. One browser host with its demo defaults.
const tmp = tempDir();
let web: Proc;
let url: string;
let browser: Browser;
let context: BrowserContext;
let page: Page;

async function shot(p: Page, name: string): Promise<void> {
  const s = await screenshot(p, `faturista-${name}`);
  expect(s.colours, `${name} looks blank`).toBeGreaterThan(8);
}

beforeAll(async () => {
  web = spawnComboio(['web', '--port', '0', '--data', tmp.dir]);
  url = (await web.waitFor(/Comboio aberto em (http:\/\/\S+)/, 60_000))[1]!;
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'en-US' });
  page = await context.newPage();
});
afterAll(async () => {
  await browser?.close();
  await web?.kill();
  tmp.cleanup();
});

// Runs in the page; the Node project has no DOM types, so name what it uses.
type Doc = { activeElement: { id: string; textContent: string | null; getAttribute(n: string): string | null; tagName: string } | null };
const active = (p: Page) =>
  p.evaluate(() => {
    const a = (globalThis as unknown as { document: Doc }).document.activeElement;
    return { id: a?.id ?? '', tag: a?.tagName ?? '', role: a?.getAttribute('role') ?? '', label: a?.getAttribute('aria-label') ?? '', item: a?.getAttribute('data-item-product') ?? '' };
  });

async function pickFirstCustomer(p: Page): Promise<void> {
  await p.getByRole('combobox', { name: 'Cliente' }).fill('posto');
  await p.getByRole('option').first().waitFor();
  await p.keyboard.press('ArrowDown');
  await p.keyboard.press('Enter');
  await p.getByTestId('order-customer').waitFor();
}

describe('a faturista, keyboard first', () => {
  it('sign-in leaves the order search focused; F2 opens a new order on Cliente; F3 adds an item on its product; the keys show on the buttons (item 12)', async () => {
    await signIn(page, url, DEMO.faturista);
    await expect.poll(async () => (await active(page)).id).toBe('orders-q');
    const novo = page.getByRole('button', { name: 'Novo pedido' });
    await expect(novo.getAttribute('aria-keyshortcuts')).resolves.toBe('F2');
    await expect(novo.textContent()).resolves.toContain('F2');
    await shot(page, 'lista-foco');

    await page.keyboard.press('F2');
    await page.getByRole('combobox', { name: 'Cliente' }).waitFor();
    await expect.poll(async () => (await active(page)).role).toBe('combobox');
    await pickFirstCustomer(page);
    await page.getByLabel('Produto do item 1').selectOption('prod-gasolina-c');
    await page.getByLabel('Quantidade em litros do item 1').fill('5.000');
    await page.keyboard.press('F3');
    await page.getByLabel('Produto do item 2').waitFor();
    await expect.poll(async () => (await active(page)).item).toBe('2');
    await expect(page.getByRole('button', { name: 'Finalizar…' }).getAttribute('aria-keyshortcuts')).resolves.toBe('F9');
    await page.getByRole('button', { name: 'Remover item 2' }).click();
  });

  it('a reload keeps the session and the unsaved order; leaving with changes asks (item 4)', async () => {
    await page.getByLabel('Forma de pagamento').selectOption('15');
    await page.getByLabel('Modalidade do frete').selectOption('9');
    const customer = await page.getByTestId('order-customer').locator('.customer-name').textContent();
    // Let the autosave run (it waits for a pause in typing).
    await page.waitForTimeout(800);
    await page.reload();
    await page.getByTestId('session-user').waitFor();
    await page.getByTestId('order-restored').waitFor();
    await expect(page.getByTestId('order-customer').locator('.customer-name').textContent()).resolves.toBe(customer);
    await expect(page.getByLabel('Quantidade em litros do item 1').inputValue()).resolves.toBe('5.000');
    await shot(page, 'rascunho-recuperado');

    // Another tab, then "Sair": both ask first; "Continuar editando" stays.
    await page.getByRole('tab', { name: 'Documentos' }).click();
    const ask = page.getByRole('dialog', { name: 'Alterações não salvas' });
    await ask.waitFor();
    await shot(page, 'sair-com-alteracoes');
    await ask.getByRole('button', { name: 'Continuar editando' }).click();
    await expect(page.getByRole('tab', { name: 'Pedidos' }).getAttribute('aria-selected')).resolves.toBe('true');
    await page.getByRole('button', { name: 'Sair' }).click();
    await ask.waitFor();
    await ask.getByRole('button', { name: 'Continuar editando' }).click();
    await expect(page.getByTestId('session-user').count()).resolves.toBe(1);

    // "Salvar e sair" saves, then goes where the user asked.
    await page.getByRole('button', { name: '← Pedidos' }).click();
    await ask.getByRole('button', { name: 'Salvar e sair' }).click();
    await page.getByRole('table', { name: 'Pedidos' }).waitFor();
    await expect(page.getByRole('dialog').count()).resolves.toBe(0);
  });

  it('the saved quantity reads back "5.000" and the transporter CNPJ is shown formatted (item 11)', async () => {
    await page.getByRole('row', { name: /^Pedido .+, / }).first().click();
    await expect(page.getByLabel('Quantidade em litros do item 1').inputValue()).resolves.toBe('5.000');
    await expect(page.getByLabel('Preço unitário do item 1').inputValue()).resolves.toMatch(/^\d+,\d{4,}$/);
    await page.getByLabel('Modalidade do frete').selectOption('0');
    await page.getByLabel('CNPJ/CPF do transportador').fill('11222333000181');
    await expect(page.getByLabel('CNPJ/CPF do transportador').inputValue()).resolves.toBe('11.222.333/0001-81');
    await page.getByLabel('Transportador', { exact: true }).fill('Transportes Rapido Ltda');
    await page.getByRole('button', { name: 'Salvar', exact: true }).click();
    await page.getByText(/Pedido .+ salvo\./).waitFor();
  });

  it('an order another faturista is finalizing opens read-only, naming the person (items 5, 15)', async () => {
    const numero = (await page.getByRole('form').getAttribute('aria-label'))!;
    // The administrator (another person, another browser) opens the finalize dialog: the lock is theirs.
    const adminContext = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'pt-BR' });
    const admin = await adminContext.newPage();
    await signIn(admin, url, DEMO.admin);
    await admin.getByRole('row', { name: new RegExp(numero.replace('Pedido ', '')) }).first().click();
    await admin.getByRole('button', { name: 'Finalizar…' }).click();
    const dialog = admin.getByRole('dialog', { name: /Finalizar pedido/ });
    await dialog
      .getByRole('button', { name: 'Confirmar e emitir' })
      .and(admin.locator(':enabled'))
      .waitFor({ timeout: 60_000 })
      .catch(async (err: unknown) => {
        // Say what the dialog showed instead (a blocked series load, a lock refused…).
        await shot(admin, 'finalizar-admin-falhou');
        throw new Error(`finalize dialog never became ready: ${await dialog.textContent()}`, { cause: err });
      });

    await page.getByRole('button', { name: '← Pedidos' }).click();
    await page.getByRole('row', { name: new RegExp(numero.replace('Pedido ', '')) }).first().click();
    const held = page.getByTestId('order-held');
    await held.waitFor();
    await expect(held.textContent()).resolves.toMatch(/Pedido em faturamento por Administrador \(estação .+\) desde \d{2}:\d{2}/);
    await expect(page.getByRole('button', { name: 'Salvar', exact: true }).count()).resolves.toBe(0);
    await expect(page.getByLabel('Quantidade em litros do item 1').getAttribute('readonly')).resolves.not.toBeNull();
    await shot(page, 'pedido-em-faturamento');

    // Closing the dialog hands the order back: "Verificar de novo" makes it editable again.
    await dialog.getByRole('button', { name: 'Fechar' }).click();
    const again = page.getByRole('button', { name: 'Verificar de novo' });
    await expect
      .poll(async () => {
        if (await again.isVisible()) await again.click();
        return held.count();
      })
      .toBe(0);
    await expect(page.getByRole('button', { name: 'Salvar', exact: true }).count()).resolves.toBe(1);
    await adminContext.close();
  });

  it('dates are typed dd/mm/aaaa in an English browser; the certificate holder reads as name · CNPJ (item 15)', async () => {
    await page.getByRole('button', { name: '← Pedidos' }).click();
    await page.getByRole('button', { name: 'Sair' }).click();
    await signIn(page, url, DEMO.admin);
    await page.getByRole('button', { name: /Expedição/ }).click();
    const day = page.getByLabel('Data de emissão');
    await day.pressSequentially('10032025');
    await expect(day.inputValue()).resolves.toBe('10/03/2025');
    await expect(day.getAttribute('type')).resolves.not.toBe('date');
    await day.fill('31/02/2025');
    await page.getByRole('button', { name: 'Localizar' }).click();
    await page.getByText(/Data de emissão inválida: use dd\/mm\/aaaa/).waitFor();

    await page.getByRole('button', { name: /Administração/ }).click();
    await page.getByRole('tab', { name: 'Estabelecimento e certificado' }).click();
    const holder = page.getByTestId('certificate-holder');
    if ((await page.getByTestId('certificate-status').textContent())?.includes('Nenhum certificado')) return;
    await holder.waitFor();
    await expect(holder.textContent()).resolves.not.toMatch(/CN=|O=|OU=/);
    await expect(page.getByLabel('CNPJ', { exact: true }).inputValue()).resolves.toMatch(/^\d{2}\.\d{3}\.\d{3}\/\d{4}-\d{2}$/);
    await expect(page.getByLabel('CEP').inputValue()).resolves.toMatch(/^\d{5}-\d{3}$/);
    await shot(page, 'estabelecimento-certificado');
  });
});
