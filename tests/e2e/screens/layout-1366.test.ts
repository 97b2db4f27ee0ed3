import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, fillNewOrder, openDemoHost, signIn, type DemoHost } from './pages';

// Issue #22 item 13: at 1366×768 (a typical office PC) product names were cut, the item
// discount type read "R$/" and the Emissão column went off the edge with the detail open.
// Measured in the page: what a value needs against the room its box gives it.
let host: DemoHost;
let page: Page;

beforeAll(async () => {
  host = await openDemoHost('layout-1366');
  page = host.page;
});
afterAll(async () => {
  await host?.close();
});

interface Fit {
  text: string;
  needs: number;
  room: number;
}

/** Width the select's shown option needs (its own font) against its inner width less the arrow. */
function selectFit(page: Page, label: string): Promise<Fit> {
  return page.getByLabel(label, { exact: true }).evaluate((el) => {
    const s = el as unknown as { options: { text: string }[]; selectedIndex: number; clientWidth: number; ownerDocument: { createElement(t: string): { getContext(k: string): { font: string; measureText(t: string): { width: number } } } } };
    const style = (globalThis as unknown as { getComputedStyle(e: unknown): { font: string; paddingLeft: string } }).getComputedStyle(el);
    const ctx = s.ownerDocument.createElement('canvas').getContext('2d');
    ctx.font = style.font;
    const text = s.options[s.selectedIndex]!.text;
    // Chromium draws the arrow in the last ~20 px of a select.
    return { text, needs: Math.ceil(ctx.measureText(text).width), room: s.clientWidth - parseFloat(style.paddingLeft) - 20 };
  });
}

describe('1366×768', () => {
  it('the whole product name reads on the item line, and "R$/L" fits its select', async () => {
    await signIn(page, host.url, DEMO.faturista);
    await fillNewOrder(page, '20');
    const products = page.getByLabel('Produto do item 1');
    const lub = await products.locator('option', { hasText: 'LUBRIFICANTE' }).getAttribute('value');
    await products.selectOption(lub!);
    const name = page.getByTestId('item-product-name-1');
    await expect(name.textContent()).resolves.toContain('OLEO LUBRIFICANTE MOTOR DIESEL 15W40 20L');
    const clipped = await name.evaluate((el) => {
      const e = el as unknown as { scrollWidth: number; clientWidth: number };
      return e.scrollWidth - e.clientWidth;
    });
    expect(clipped).toBeLessThanOrEqual(0);

    await page.getByLabel('Tipo – Desconto do item 1').selectOption('porLitro');
    const kind = await selectFit(page, 'Tipo – Desconto do item 1');
    expect(kind.text).toBe('R$/L');
    expect(kind.needs, JSON.stringify(kind)).toBeLessThanOrEqual(kind.room);
    await host.shot('itens');
  });

  it('with the detail panel open, the Emissão column stays inside the table (nothing scrolled off)', async () => {
    await page.getByRole('button', { name: '← Pedidos' }).click();
    await page.getByRole('dialog', { name: 'Alterações não salvas' }).getByRole('button', { name: 'Descartar alterações' }).click();
    await fillNewOrder(page, '5000');
    await page.getByTestId('order-total').filter({ hasText: /R\$ [1-9]/ }).waitFor();
    await page.getByRole('button', { name: 'Finalizar…' }).click();
    const dialog = page.getByRole('dialog', { name: /Finalizar pedido/ });
    const confirm = dialog.getByRole('button', { name: 'Confirmar e emitir' });
    await confirm.and(page.locator(':enabled')).waitFor();
    await confirm.click();
    await dialog.getByTestId('finalized-number').waitFor({ timeout: 60_000 });
    await dialog.getByRole('button', { name: 'Ver documento' }).click();
    await page.getByTestId('detail-status').waitFor();
    const table = page.getByRole('table', { name: 'Documentos' });
    const box = await table.evaluate((t) => {
      const el = t as unknown as { parentElement: { getBoundingClientRect(): { right: number } }; querySelectorAll(q: string): ArrayLike<{ textContent: string | null; getBoundingClientRect(): { left: number; right: number }; scrollWidth: number; clientWidth: number }> };
      const heads = Array.from(el.querySelectorAll('thead th'));
      const emissao = heads.findIndex((h) => h.textContent?.trim() === 'Emissão');
      const cell = Array.from(el.querySelectorAll('tbody tr:first-child td'))[emissao]!;
      return { scrollRight: el.parentElement.getBoundingClientRect().right, headRight: heads[emissao]!.getBoundingClientRect().right, cellRight: cell.getBoundingClientRect().right, overflow: cell.scrollWidth - cell.clientWidth, text: cell.textContent };
    });
    await host.shot('documentos-detalhe');
    expect(box.text).toMatch(/\d{2}\/\d{2}\/\d{4}/);
    expect(box.headRight, JSON.stringify(box)).toBeLessThanOrEqual(box.scrollRight + 0.5);
    expect(box.cellRight, JSON.stringify(box)).toBeLessThanOrEqual(box.scrollRight + 0.5);
    expect(box.overflow).toBeLessThanOrEqual(0);
  });
});
