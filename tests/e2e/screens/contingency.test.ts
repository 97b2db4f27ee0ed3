import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, fillNewOrder, openDemoHost, signIn, type DemoHost } from './pages';

// Issue #20 through the browser host (embedded LAN server and SEFAZ simulator): the
// administrator sets the NF-e priority order and enters contingency by hand with a reason;
// the status bar turns red with since when and why; an order billed then goes by EPEC and
// shows in Faturamento › Contingência with its deadline; leaving contingency shows the
// return in the status bar and the EPEC NF-e is transmitted by itself.
let host: DemoHost;
let page: Page;
const JUST = 'Manutenção programada da SEFAZ-SP (aviso no portal)';

beforeAll(async () => {
  host = await openDemoHost('contingency');
  page = host.page;
});
afterAll(async () => {
  await host?.close();
});

async function openAdminTab() {
  await page.getByRole('navigation', { name: 'Seções' }).getByRole('button', { name: /Administração/ }).click();
  await page.getByRole('tab', { name: 'Contingência' }).click();
  await page.getByRole('heading', { name: /Contingência — SEFAZ SP/ }).waitFor();
}

/** Back to the orders list (the editor keeps the last order open), then a new order. */
async function newOrder(liters: string) {
  await page.getByRole('navigation', { name: 'Seções' }).getByRole('button', { name: /Faturamento/ }).click();
  await page.getByRole('tab', { name: 'Pedidos' }).click();
  const back = page.getByRole('button', { name: '← Pedidos' });
  await page.getByRole('button', { name: 'Novo pedido' }).or(back).first().waitFor();
  if (await back.isVisible()) {
    await back.click();
    const discard = page.getByRole('button', { name: 'Descartar alterações' });
    if (await discard.isVisible()) await discard.click();
  }
  await fillNewOrder(page, liters);
}

const orderOf = async (model: 'NF-e' | 'CT-e') =>
  (await page.getByRole('list', { name: `Ordem de prioridade — ${model}` }).locator('.priority-name').allTextContents()).map((t) => t.trim());

