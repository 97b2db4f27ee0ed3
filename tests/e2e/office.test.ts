import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { authorizedNfeFixture } from '../helpers/authorized-nfe-fixture';
import { launchChromium, screenshot } from '../helpers/browser';
import { decodeBarcodes, decodeEscp } from '../helpers/escp-decoder';
import { draftOrder, startOffice, type Client, type Office, type Station } from '../helpers/office';
import { schemasDir } from '../helpers/proc';
import { openFakePrinter, socatPair } from '../helpers/socat';
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
async function openOrder(page: Page, numeroPedido: string, opts: { finalize?: boolean } = {}) {
  const back = page.getByRole('button', { name: '← Pedidos' });
  if (await back.isVisible()) {
    await back.click();
    const discard = page.getByRole('button', { name: 'Descartar alterações' });
    if (await discard.isVisible()) await discard.click();
  }
  const row = page.getByRole('row', { name: new RegExp(`^Pedido ${numeroPedido},`) });
  for (let i = 0; i < 40 && !(await row.isVisible()); i++) {
    await page.getByRole('group', { name: 'Filtro de pedidos' }).getByRole('button', { name: 'Todos' }).click();
    await page.waitForTimeout(250);
  }
  await row.click();
  if (opts.finalize === false) return page.getByRole('form');
  await page.getByRole('button', { name: 'Finalizar…' }).click();
  return page.getByRole('dialog', { name: new RegExp(`Finalizar pedido ${numeroPedido}$`) });
}

/** Confirms an open finalize dialog and returns the number the note received. */
async function confirmFinalize(page: Page, dialog: ReturnType<Page['getByRole']>): Promise<number> {
  const confirm = dialog.getByRole('button', { name: 'Confirmar e emitir' }).and(page.locator(':enabled'));
  await confirm.click();
  await dialog.getByTestId('finalized-number').waitFor({ timeout: 60_000 });
  const n = Number(await dialog.getByTestId('finalized-number').textContent());
  await page.keyboard.press('Escape');
  return n;
}

