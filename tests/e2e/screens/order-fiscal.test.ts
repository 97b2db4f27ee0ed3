import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashCsrt } from '../../../src/core/fiscal/resp-tec';
import { validateXml } from '../../../src/core/fiscal/schema-validate';
import { schemasDir } from '../../helpers/proc';
import { DEMO, openDemoHost, signIn, signOut, type DemoHost } from './pages';

// Issue #23 on the order screen, at 1366×768: what the order format carries, typed by a
// faturista — ICMS-ST and retained ST per item, the item's CFOP and charges, GLP shares,
// a bitrem's trailers and its seals, the customer's purchase order; then a devolução
// (entrada, finNFe 4) referencing the note just issued. Each note is emitted through the
// demo SEFAZ simulator and its stored XML read back from disk and checked on the schema.
let host: DemoHost;
let page: Page;
const shot = (name: string) => host.shot(name);

beforeAll(async () => {
  host = await openDemoHost('order-fiscal');
  page = host.page;
});
afterAll(async () => {
  await host?.close();
});

function storedXml(dataDir: string, chave: string): string {
  const walk = (dir: string): string | null => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) {
        const found = walk(p);
        if (found) return found;
      } else if (e.name === `${chave}-nfe.xml`) return p;
    }
    return null;
  };
  const file = walk(dataDir);
  if (!file) throw new Error(`XML of ${chave} not stored under ${dataDir}`);
  return readFileSync(file, 'utf8');
}

async function pickCustomer(q: string): Promise<void> {
  await page.getByRole('combobox', { name: 'Cliente' }).fill(q);
  await page.getByRole('option').first().waitFor();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await page.getByTestId('order-customer').waitFor();
}

let lastNumber = '';
/** Finalizes the open order; returns the chave of the authorized note (its number in lastNumber). */
async function finalize(name: string): Promise<string> {
  await page.getByRole('button', { name: 'Finalizar…' }).click();
  const dialog = page.getByRole('dialog', { name: /Finalizar pedido/ });
  await dialog.getByRole('button', { name: 'Confirmar e emitir' }).and(page.locator(':enabled')).waitFor();
  await dialog.getByRole('button', { name: 'Confirmar e emitir' }).click();
  await dialog.getByTestId('finalized-number').waitFor({ timeout: 90_000 });
  const number = (await dialog.getByTestId('finalized-number').textContent())!;
  lastNumber = number;
  await dialog.getByRole('button', { name: 'Ver documento' }).click();
  const row = page.getByTestId(`document-row-${number}`);
  await row.getByTestId('document-status').and(page.locator('[data-color="green"]')).waitFor({ timeout: 90_000 });
  await page.getByTestId('detail-chave').waitFor();
  await shot(`${name}-autorizada`);
  return (await page.getByTestId('detail-chave').textContent())!.replace(/\s/g, '');
}

const CSRT = 'G8063VRTNDMO886SFNK5LDUDEI24XJ22YIPO';

