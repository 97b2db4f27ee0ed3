import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, openDemoHost, signIn, type DemoHost } from './pages';

// Issue #22 item 17: registries of clientes, produtos (ANP, NCM, tax per UF), transportadoras,
// veículos and motoristas, read in bounded pages; the order's transport picked from them.
let host: DemoHost;
let page: Page;

beforeAll(async () => {
  host = await openDemoHost('cadastros');
  page = host.page;
});
afterAll(async () => {
  await host?.close();
});

async function registry(name: string): Promise<void> {
  await page.getByRole('tab', { name: 'Cadastros' }).click();
  await page.getByRole('group', { name: 'Cadastro' }).getByRole('button', { name }).click();
  await page.getByRole('table', { name }).waitFor();
}

/** Calls the Api as the signed-in tab does (POST /api/:method with its session). */
function api(method: string, params: unknown): Promise<{ ok: boolean; error?: { message: string } }> {
  return page.evaluate(
    async ([m, p]) => {
      const g = globalThis as unknown as { sessionStorage: { getItem(k: string): string | null }; fetch(u: string, o: unknown): Promise<{ json(): Promise<unknown> }> };
      const token = JSON.parse(g.sessionStorage.getItem('comboio.session') ?? 'null') as string;
      const res = await g.fetch(`/api/${m}`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'x-comboio-session': token }, body: JSON.stringify(p) });
      return (await res.json()) as { ok: boolean; error?: { message: string } };
    },
    [method, params] as const,
  );
}

