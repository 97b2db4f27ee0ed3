import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, fillNewOrder, openDemoHost, signIn, signOut, type DemoHost } from './pages';

// Issue #22 item 17: a DANFE preview before printing (Expedição) and from the document detail.
let host: DemoHost;
let page: Page;

beforeAll(async () => {
  host = await openDemoHost('danfe-preview');
  page = host.page;
});
afterAll(async () => {
  await host?.close();
});

/** The bytes behind the preview's blob: URL, as the browser's PDF viewer gets them. */
async function previewBytes(): Promise<{ src: string; head: string; size: number }> {
  return page.getByTestId('danfe-preview').evaluate(async (el) => {
    const src = (el as unknown as { src: string }).src;
    const g = globalThis as unknown as { fetch(u: string): Promise<{ arrayBuffer(): Promise<ArrayBuffer> }> };
    const buf = new Uint8Array(await (await g.fetch(src)).arrayBuffer());
    return { src, head: String.fromCharCode(...buf.subarray(0, 5)), size: buf.length };
  });
}

describe('DANFE preview', () => {
  it('the document detail shows the DANFE on screen; Expedição previews, then prints on the form from the preview', async () => {
    await signIn(page, host.url, DEMO.faturista);
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
    const chave = (await page.getByTestId('detail-chave').textContent())!.replace(/\s/g, '');

    await page.getByRole('button', { name: 'Visualizar DANFE' }).click();
    const detailPreview = page.getByRole('dialog', { name: /Pré-visualização do DANFE \d+/ });
    await detailPreview.getByTestId('danfe-preview').waitFor({ timeout: 60_000 });
    const bytes = await previewBytes();
    expect(bytes.src).toMatch(/^blob:/);
    expect(bytes.head).toBe('%PDF-');
    expect(bytes.size).toBeGreaterThan(2000);
    await page.waitForTimeout(1500);
    await host.shot('detalhe');
    await detailPreview.getByRole('button', { name: 'Voltar' }).click();
    await signOut(page);

    await signIn(page, host.url, DEMO.expedicao);
    await page.getByLabel('Chave de acesso').pressSequentially(chave, { delay: 2 });
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Visualizar antes de imprimir' }).and(page.locator(':enabled')).click();
    const preview = page.getByRole('dialog', { name: /Pré-visualização do DANFE \d+/ });
    await preview.getByTestId('danfe-preview').waitFor({ timeout: 60_000 });
    expect((await previewBytes()).head).toBe('%PDF-');
    await page.waitForTimeout(1500);
    await host.shot('expedicao');
    await preview.getByRole('button', { name: 'Imprimir no formulário' }).click();
    await expect(page.getByTestId('reprint-job').textContent({ timeout: 60_000 })).resolves.toMatch(/Reimpressão enviada para /);

    // Item 6: the audit reads as words, with the file's name and never the station's folders.
    await page.getByRole('button', { name: 'Reimprimir em PDF' }).and(page.locator(':enabled')).click();
    await page.getByTestId('reprint-pdf-link').waitFor({ timeout: 60_000 });
    const lines = page.locator('.audit-list li');
    await expect.poll(async () => (await lines.allTextContents()).some((l) => /Reimpressão em PDF/.test(l))).toBe(true);
    for (const l of await lines.allTextContents()) {
      expect(l).not.toMatch(/print\.|[\\/]tmp[\\/]|[\\/]pdf[\\/]/);
    }
    await host.shot('expedicao-auditoria');
  });
});
