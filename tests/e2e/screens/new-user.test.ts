import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, fillNewOrder, signIn, signOut, openDemoHost, type DemoHost } from './pages';

// Issue #22: what a new faturista and an expedição clerk met, at 1366×768 with the keyboard
// first. One browser host with its demo defaults; the tests run in order (the second bills
// the note the third reprints).
let host: DemoHost;
let page: Page;
let url: string;
const shot = (name: string) => host.shot(name);

beforeAll(async () => {
  host = await openDemoHost('new-user');
  page = host.page;
  url = host.url;
});
afterAll(async () => {
  await host?.close();
});

// Runs in the page; the Node project has no DOM types, so name the few it uses.
// The name as a screen reader says it: aria-hidden parts (the F9 key hint) left out.
type El = { textContent: string | null; cloneNode(deep: boolean): El; querySelectorAll(s: string): { forEach(f: (e: { remove(): void }) => void): void } };
type Doc = { activeElement: El | null };
const focusedName = () =>
  page.evaluate(() => {
    const el = (globalThis as unknown as { document: Doc }).document.activeElement;
    if (!el) return '';
    const copy = el.cloneNode(true);
    copy.querySelectorAll('[aria-hidden="true"]').forEach((e) => e.remove());
    return copy.textContent?.trim() ?? '';
  });

