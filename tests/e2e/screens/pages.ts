import type { Page } from 'playwright-core';

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
  await page.getByLabel('Natureza da operação').selectOption({ index: 1 });
  await page.getByLabel('Produto do item 1').selectOption({ index: 1 });
  await page.getByLabel('Quantidade em litros do item 1').fill(liters);
  await page.getByLabel('Forma de pagamento').selectOption('15');
  await page.getByLabel('Modalidade do frete').selectOption('0');
  await page.getByLabel('Transportador', { exact: true }).fill('Transportes Rapido Ltda');
  await page.getByLabel('CNPJ/CPF do transportador').fill('11222333000181');
  await page.getByLabel('Placa do veículo').fill('ABC1D23');
  await page.getByLabel('UF da placa').selectOption('SP');
}