describe('Faturamento › Cadastros', () => {
  it('a transportadora with an IE and no UF is refused on the UF field (559); with the UF it is saved and listed', async () => {
    await signIn(page, host.url, DEMO.faturista);
    await registry('Transportadoras');
    await expect(page.getByTestId('registry-row-transportadoras').count()).resolves.toBe(2);
    await page.getByRole('button', { name: 'Nova transportadora' }).click();
    const dialog = page.getByRole('dialog', { name: 'Nova transportadora' });
    // The customer's own CNPJ is already a carrier (its tanker): one carrier per CNPJ.
    await dialog.getByLabel('CNPJ/CPF da transportadora').fill('11.444.777/0001-61');
    await dialog.getByLabel('Nome da transportadora').fill('TRANSMINAS CARGAS LTDA');
    await dialog.getByLabel('UF da transportadora').selectOption('MG');
    await dialog.getByRole('button', { name: 'Salvar' }).click();
    await expect(dialog.locator('.field-invalid').filter({ hasText: 'CNPJ/CPF da transportadora' }).textContent()).resolves.toMatch(/Já existe a transportadora AUTO POSTO ESTRELA/);
    await dialog.getByLabel('UF da transportadora').selectOption('');
    await dialog.getByLabel('CNPJ/CPF da transportadora').fill('45.123.456/0001-87');
    await dialog.getByLabel('Inscrição estadual da transportadora').fill('0623000000029');
    await dialog.getByRole('button', { name: 'Salvar' }).click();
    const ufError = dialog.locator('.field-invalid').filter({ hasText: 'UF da transportadora' });
    await expect(ufError.textContent()).resolves.toMatch(/sem a UF.*rejeição 559/);
    await host.shot('transportadora-sem-uf');
    await dialog.getByLabel('UF da transportadora').selectOption('MG');
    await dialog.getByRole('button', { name: 'Salvar' }).click();
    await page.getByText('Transportadora TRANSMINAS CARGAS LTDA salva.').waitFor();
    await expect(page.getByTestId('registry-row-transportadoras').count()).resolves.toBe(3);
  });

  it('a vehicle belongs to its carrier; a product carries its tax data per UF; a customer IE error names the customer', async () => {
    await registry('Veículos');
    await page.getByRole('button', { name: 'Novo veículo' }).click();
    const v = page.getByRole('dialog', { name: 'Novo veículo' });
    await v.getByLabel('Placa do veículo').fill('XYZ9A87');
    await v.getByLabel('UF da placa').selectOption('MG');
    await v.getByLabel('Transportadora do veículo').selectOption({ label: 'TRANSMINAS CARGAS LTDA' });
    await v.getByRole('button', { name: 'Salvar' }).click();
    await page.getByText('Veículo XYZ9A87 salvo.').waitFor();

    await registry('Produtos');
    await page.getByRole('button', { name: 'Editar produto DS10' }).click();
    const p = page.getByRole('dialog', { name: 'Editar produto' });
    await expect(p.getByLabel('Código ANP').inputValue()).resolves.toMatch(/^\d{9}$/);
    await expect(p.getByLabel('NCM', { exact: true }).inputValue()).resolves.toMatch(/^\d{8}$/);
    await p.getByLabel('UF a incluir').selectOption('MG');
    await p.getByRole('button', { name: '+ Incluir UF' }).click();
    await p.getByLabel('CST do ICMS para MG').fill('61');
    await host.shot('produto-tributacao-uf');
    await p.getByRole('button', { name: 'Salvar' }).click();
    await page.getByText('Produto DS10 salvo.').waitFor();
    await expect(page.getByTestId('registry-row-produtos').filter({ hasText: 'DS10' }).textContent()).resolves.toContain('MG');

    await registry('Clientes');
    await page.getByRole('button', { name: /^Editar cliente AUTO POSTO ESTRELA/ }).click();
    const c = page.getByRole('dialog', { name: 'Editar cliente' });
    await c.getByLabel('Inscrição estadual do cliente').fill('123456789');
    await c.getByRole('button', { name: 'Salvar' }).click();
    await expect(c.locator('.field-invalid').filter({ hasText: 'Inscrição estadual do cliente' }).textContent()).resolves.toMatch(/Inscrição estadual do cliente inválida para SP/);
    await c.getByRole('button', { name: 'Voltar' }).click();
  });

  it('registries read in pages of 50, never the whole list', async () => {
    for (let i = 0; i < 55; i++) {
      const r = await api('registry.save', { kind: 'motoristas', record: { nome: `MOTORISTA ${String(i).padStart(2, '0')}`, cpf: '52998224725' } });
      expect(r.ok, r.error?.message).toBe(true);
    }
    await registry('Motoristas');
    const rows = page.getByTestId('registry-row-motoristas');
    await expect.poll(() => rows.count()).toBe(50);
    await page.getByRole('button', { name: 'Próximos →' }).click();
    await expect.poll(() => rows.count()).toBe(6);
    await expect(page.getByRole('button', { name: 'Próximos →' }).isDisabled()).resolves.toBe(true);
    const tooMany = await api('registry.list', { kind: 'motoristas', limit: 5000 });
    expect(tooMany.ok).toBe(false);
    expect(tooMany.error?.message).toMatch(/de 1 a 100 registros/);
  });

  it("an order's transport is picked from the registry; the product's tax data for the customer's UF fills the CST", async () => {
    await page.getByRole('tab', { name: 'Pedidos' }).click();
    await page.getByRole('button', { name: 'Novo pedido' }).click();
    await page.getByRole('combobox', { name: 'Cliente' }).fill('mineiro');
    await page.getByRole('option').first().waitFor();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.getByTestId('order-customer').waitFor();
    await page.getByLabel('Produto do item 1').selectOption('prod-diesel-s10');
    await expect.poll(() => page.getByLabel('CST ICMS do item 1').inputValue()).toBe('61');
    await expect(page.getByTestId('item-review-1').count()).resolves.toBe(0);

    await page.getByLabel('Modalidade do frete').selectOption('0');
    await page.getByLabel('Transportadora cadastrada').selectOption({ label: 'TRANSMINAS CARGAS LTDA – 45.123.456/0001-87' });
    await expect(page.getByLabel('CNPJ/CPF do transportador').inputValue()).resolves.toBe('45.123.456/0001-87');
    await expect(page.getByLabel('Transportador', { exact: true }).inputValue()).resolves.toBe('TRANSMINAS CARGAS LTDA');
    const vehicle = page.getByLabel('Veículo cadastrado');
    await expect.poll(() => vehicle.locator('option').allTextContents()).toContain('XYZ9A87/MG');
    await vehicle.selectOption({ label: 'XYZ9A87/MG' });
    await expect(page.getByLabel('Placa do veículo').inputValue()).resolves.toBe('XYZ9A87');
    await expect(page.getByLabel('UF da placa').inputValue()).resolves.toBe('MG');
    await page.getByLabel('Placa do veículo').scrollIntoViewIfNeeded();
    await host.shot('pedido-transporte-cadastrado');
  });
});