describe('a new user, keyboard first', () => {
  it('customer picker: "posto", ↓, Enter picks the first match (item 1); quantity errors say what is wrong (item 7); totals, item value, review note (8, 9); hidden fields never block (3)', async () => {
    await signIn(page, url, DEMO.faturista);
    await page.getByRole('button', { name: 'Novo pedido' }).click();
    const picker = page.getByRole('combobox', { name: 'Cliente' });
    await picker.fill('posto');
    const options = page.getByRole('option');
    await options.nth(1).waitFor();
    await expect(page.locator('[role=option][aria-selected=true]').count()).resolves.toBe(0);
    const first = (await options.first().locator('span').first().textContent())!;
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('order-customer').locator('.customer-name').textContent()).resolves.toBe(first);

    await page.getByLabel('Produto do item 1').selectOption('prod-gasolina-c');
    const qty = page.getByLabel('Quantidade em litros do item 1');
    const cases: [string, RegExp][] = [
      ['-10', /negativo/],
      ['abc', /só números/],
      ['1 000', /espaços/],
    ];
    for (const [typed, expected] of cases) {
      await qty.fill(typed);
      await page.getByRole('button', { name: 'Salvar', exact: true }).click();
      await expect.poll(() => qty.getAttribute('aria-invalid')).toBe('true');
      const msgId = (await qty.getAttribute('aria-describedby'))!;
      await expect.poll(() => page.locator(`[id="${msgId}"]`).textContent()).toMatch(expected);
    }
    await shot('quantidade-invalida');

    // Item 8: totals appear before any transporter is chosen, and the item's Valor is after
    // its own discount. Item 9: the tax-review hint is a calm note, not an error.
    await qty.fill('1000');
    await page.getByLabel('Preço unitário do item 1').fill('6,0000');
    await page.getByTestId('order-total').filter({ hasText: 'R$ 6.000,00' }).waitFor();
    await page.getByLabel('Tipo – Desconto do item 1').selectOption('percentual');
    await page.getByLabel('Desconto do item 1', { exact: true }).fill('10');
    await page.getByTestId('item-value-1').filter({ hasText: 'R$ 5.400,00' }).waitFor();
    const review = page.getByTestId('item-review-1');
    if ((await review.count()) > 0) {
      await expect(review.getByRole('note').count()).resolves.toBe(1);
      await expect(review.locator('.field-error').count()).resolves.toBe(0);
    }
    await shot('totais-sem-transportador');

    // Item 3: a wrong plate, then "9 – Sem frete" hides it; nothing hidden blocks Salvar and
    // no "Corrija os campos" is left pointing at nothing.
    await page.getByLabel('Modalidade do frete').selectOption('0');
    await page.getByLabel('Placa do veículo').fill('XX');
    await page.getByRole('button', { name: 'Salvar', exact: true }).click();
    await page.getByText('Corrija os campos destacados em vermelho.').waitFor();
    await expect(page.getByLabel('Placa do veículo').getAttribute('aria-invalid')).resolves.toBe('true');
    await page.getByLabel('Modalidade do frete').selectOption('9');
    await expect(page.getByText('Corrija os campos destacados em vermelho.').count()).resolves.toBe(0);
    await page.getByRole('button', { name: 'Salvar', exact: true }).click();
    await page.getByText(/Pedido .+ salvo\./).waitFor();
    await page.getByRole('button', { name: '← Pedidos' }).click();
    const discard = page.getByRole('button', { name: 'Descartar alterações' });
    if (await discard.isVisible()) await discard.click();
  });

  it('finalize: Enter emits, the result says "autorizada", and Enter then opens the document (items 2, 14)', async () => {
    await fillNewOrder(page, '5000');
    await page.getByTestId('order-total').filter({ hasText: /R\$ [1-9]/ }).waitFor();
    await page.getByRole('button', { name: 'Finalizar…' }).click();
    const dialog = page.getByRole('dialog', { name: /Finalizar pedido/ });
    const confirm = dialog.getByRole('button', { name: 'Confirmar e emitir' });
    await confirm.and(page.locator(':enabled')).waitFor();
    await expect.poll(focusedName).toBe('Confirmar e emitir');
    await page.keyboard.press('Enter');
    await dialog.getByTestId('finalized-number').waitFor({ timeout: 60_000 });
    await expect(dialog.getByTestId('finalize-status').textContent()).resolves.toMatch(/autorizada/i);
    await expect.poll(focusedName).toBe('Ver documento');
    await shot('finalizado-teclado');
    await page.keyboard.press('Enter');
    await page.getByTestId('detail-status').waitFor();
    // The document names the order it came from by its short number (#22 item 10).
    await expect(page.getByTestId('detail-order-number').textContent()).resolves.toMatch(/^\d+$/);

    // Cancel it, then the detail says it is already cancelled (not "só autorizada").
    await page.getByRole('button', { name: 'Cancelar nota' }).click();
    const cancel = page.getByRole('dialog', { name: /Cancelar NF-e/ });
    await expect(cancel.getByRole('button', { name: 'Voltar' }).count()).resolves.toBe(1);
    await expect(cancel.getByRole('button', { name: 'Cancelar', exact: true }).count()).resolves.toBe(0);
    await shot('cancelar-nota');
    await cancel.getByLabel('Justificativa').fill('Pedido digitado em duplicidade pelo faturista');
    await cancel.getByRole('button', { name: 'Cancelar a nota' }).click();
    await page.getByText('Esta NF-e já está cancelada.').waitFor({ timeout: 60_000 });
    await signOut(page);
  });

  it('expedição: after a reprint the scan field has the focus; a misread scan clears the previous note (item 16)', async () => {
    await signIn(page, url, DEMO.admin);
    await page.getByRole('tab', { name: 'Documentos' }).click();
    await page.getByTestId('document-number').first().click();
    const chave = (await page.getByTestId('detail-chave').textContent())!.replace(/\s/g, '');
    await signOut(page);

    await signIn(page, url, DEMO.expedicao);
    const scan = page.getByLabel('Chave de acesso');
    await scan.pressSequentially(chave, { delay: 2 });
    await page.keyboard.press('Enter');
    const pdf = page.getByRole('button', { name: 'Reimprimir em PDF' });
    await pdf.and(page.locator(':enabled')).click();
    await page.getByTestId('reprint-pdf-link').waitFor({ timeout: 60_000 });
    await expect.poll(() => scan.evaluate((el) => el === (globalThis as unknown as { document: { activeElement: unknown } }).document.activeElement)).toBe(true);

    // The next scan is misread (43 digits): the old DANFE and its buttons go away.
    await page.keyboard.type(chave.slice(0, 43), { delay: 2 });
    await page.keyboard.press('Enter');
    await page.getByText(/44 dígitos \(lidos: 43\)/).waitFor();
    await expect(pdf.count()).resolves.toBe(0);
    await shot('expedicao-leitura-errada');
    await signOut(page);
  });
});