async function section(page: Page, name: RegExp) {
  await page.getByRole('button', { name }).click();
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
    // #22 item 5: an order another faturista is finalizing opens read-only, naming the person.
    await openOrder(pageB, order.numeroPedido, { finalize: false });
    const held = pageB.getByTestId('order-held');
    await held.waitFor();
    expect(await held.textContent()).toMatch(/^Pedido em faturamento por Faturista de demonstração \(estação estacao-a, IP 127\.0\.0\.1\) desde \d\d:\d\d/);
    await expect(pageB.getByRole('button', { name: 'Finalizar…' }).count()).resolves.toBe(0);
    await screenshot(pageB, 'office-pedido-travado');
    await pageA.keyboard.press('Escape');
  });

  it('an edit the server refuses is listed by the order number, not a collection and record id (#22 item 5)', async () => {
    const order = await draftOrder(apiA);
    const dialogA = await openOrder(pageA, order.numeroPedido);
    await dialogA.getByTestId('finalize-number').waitFor();
    // B saves the same order (through the Api) while A is billing it: the server refuses it.
    let mine: Record<string, unknown> | null = null;
    for (let i = 0; i < 60 && !mine; i++) {
      mine = await apiB.call<Record<string, unknown>>('orders.get', { id: order.id }).catch(() => null);
      if (!mine) await new Promise((r) => setTimeout(r, 250));
    }
    await apiB.call('orders.save', { ...mine!, observacoes: 'alterado na estação B' });
    await pageB.getByTestId('status-rejected').click({ timeout: 60_000 });
    const list = pageB.getByRole('dialog', { name: 'Alterações recusadas pelo servidor' });
    await expect(list.getByTestId('rejection-what').first().textContent()).resolves.toBe(`Pedido ${order.numeroPedido}`);
    const text = (await list.textContent()) ?? '';
    expect(text).not.toContain('sem conexão');
    expect(text).not.toContain(order.id);
    // The reason names the person, not the login (#22 item 15).
    expect(text).toContain('Pedido em faturamento por Faturista de demonstração em estacao-a');
    await screenshot(pageB, 'office-alteracao-recusada');
    await pageB.keyboard.press('Escape');
    await list.waitFor({ state: 'hidden' });
    for (const r of await apiB.call<{ mutationId: string }[]>('sync.rejections')) await apiB.call('sync.dismiss', { mutationId: r.mutationId });
    await pageA.keyboard.press('Escape');
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
    await pageA.keyboard.press('Escape');
    await pageB.keyboard.press('Escape');
  });

  it('SEFAZ out of reach: the note is yellow "aguardando SEFAZ", then green by itself', async () => {
    const faults = (mode: string) =>
      fetch(`${office.simAdmin}/admin/faults`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ mode }) });
    await faults('recusando');
    try {
      const order = await draftOrder(apiA);
      const n = await confirmFinalize(pageA, await openOrder(pageA, order.numeroPedido));
      await pageA.getByRole('tab', { name: 'Documentos' }).click();
      const status = pageA.getByTestId(`document-row-${n}`).getByTestId('document-status');
      await status.and(pageA.locator('[data-color="yellow"]')).waitFor({ timeout: 30_000 });
      expect(await status.textContent()).toMatch(/Aguardando SEFAZ/);
      await screenshot(pageA, 'office-aguardando-sefaz');
      await faults('normal');
      // Nobody clicks anything: the outbox retries and the list refreshes itself.
      await status.and(pageA.locator('[data-color="green"]')).waitFor({ timeout: 120_000 });
      await screenshot(pageA, 'office-autorizada-sozinha');
    } finally {
      await faults('normal');
      await pageA.getByRole('tab', { name: 'Pedidos' }).click();
    }
  });

  it('the administrator moves próximo número forward (numbers listed to inutilize) and not backward; a used number cannot be imported', async () => {
    const admin = await (await browser.newContext({ viewport: { width: 1366, height: 900 } })).newPage();
    await signInAs(admin, a.url, 'admin', 'admin123');
    await section(admin, /Administração/);
    const row = admin.getByRole('table', { name: 'Séries' }).getByRole('row').nth(1);
    await row.waitFor();
    const next = Number((await row.getByRole('cell').nth(5).textContent())!.replace(/\D/g, ''));
    await admin.getByRole('button', { name: 'Alterar próximo número da NF-e série 1', exact: true }).click();
    await admin.getByLabel('Novo próximo número').fill(String(next + 3));
    await admin.getByLabel('Motivo').fill('Notas emitidas no sistema antigo');
    await admin.keyboard.press('Enter');
    const gaps = admin.getByTestId('series-gaps');
    await gaps.waitFor();
    expect(await gaps.textContent()).toContain(`NF-e série 1: ${next} a ${next + 2}`);
    await screenshot(admin, 'office-admin-numeros-a-inutilizar');

    await admin.getByRole('button', { name: 'Alterar próximo número da NF-e série 1', exact: true }).click();
    await admin.getByLabel('Novo próximo número').fill(String(next - 1));
    await admin.getByLabel('Motivo').fill('voltar a numeração');
    await admin.keyboard.press('Enter');
    const refusal = admin.getByRole('dialog').getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(/Alteração recusada: .+/);
    await admin.keyboard.press('Escape');

    const used = authorizedNfeFixture({ numero: 1, schemasDir });
    const file = join(tmp.dir, 'nota-numero-1.xml');
    writeFileSync(file, used.nfeProcXml);
    await section(admin, /Faturamento/);
    await admin.getByRole('tab', { name: 'Importar XML' }).click();
    await admin.getByLabel('Arquivos XML').setInputFiles(file);
    await admin.getByRole('button', { name: /^Importar 1 arquivo/ }).click();
    const result = admin.getByTestId('import-result');
    await result.waitFor();
    expect(await result.textContent()).toContain('Já existe nota com esse número nesta série');
    await screenshot(admin, 'office-importacao-recusada');
    await admin.context().close();
  });

  it('the warehouse reprints by a scanned key on the serial form printer, and the audit shows who', async () => {
    const pty = await socatPair(tmp.dir, 'expedicao');
    const printer = await openFakePrinter(pty.printer);
    try {
      const adminB = await b.login('admin', 'admin123');
      await adminB.call('printers.save', {
        id: '', name: 'LX-300 expedição', kind: 'serial', path: pty.app, baudRate: 9600, parity: 'none', dataBits: 8,
        flow: 'xonxoff', layout: 'danfe-continuo', dx: 0, dy: 0, serialNumber: null, isDefault: true,
      });
      const issued = (await apiA.call<{ chave: string; status: string }[]>('documents.list', {})).find((d) => d.status === 'autorizada')!;
      const exp = await (await browser.newContext({ viewport: { width: 1366, height: 820 } })).newPage();
      await signInAs(exp, b.url, 'expedicao', 'expede123');
      // A barcode scanner types the 44 digits fast and presses Enter.
      await exp.getByLabel('Chave de acesso').pressSequentially(issued.chave, { delay: 2 });
      await exp.keyboard.press('Enter');
      const reprint = exp.getByRole('button', { name: 'Reimprimir no formulário' }).and(exp.locator(':enabled'));
      await reprint.waitFor({ timeout: 30_000 });
      await reprint.click();
      await printer.waitForBytes(2000, 60_000);
      await new Promise((ok) => setTimeout(ok, 1500));
      expect(decodeBarcodes(decodeEscp(printer.received()).pages[0]!).map((bc) => bc.digits)).toContain(issued.chave);
      await exp.getByRole('tab', { name: 'Auditoria de reimpressões' }).click();
      await exp.getByTestId('audit-line').filter({ hasText: 'expedicao' }).first().waitFor();
      await screenshot(exp, 'office-auditoria-reimpressao');
      await exp.context().close();
    } finally {
      await printer.close();
      await pty.kill();
    }
  });
});
