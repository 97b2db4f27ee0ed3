import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, screenshot } from '../../helpers/browser';
import { spawnComboio, type Proc } from '../../helpers/proc';
import { tempDir } from '../../helpers/tmp';
import { DEMO, signIn } from './pages';

// Issue #22 item 10: the order list at 1366×768 — drafts' totals, deleting a draft, copying
// an earlier order, short sequential order numbers (given by the LAN server at the first save).
const tmp = tempDir();
let web: Proc;
let url: string;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  web = spawnComboio(['web', '--port', '0', '--data', tmp.dir]);
  url = (await web.waitFor(/Comboio aberto em (http:\/\/\S+)/, 60_000))[1]!;
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'pt-BR' });
});
afterAll(async () => {
  await browser?.close();
  await web?.kill();
  tmp.cleanup();
});

async function draft(liters: string): Promise<string> {
  await page.getByRole('button', { name: 'Novo pedido' }).click();
  await page.getByRole('combobox', { name: 'Cliente' }).fill('posto');
  await page.getByRole('option').first().waitFor();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await page.getByTestId('order-customer').waitFor();
  await page.getByLabel('Produto do item 1').selectOption('prod-gasolina-c');
  await page.getByLabel('Quantidade em litros do item 1').fill(liters);
  await page.getByLabel('Forma de pagamento').selectOption('15');
  await page.getByTestId('order-total').filter({ hasText: /R\$ [1-9]/ }).waitFor();
  const total = (await page.getByTestId('order-total').textContent())!.trim();
  // Not numbered until saved: the number is the server's, given at the first save.
  await expect(page.getByRole('heading', { level: 2 }).first().textContent()).resolves.toMatch(/^Novo pedido/);
  await page.getByRole('button', { name: 'Salvar', exact: true }).click();
  await page.getByText(/Pedido \d+ salvo\./).waitFor();
  await expect(page.getByRole('heading', { level: 2 }).first().textContent()).resolves.toMatch(/^Pedido \d+/);
  await page.getByRole('button', { name: '← Pedidos' }).click();
  await page.getByRole('table', { name: 'Pedidos' }).waitFor();
  return total;
}

describe('the order list', () => {
  it('drafts of 2.000–5.000 L show their total, not R$ 0,00', async () => {
    await signIn(page, url, DEMO.faturista);
    const totals: string[] = [];
    for (const l of ['2.000', '3.500', '5.000']) totals.push(await draft(l));
    await expect.poll(() => page.getByTestId('order-total-cell').count()).toBe(3);
    const shown = await page.getByTestId('order-total-cell').allTextContents();
    for (const t of totals) expect(shown.map((s) => s.trim())).toContain(t);
    expect(shown.map((s) => s.trim())).not.toContain('R$ 0,00');
    // Short sequential numbers of the establishment (newest first), not 261202-2E92E.
    await expect(page.getByTestId('order-number').allTextContents()).resolves.toEqual(['3', '2', '1']);
    await screenshot(page, 'orders-list-rascunhos');
  });

  it('a draft can be deleted after confirming; the list no longer shows it', async () => {
    const first = (await page.getByTestId('order-number').first().textContent())!.trim();
    await page.getByRole('button', { name: `Excluir pedido ${first}` }).click();
    const ask = page.getByRole('dialog', { name: 'Excluir rascunho' });
    await ask.waitFor();
    await screenshot(page, 'orders-list-excluir');
    await ask.getByRole('button', { name: 'Excluir o rascunho' }).click();
    await expect.poll(() => page.getByTestId('order-number').allTextContents()).not.toContain(first);
    await expect(page.getByTestId('order-number').count()).resolves.toBe(2);
  });

  it('an earlier order is copied into a new draft with its customer and items', async () => {
    const source = (await page.getByTestId('order-number').first().textContent())!.trim();
    await page.getByRole('button', { name: `Copiar pedido ${source}` }).click();
    await page.getByTestId('order-customer').waitFor();
    const title = (await page.getByRole('heading', { level: 2 }).first().textContent())!;
    expect(title).not.toContain(source);
    await expect(page.getByLabel('Quantidade em litros do item 1').inputValue()).resolves.toMatch(/^\d\.\d{3}$/);
    await page.getByRole('button', { name: 'Salvar', exact: true }).click();
    await page.getByText(/Pedido .+ salvo\./).waitFor();
    await page.getByRole('button', { name: '← Pedidos' }).click();
    await expect.poll(() => page.getByTestId('order-number').count()).toBe(3);
  });

  // Item 8: frete defaulted to CIF with no carrier, so every fuel order stopped at rejeição 362.
  it("a new order takes the customer's usual transport (FOB in its own tanker, CIF with the carrier)", async () => {
    const cases: [string, string, string][] = [
      ['estrela', '1', '11.444.777/0001-61'],
      ['mineiro', '0', '11.222.333/0001-81'],
    ];
    for (const [q, modFrete, cnpj] of cases) {
      await page.getByRole('button', { name: 'Novo pedido' }).click();
      await page.getByRole('combobox', { name: 'Cliente' }).fill(q);
      await page.getByRole('option').first().waitFor();
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Enter');
      await page.getByTestId('order-customer').waitFor();
      await expect(page.getByLabel('Modalidade do frete').inputValue()).resolves.toBe(modFrete);
      await expect(page.getByLabel('CNPJ/CPF do transportador').inputValue()).resolves.toBe(cnpj);
      await page.getByLabel('Produto do item 1').selectOption('prod-gasolina-c');
      await page.getByLabel('Quantidade em litros do item 1').fill('5.000');
      await page.getByTestId('order-total').filter({ hasText: /R\$ [1-9]/ }).waitFor();
      await expect(page.getByText(/rejeição 362/).count()).resolves.toBe(0);
      await screenshot(page, `orders-frete-habitual-${q}`);
      await page.getByRole('button', { name: '← Pedidos' }).click();
      await page.getByRole('dialog', { name: 'Alterações não salvas' }).getByRole('button', { name: 'Descartar alterações' }).click();
    }
  });
});
