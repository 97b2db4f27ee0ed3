import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, screenshot } from '../helpers/browser';
import { draftOrder, startOffice, type Client, type Office, type Station } from '../helpers/office';
import { tempDir } from '../helpers/tmp';

// Two faturistas at two workstations (two browser contexts, two `comboio web` processes),
// one LAN server and one SEFAZ simulator — every part its own process.
const tmp = tempDir('comboio-e2e-office-');
let office: Office;
let a: Station;
let b: Station;
let apiA: Client;
let apiB: Client;
let browser: Browser;
let pageA: Page;
let pageB: Page;

async function signInAs(page: Page, url: string, login: string, password: string) {
  await page.goto(url);
  await page.getByLabel('Usuário', { exact: true }).fill(login);
  await page.getByLabel('Senha', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Entrar', exact: true }).click();
  await page.getByTestId('session-user').waitFor();
}

/** Opens an order from the list; orders typed on the other station arrive by replication. */
async function openOrder(page: Page, numeroPedido: string) {
  const back = page.getByRole('button', { name: '← Pedidos' });
  if (await back.isVisible()) {
    await back.click();
    const discard = page.getByRole('button', { name: 'Descartar alterações' });
    if (await discard.isVisible()) await discard.click();
  }
  const row = page.getByRole('row', { name: new RegExp(`^Pedido ${numeroPedido}`) });
  for (let i = 0; i < 40 && !(await row.isVisible()); i++) {
    await page.getByRole('group', { name: 'Filtro de pedidos' }).getByRole('button', { name: 'Todos' }).click();
    await page.waitForTimeout(250);
  }
  await row.click();
  await page.getByRole('button', { name: 'Finalizar…' }).click();
  return page.getByRole('dialog', { name: new RegExp(`Finalizar pedido ${numeroPedido}`) });
}

beforeAll(async () => {
  office = await startOffice(tmp.dir);
  a = await office.addStation('estacao-a');
  b = await office.addStation('estacao-b');
  const admin = await a.login('admin', 'admin123');
  await admin.call('users.save', { login: 'maria', name: 'Maria Faturista', roles: ['faturista'], active: true, password: 'maria-senha-1' });
  apiA = await a.login('faturista', 'fatura123');
  apiB = await b.login('maria', 'maria-senha-1');
  browser = await launchChromium();
  pageA = await (await browser.newContext({ viewport: { width: 1366, height: 820 } })).newPage();
  pageB = await (await browser.newContext({ viewport: { width: 1366, height: 820 } })).newPage();
  await signInAs(pageA, a.url, 'faturista', 'fatura123');
  await signInAs(pageB, b.url, 'maria', 'maria-senha-1');
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await office?.close();
  tmp.cleanup();
});

describe('two faturistas in two browsers', () => {
  it('the second one sees who is billing the order, from which station and IP', async () => {
    const order = await draftOrder(apiA);
    const dialogA = await openOrder(pageA, order.numeroPedido);
    await dialogA.getByTestId('finalize-number').waitFor();
    const dialogB = await openOrder(pageB, order.numeroPedido);
    const msg = dialogB.getByTestId('lock-message');
    await msg.waitFor();
    expect(await msg.textContent()).toMatch(/^Pedido em faturamento por faturista em estacao-a \(IP 127\.0\.0\.1\) desde \d\d:\d\d$/);
    await screenshot(pageB, 'office-pedido-travado');
    await pageA.keyboard.press('Escape');
    await pageB.keyboard.press('Escape');
  });

  it('two orders of the same série at the same moment get consecutive numbers; the later one is told', async () => {
    const [x, y] = await Promise.all([draftOrder(apiA), draftOrder(apiB)]);
    const dialogA = await openOrder(pageA, x.numeroPedido);
    const dialogB = await openOrder(pageB, y.numeroPedido);
    const confirmA = dialogA.getByRole('button', { name: 'Confirmar e emitir' }).and(pageA.locator(':enabled'));
    const confirmB = dialogB.getByRole('button', { name: 'Confirmar e emitir' }).and(pageB.locator(':enabled'));
    await Promise.all([confirmA.waitFor(), confirmB.waitFor()]);
    const suggested = Number(await dialogA.getByTestId('finalize-number').inputValue());
    expect(Number(await dialogB.getByTestId('finalize-number').inputValue())).toBe(suggested);
    await confirmA.click();
    await dialogA.getByTestId('finalized-number').waitFor({ timeout: 60_000 });
    await confirmB.click();
    await dialogB.getByTestId('finalized-number').waitFor({ timeout: 60_000 });
    expect(await dialogA.getByTestId('finalized-number').textContent()).toBe(String(suggested));
    expect(await dialogB.getByTestId('finalized-number').textContent()).toBe(String(suggested + 1));
    expect(await dialogB.getByTestId('number-changed').textContent()).toBe(
      `O número ${suggested} foi usado por outro faturista; esta nota recebeu o número ${suggested + 1}`,
    );
    await screenshot(pageB, 'office-numero-alterado');
  });
});
