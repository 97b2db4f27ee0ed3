import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import { launchChromium, screenshot } from '../../helpers/browser';
import { spawnComboio, type Proc } from '../../helpers/proc';
import { tempDir } from '../../helpers/tmp';

/** Page model of the screens: what a user does, in the words the screens use. */

export const DEMO = { admin: 'admin', faturista: 'faturista', expedicao: 'expedicao' } as const;

/** Signs in through the demo users table (auth.hints), as a newcomer would. */
export async function signIn(page: Page, url: string, login: string): Promise<void> {
  await page.goto(url);
  await page.getByRole('button', { name: `Usar ${login}` }).click();
  await page.getByRole('button', { name: 'Entrar', exact: true }).click();
  await page.getByTestId('session-user').waitFor();
}

export async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sair' }).click();
  await page.getByRole('heading', { name: 'Entrar' }).waitFor();
}

export async function sectionsVisible(page: Page): Promise<string[]> {
  const nav = page.getByRole('navigation', { name: 'Seções' });
  const labels = await nav.locator('.nav-label').allTextContents();
  return labels.map((l) => l.trim());
}

/** Fills a new order with the first customer, natureza and product; fuels need a transporter. */
export async function fillNewOrder(page: Page, liters: string): Promise<void> {
  await page.getByRole('button', { name: 'Novo pedido' }).click();
  await page.getByRole('combobox', { name: 'Cliente' }).click();
  await page.getByRole('option').first().waitFor();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await page.getByTestId('order-customer').waitFor();
  await page.getByLabel('Natureza da operação').selectOption('nat-venda-comb-02');
  await page.getByLabel('Produto do item 1').selectOption('prod-gasolina-c');
  await page.getByLabel('Quantidade em litros do item 1').fill(liters);
  await page.getByLabel('Forma de pagamento').selectOption('15');
  await page.getByLabel('Modalidade do frete').selectOption('0');
  await page.getByLabel('Transportador', { exact: true }).fill('Transportes Rapido Ltda');
  await page.getByLabel('CNPJ/CPF do transportador').fill('11222333000181');
  await page.getByLabel('Placa do veículo').fill('ABC1D23');
  await page.getByLabel('UF da placa').selectOption('SP');
}

/**
 * One browser host with its demo defaults (embedded LAN server, SEFAZ simulator, file
 * printer) in a fresh data folder, and one 1366×768 pt-BR page on it. `shot` saves a
 * screenshot under tests/.artifacts and fails when it looks blank.
 */
export interface DemoHost {
  url: string;
  dataDir: string;
  page: Page;
  pageErrors: string[];
  shot(name: string): Promise<void>;
  close(): Promise<void>;
}

export async function openDemoHost(prefix: string, opts: { env?: NodeJS.ProcessEnv } = {}): Promise<DemoHost> {
  const tmp = tempDir();
  const web: Proc = spawnComboio(['web', '--port', '0', '--data', tmp.dir], opts.env ? { env: opts.env } : {});
  let browser: Browser | undefined;
  try {
    const url = (await web.waitFor(/Comboio aberto em (http:\/\/\S+)/, 60_000))[1]!;
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'pt-BR' });
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    const b = browser;
    return {
      url,
      dataDir: tmp.dir,
      page,
      pageErrors,
      async shot(name) {
        const s = await screenshot(page, `${prefix}-${name}`);
        expect(s.colours, `${name} looks blank`).toBeGreaterThan(8);
      },
      async close() {
        await b.close();
        await web.kill();
        tmp.cleanup();
      },
    };
  } catch (err) {
    await browser?.close();
    await web.kill();
    tmp.cleanup();
    throw err;
  }
}