describe('contingency screens', () => {
  it('Administração › Contingência: priority order by arrows, saved on the server; manual entry needs 15–256 characters and turns the status bar red', async () => {
    await signIn(page, host.url, DEMO.admin);
    await openAdminTab();
    expect(await orderOf('NF-e')).toEqual(['SVC', 'EPEC', 'FS-DA', 'Nenhuma']);
    expect(await orderOf('CT-e')).toEqual(['SVC', 'EPEC', 'Nenhuma']);
    await expect(page.getByTestId('contingency-nfe').textContent()).resolves.toMatch(/Normal/);
    await host.shot('admin-normal');

    await page.getByRole('button', { name: 'Subir EPEC (NF-e)' }).click();
    expect(await orderOf('NF-e')).toEqual(['EPEC', 'SVC', 'FS-DA', 'Nenhuma']);
    await page.getByRole('button', { name: 'Salvar ordem de NF-e' }).click();
    await page.getByText('Ordem de NF-e salva no servidor: EPEC → SVC → FS-DA → Nenhuma.').waitFor();
    // Read back from the LAN server after a reload.
    await page.reload();
    await page.getByTestId('session-user').waitFor();
    await openAdminTab();
    await expect.poll(() => orderOf('NF-e')).toEqual(['EPEC', 'SVC', 'FS-DA', 'Nenhuma']);
    await expect(page.getByText(/Última alteração: .* por admin/).count()).resolves.toBe(1);

    const enter = page.getByRole('button', { name: 'Entrar em contingência (NF-e)' });
    await page.getByLabel('Justificativa (NF-e)').fill('curta demais');
    expect(await enter.isDisabled()).toBe(true);
    await page.getByLabel('Justificativa (NF-e)').fill(JUST);
    await enter.click();
    await page.getByText('NF-e: contingência iniciada para todas as estações.').waitFor();
    const bar = page.getByTestId('status-contingencia');
    await bar.waitFor();
    expect(await bar.textContent()).toMatch(/^Contingência NF-e SP desde \d\d:\d\d — Manutenção programada da SEFAZ-SP/);
    expect(await bar.getAttribute('class')).toContain('status-bad');
    const red = await bar.evaluate((el) => (globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }).getComputedStyle(el).backgroundColor);
    expect(red).toBe('rgb(179, 38, 30)');
    await expect.poll(() => page.getByTestId('contingency-nfe').textContent()).toMatch(/Em contingência \(manual\).*Manutenção programada/);
    await host.shot('admin-em-contingencia');
  }, 120_000);

  it('an order billed in contingency goes by EPEC (first in the order): yellow status, listed with age and deadline in Faturamento › Contingência', async () => {
    await newOrder('8000');
    await page.getByRole('button', { name: 'Finalizar…' }).click();
    const fin = page.getByRole('dialog', { name: /Finalizar pedido/ });
    await fin.getByRole('button', { name: 'Confirmar e emitir' }).and(page.locator(':enabled')).waitFor();
    await page.keyboard.press('Enter');
    await fin.getByTestId('finalized-number').waitFor({ timeout: 60_000 });
    await expect(fin.textContent()).resolves.toMatch(/NF-e \d+ série 1: EPEC registrado — enviar à SEFAZ\./);
    await host.shot('finalizado-epec');
    await page.keyboard.press('Escape');

    await page.getByRole('tab', { name: 'Contingência' }).click();
    const table = page.getByRole('table', { name: 'Pendentes de contingência' });
    await table.waitFor();
    const row = table.getByRole('row').nth(1);
    const cells = (await row.getByRole('cell').allTextContents()).map((t) => t.trim());
    expect(cells[0]).toMatch(/^NF-e \d+ série 1$/);
    expect(cells[1]).toBe('EPEC');
    expect(cells[4]).toMatch(/^\d\d\/\d\d\/\d{4}/);
    // 168 h from the entry, a few seconds ago.
    expect(cells[5]).toMatch(/^(6 d 23|7 d 0) h$/);
    expect(cells[6]).toMatch(/EPEC registrado — enviar à SEFAZ na volta/);
    expect(cells[7]).toMatch(/^\d{34}4\d{9}$/);
    await host.shot('pendentes');
  }, 120_000);

  it('FS-DA first in the order: the DANFE goes to the print queue in two vias (security form), and waits in the report too', async () => {
    await openAdminTab();
    await page.getByRole('button', { name: 'Subir FS-DA (NF-e)' }).click();
    await page.getByRole('button', { name: 'Subir FS-DA (NF-e)' }).click();
    expect(await orderOf('NF-e')).toEqual(['FS-DA', 'EPEC', 'SVC', 'Nenhuma']);
    await page.getByRole('button', { name: 'Salvar ordem de NF-e' }).click();
    await page.getByText('Ordem de NF-e salva no servidor: FS-DA → EPEC → SVC → Nenhuma.').waitFor();

    await newOrder('6000');
    await page.getByRole('button', { name: 'Finalizar…' }).click();
    const fin = page.getByRole('dialog', { name: /Finalizar pedido/ });
    await fin.getByRole('button', { name: 'Confirmar e emitir' }).and(page.locator(':enabled')).waitFor();
    await fin.getByLabel('Formulário contínuo (impressora matricial)').check();
    await fin.getByRole('button', { name: 'Confirmar e emitir' }).click();
    await fin.getByTestId('finalized-number').waitFor({ timeout: 60_000 });
    const n = Number(await fin.getByTestId('finalized-number').textContent());
    await expect(fin.textContent()).resolves.toMatch(new RegExp(`NF-e ${n} série 1: FS-DA — transmitir à SEFAZ\\.`));
    await page.keyboard.press('Escape');

    await page.getByRole('navigation', { name: 'Seções' }).getByRole('button', { name: /Expedição/ }).click();
    await page.getByRole('tab', { name: 'Fila de impressão' }).click();
    const jobs = page.getByRole('table', { name: 'Fila de impressão' }).getByTestId('print-job').filter({ hasText: `DANFE NF-e ${n} série 1` });
    await expect.poll(() => jobs.count(), { timeout: 30_000 }).toBe(2);
    await host.shot('fsda-duas-vias');

    await page.getByRole('navigation', { name: 'Seções' }).getByRole('button', { name: /Faturamento/ }).click();
    await page.getByRole('tab', { name: 'Contingência' }).click();
    const rows = page.getByRole('table', { name: 'Pendentes de contingência' }).getByRole('row');
    await expect.poll(() => rows.count()).toBe(3);
    await expect(rows.filter({ hasText: `NF-e ${n} série 1` }).textContent()).resolves.toMatch(/FS-DA.*FS-DA impresso — transmitir à SEFAZ na volta/);
  }, 120_000);

  it('leaving by hand: the status bar shows the return, the EPEC and FS-DA NF-e are transmitted by themselves and leave the report', async () => {
    await openAdminTab();
    await page.getByLabel('Justificativa (NF-e)').fill('Manutenção encerrada, SEFAZ-SP respondendo');
    await page.getByRole('button', { name: 'Sair da contingência (NF-e)' }).click();
    const bar = page.getByTestId('status-contingencia');
    await expect.poll(() => bar.textContent(), { timeout: 20_000 }).toMatch(/^SEFAZ SP: normal desde \d\d:\d\d \(fim da contingência\)$/);
    expect(await bar.getAttribute('class')).toContain('status-ok');
    await expect.poll(() => page.getByTestId('contingency-nfe').textContent()).toMatch(/^NF-eNormal/);
    await host.shot('admin-normal-de-novo');
    await page.getByRole('navigation', { name: 'Seções' }).getByRole('button', { name: /Faturamento/ }).click();
    await page.getByRole('tab', { name: 'Contingência' }).click();
    await page.getByTestId('contingency-empty').waitFor({ timeout: 60_000 });
    await host.shot('pendentes-vazio');
    expect(host.pageErrors).toEqual([]);
  }, 120_000);
});