describe('order entry carries what a distributor\'s note needs (issue #23)', () => {
  let saleChave = '';
  let saleNumber = '';

  it('Administração: the responsável técnico with its CSRT is saved; the CSRT is never shown again', async () => {
    await signIn(page, host.url, DEMO.admin);
    await page.getByRole('button', { name: /Administração/ }).click();
    await page.getByRole('tab', { name: 'Estabelecimento e certificado' }).click();
    await page.getByLabel('CNPJ do responsável técnico').fill('123');
    await page.getByLabel('Contato').fill('Suporte Comboio');
    await page.getByLabel('E-mail do responsável técnico').fill('suporte@comboio.example');
    await page.getByLabel('Telefone do responsável técnico').fill('1130001000');
    await page.getByLabel('Identificador do CSRT (idCSRT)').fill('01');
    await page.getByLabel('CSRT', { exact: true }).fill(CSRT);
    await page.getByRole('button', { name: 'Salvar estabelecimento' }).click();
    // The builder's own rule refuses it, on its field.
    await expect.poll(() => page.getByLabel('CNPJ do responsável técnico').getAttribute('aria-invalid')).toBe('true');
    await page.getByLabel('CNPJ do responsável técnico').fill('11444777000161');
    await page.getByRole('button', { name: 'Salvar estabelecimento' }).click();
    await page.getByText(/salvo/).first().waitFor();
    await page.reload();
    await page.getByRole('tab', { name: 'Estabelecimento e certificado' }).click().catch(() => undefined);
    await page.getByText('Um CSRT está guardado; deixe em branco para mantê-lo.').waitFor();
    await expect(page.getByLabel('CSRT', { exact: true }).inputValue()).resolves.toBe('');
    await page.getByRole('heading', { name: /Responsável técnico/ }).scrollIntoViewIfNeeded();
    await shot('admin-responsavel-tecnico');
    await signOut(page);
  });

  it('ethanol with ICMS-ST, a lubricant with ST retained and its own CFOP, charges, a bitrem with seals, pedido do cliente → authorized, schema-valid XML', async () => {
    await signIn(page, host.url, DEMO.faturista);
    await page.getByRole('button', { name: 'Novo pedido' }).click();
    await pickCustomer('estrela');
    await page.getByLabel('Natureza da operação').selectOption('nat-venda-st');
    await page.getByLabel('Pedido do cliente').fill('PC-4471');

    await page.getByLabel('Produto do item 1').selectOption('prod-etanol-hidratado');
    await page.getByLabel('Quantidade em litros do item 1').fill('10.000');
    // CST 10 of the natureza: the item's ST panel opens by itself.
    const panel1 = page.getByRole('group', { name: 'Impostos e encargos do item 1' });
    await panel1.waitFor();
    await panel1.getByLabel('Alíquota do ICMS (%)').fill('12');
    await panel1.getByLabel('Modalidade da base do ICMS-ST').selectOption('5');
    await panel1.getByLabel('Pauta/PMPF (R$ por unidade)').fill('4,8700');
    await panel1.getByLabel('Alíquota do ICMS-ST (%)').fill('12');
    await panel1.getByLabel('FCP-ST (%)').fill('2');
    await panel1.getByLabel('Seguro do item (R$)').fill('12,50');

    await page.getByRole('button', { name: /Incluir item/ }).click();
    await page.getByLabel('Produto do item 2').selectOption('prod-lub-15w40');
    await page.getByLabel('Quantidade em litros do item 2').fill('24');
    await page.getByLabel('CST ICMS do item 2').fill('60');
    const panel2 = page.getByRole('group', { name: 'Impostos e encargos do item 2' });
    await panel2.waitFor();
    await panel2.getByLabel('CFOP do item').fill('5405');
    await panel2.getByLabel('Base do ST retido (R$ por unidade)').fill('520,00');
    await panel2.getByLabel('Alíquota do consumidor final (%)').fill('18');
    await panel2.getByLabel('ICMS do substituto (R$ por unidade)').fill('46,79');

    await panel2.scrollIntoViewIfNeeded();
    await shot('editor-itens-st');
    await page.getByLabel('Frete do pedido (R$)').fill('150,00');
    // The customer picks up in its own bitrem (FOB): the tractor's plate comes from its usual transport.
    await expect(page.getByLabel('Placa do veículo').inputValue()).resolves.toBe('EST1A23');
    await page.getByLabel('RNTC do veículo').fill('12345678');
    for (const [i, placa] of ['REB1A11', 'REB2B22'].entries()) {
      await page.getByRole('button', { name: '+ Reboque' }).click();
      await page.getByLabel(`Placa do reboque ${i + 1}`).fill(placa);
      await page.getByLabel(`UF do reboque ${i + 1}`).selectOption('SP');
    }
    await page.getByLabel('Quantidade de volumes').fill('1');
    await page.getByLabel('Espécie').fill('GRANEL');
    await page.getByLabel('Peso líquido (kg)').fill('8.090,000');
    await page.getByLabel('Lacres').fill('SP0011201\nSP0011202\nSP0011203');
    await page.getByText('3 lacres').waitFor();

    await page.getByRole('button', { name: 'Salvar', exact: true }).click();
    await page.getByText(/Pedido .* salvo\./).waitFor();
    await page.getByTestId('order-icms-st').waitFor();
    await expect(page.getByTestId('order-encargos').textContent()).resolves.toBe('R$ 162,50');
    await shot('editor-st-reboques');
    await page.getByRole('group', { name: 'Reboques' }).scrollIntoViewIfNeeded();
    await shot('editor-transporte');

    saleChave = await finalize('venda-st');
    saleNumber = lastNumber;
    const xml = storedXml(host.dataDir, saleChave);
    expect(validateXml(xml, { schemasDir, layout: 'PL_010_V1.30' }).issues).toEqual([]);
    expect(xml).toContain('<ICMS10>');
    expect(xml).toContain('<modBCST>5</modBCST><vBCST>48700.00</vBCST><pICMSST>12.0000</pICMSST>');
    expect(xml).toMatch(/<CFOP>5405<\/CFOP>/);
    expect(xml).toContain('<ICMS60><orig>0</orig><CST>60</CST><vBCSTRet>12480.00</vBCSTRet>');
    expect(xml).toContain('<reboque><placa>REB1A11</placa><UF>SP</UF></reboque><reboque><placa>REB2B22</placa><UF>SP</UF></reboque>');
    expect(xml).toContain('<RNTC>12345678</RNTC>');
    expect(xml).toContain('<vol><qVol>1</qVol><esp>GRANEL</esp><pesoL>8090.000</pesoL><lacres><nLacre>SP0011201</nLacre></lacres>');
    expect(xml).toContain('<compra><xPed>PC-4471</xPed></compra>');
    expect(xml).toMatch(/<vSeg>12.50<\/vSeg>/);
    expect(xml).toContain(`<infRespTec><CNPJ>11444777000161</CNPJ><xContato>Suporte Comboio</xContato><email>suporte@comboio.example</email><fone>1130001000</fone><idCSRT>01</idCSRT><hashCSRT>${hashCsrt(CSRT, saleChave)}</hashCSRT></infRespTec>`);
  });

  it('GLP without its shares is refused on the item\'s fields with the rule number; filled, the totals appear', async () => {
    await page.getByRole('tab', { name: 'Pedidos' }).click();
    await page.getByRole('button', { name: 'Novo pedido' }).click();
    await pickCustomer('estrela');
    await page.getByLabel('Natureza da operação').selectOption('nat-venda-comb-61');
    await page.getByLabel('Produto do item 1').selectOption('prod-glp-granel');
    await page.getByLabel('Quantidade em litros do item 1').fill('6.500');
    const panel = page.getByRole('group', { name: 'Impostos e encargos do item 1' });
    await panel.waitFor();
    await page.getByTestId('order-pendencias').filter({ hasText: '855' }).waitFor();
    await panel.getByLabel('% de GLP').fill('92,5');
    await panel.getByLabel('% de GN nacional').fill('7,5');
    await panel.getByLabel('% de GN importado').fill('0');
    await panel.getByLabel('Valor de partida (R$ por kg)').fill('4,85');
    await page.getByTestId('order-total').filter({ hasText: /R\$ [1-9]/ }).waitFor();
    await expect(page.getByTestId('order-pendencias').count()).resolves.toBe(0);
    await shot('editor-glp');
    await page.getByRole('button', { name: 'Salvar', exact: true }).click();
    await page.getByText(/Pedido .* salvo\./).waitFor();
  });

  it('devolução from a customer who issues no note: the natureza makes it an entrada with finalidade 4 and no payment; the original is referenced', async () => {
    await page.getByRole('button', { name: '← Pedidos' }).click();
    await page.getByRole('button', { name: 'Novo pedido' }).click();
    await pickCustomer('estrela');
    await page.getByLabel('Natureza da operação').selectOption('nat-venda-devolucao');
    await expect(page.getByLabel('Tipo da nota').inputValue()).resolves.toBe('entrada');
    await expect(page.getByLabel('Finalidade').inputValue()).resolves.toBe('4');
    await expect(page.getByLabel('Forma de pagamento').inputValue()).resolves.toBe('90');
    await page.getByLabel('Produto do item 1').selectOption('prod-diesel-s10');
    await page.getByLabel('Quantidade em litros do item 1').fill('250');
    await page.getByLabel('Modalidade do frete').selectOption('9');
    await page.getByTestId('order-pendencias').filter({ hasText: '321' }).waitFor();
    await page.getByRole('button', { name: '+ Referenciar documento' }).click();
    await page.getByLabel('Chave de acesso do documento 1').fill(saleChave.slice(0, 20));
    await page.getByRole('button', { name: 'Salvar', exact: true }).click();
    await page.getByText('são 44 dígitos (20 digitados)').waitFor();
    await page.getByLabel('Chave de acesso do documento 1').fill(saleChave);
    await page.getByRole('button', { name: 'Salvar', exact: true }).click();
    await page.getByText(/Pedido .* salvo\./).waitFor();
    await shot('editor-devolucao');
    const chave = await finalize('devolucao');
    const xml = storedXml(host.dataDir, chave);
    expect(validateXml(xml, { schemasDir, layout: 'PL_010_V1.30' }).issues).toEqual([]);
    expect(xml).toContain('<tpNF>0</tpNF>');
    expect(xml).toContain('<finNFe>4</finNFe>');
    expect(xml).toContain(`<NFref><refNFe>${saleChave}</refNFe></NFref>`);
    expect(xml).toContain('<CFOP>1662</CFOP>');
    expect(xml).toContain('<tPag>90</tPag>');
  });

  it('"Nota de devolução…" on the authorized sale: the draft comes with its customer, items and key; a partial return is emitted', async () => {
    await page.getByRole('tab', { name: 'Documentos' }).click();
    await page.getByTestId(`document-row-${saleNumber}`).click();
    await page.getByRole('button', { name: 'Nota de devolução…' }).click();
    await expect.poll(() => page.getByLabel('Chave de acesso do documento 1').inputValue()).toBe(saleChave);
    await expect(page.getByLabel('Tipo da nota').inputValue()).resolves.toBe('entrada');
    await expect(page.getByLabel('Finalidade').inputValue()).resolves.toBe('4');
    await expect(page.getByLabel('Produto do item 2').inputValue()).resolves.toBe('prod-lub-15w40');
    await page.getByLabel('Quantidade em litros do item 1').fill('500');
    await page.getByRole('button', { name: 'Remover item 2' }).click();
    await page.getByRole('button', { name: 'Salvar', exact: true }).click();
    await page.getByText(/Pedido .* salvo\./).waitFor();
    await shot('editor-devolucao-da-nota');
    const chave = await finalize('devolucao-da-nota');
    const xml = storedXml(host.dataDir, chave);
    expect(validateXml(xml, { schemasDir, layout: 'PL_010_V1.30' }).issues).toEqual([]);
    expect(xml).toContain(`<NFref><refNFe>${saleChave}</refNFe></NFref>`);
    expect(xml).toContain('<tpNF>0</tpNF><idDest>1</idDest>');
    expect(xml).toMatch(/<qCom>500.0000<\/qCom>/);
    expect(xml).not.toContain('LUB15W40');
    expect(host.pageErrors).toEqual([]);
    await signOut(page);
  });
});
