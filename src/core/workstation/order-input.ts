import type { ItemFiscalDto, OrderDto, TransportDto } from '../../shared/api/billing';
import { invalidInput } from '../errors';

/**
 * Boundary checks of the order's fiscal fields (types, decimals, list sizes). The fiscal
 * builder then applies the SEFAZ rules and the schema; these only keep what is stored sane.
 * Field paths are the editor's.
 */
const DEC = /^\d{1,13}([.,]\d{1,10})?$/;
const KEY = /^\d{2}\d{4}[0-9A-Z]{12}\d{2}\d{2}\d{3}\d{9}\d\d{8}\d$/;
const UF = /^[A-Z]{2}$/;

function decimal(v: unknown, field: string, label: string, optional = true): void {
  if (v === null || v === undefined || v === '') {
    if (optional) return;
    throw invalidInput(`Informe ${label}.`, field);
  }
  if (typeof v !== 'string' || !DEC.test(v)) throw invalidInput(`${label[0]!.toUpperCase()}${label.slice(1)} inválido: use um número (ex.: 12,5).`, field);
}

function text(v: unknown, field: string, label: string, max: number): void {
  if (v === null || v === undefined) return;
  if (typeof v !== 'string') throw invalidInput(`${label} deve ser texto.`, field);
  if (v.length > max) throw invalidInput(`${label} tem ${v.length} caracteres; o máximo é ${max}.`, field);
}

function itemFiscal(f: ItemFiscalDto | null | undefined, at: (x: string) => string): void {
  if (f === null || f === undefined) return;
  if (typeof f !== 'object') throw invalidInput('Dados fiscais do item inválidos.', at('fiscal'));
  decimal(f.aliquotaICMS, at('aliquotaICMS'), 'a alíquota do ICMS');
  decimal(f.reducaoBaseICMS, at('reducaoBaseICMS'), 'a redução da base do ICMS');
  decimal(f.creditoSimples, at('creditoSimples'), 'a alíquota do crédito do Simples');
  if (f.icmsSt) {
    if (![0, 1, 2, 3, 4, 5, 6].includes(f.icmsSt.modalidade)) throw invalidInput('Modalidade da base do ICMS-ST inválida.', at('icmsSt.modalidade'));
    decimal(f.icmsSt.aliquota, at('icmsSt.aliquota'), 'a alíquota do ICMS-ST', false);
    decimal(f.icmsSt.mva, at('icmsSt.mva'), 'a MVA');
    decimal(f.icmsSt.valorPorUnidade, at('icmsSt.valorPorUnidade'), 'o valor da pauta/PMPF');
    decimal(f.icmsSt.reducaoBase, at('icmsSt.reducaoBase'), 'a redução da base do ICMS-ST');
    decimal(f.icmsSt.fcp, at('icmsSt.fcp'), 'o FCP-ST');
  }
  if (f.icmsRetido) {
    decimal(f.icmsRetido.basePorUnidade, at('icmsRetido.basePorUnidade'), 'a base do ST retido por unidade', false);
    decimal(f.icmsRetido.aliquota, at('icmsRetido.aliquota'), 'a alíquota suportada pelo consumidor final', false);
    decimal(f.icmsRetido.icmsSubstitutoPorUnidade, at('icmsRetido.icmsSubstitutoPorUnidade'), 'o ICMS do substituto por unidade');
    decimal(f.icmsRetido.fcp, at('icmsRetido.fcp'), 'o FCP-ST retido');
  }
  if (f.cfop !== null && f.cfop !== undefined && f.cfop !== '' && !/^[1-7]\d{3}$/.test(String(f.cfop))) throw invalidInput('CFOP do item deve ter 4 dígitos.', at('cfop'));
  for (const k of ['frete', 'seguro', 'outrasDespesas'] as const) decimal(f[k], at(k), k === 'outrasDespesas' ? 'o valor de outras despesas' : `o valor do ${k}`);
  decimal(f.qTemp, at('qTemp'), 'a quantidade à temperatura ambiente');
  decimal(f.cide, at('cide'), 'a CIDE por unidade');
  if (f.glp) for (const k of ['pGLP', 'pGNn', 'pGNi', 'vPart'] as const) decimal(f.glp[k], at(`glp.${k}`), k === 'vPart' ? 'o valor de partida' : `o percentual ${k}`, false);
  if (f.origem !== undefined && f.origem !== null) {
    if (!Array.isArray(f.origem) || f.origem.length > 30) throw invalidInput('Informe no máximo 30 origens do combustível.', at('origem'));
    f.origem.forEach((o, j) => {
      if (!UF.test(String(o?.uf ?? ''))) throw invalidInput('UF de origem do combustível inválida.', at(`origem[${j}].uf`));
      decimal(o.percentual, at(`origem[${j}].percentual`), 'o percentual da origem', false);
    });
  }
}

function transport(t: TransportDto | undefined): void {
  if (!t || typeof t !== 'object') throw invalidInput('Informe o transporte.', 'transporte.modFrete');
  text(t.rntc, 'transporte.rntc', 'RNTC', 20);
  if (t.reboques !== undefined) {
    if (!Array.isArray(t.reboques) || t.reboques.length > 5) throw invalidInput('Informe no máximo 5 reboques.', 'transporte.reboques');
    t.reboques.forEach((r, i) => {
      if (typeof r?.placa !== 'string' || r.placa.length > 8) throw invalidInput(`Placa do reboque ${i + 1} inválida.`, `transporte.reboques[${i}].placa`);
      text(r.rntc, `transporte.reboques[${i}].rntc`, `RNTC do reboque ${i + 1}`, 20);
    });
  }
  const v = t.volume;
  if (v) {
    if (!Array.isArray(v.lacres) || v.lacres.length > 5000) throw invalidInput('Lacres: no máximo 5000 números.', 'transporte.volume.lacres');
    v.lacres.forEach((l, i) => text(l, `transporte.volume.lacres[${i}]`, `Lacre ${i + 1}`, 60));
    text(v.especie, 'transporte.volume.especie', 'Espécie dos volumes', 60);
    if (v.quantidade && !/^\d{1,15}$/.test(v.quantidade)) throw invalidInput('Quantidade de volumes deve ser um número inteiro.', 'transporte.volume.quantidade');
    decimal(v.pesoLiquido, 'transporte.volume.pesoLiquido', 'o peso líquido');
    decimal(v.pesoBruto, 'transporte.volume.pesoBruto', 'o peso bruto');
  }
}

export function checkOrderFiscal(o: OrderDto): void {
  if (o.tipo !== undefined && o.tipo !== 'saida' && o.tipo !== 'entrada') throw invalidInput('Tipo da nota deve ser saída ou entrada.', 'tipo');
  if (o.finalidade !== undefined && ![1, 2, 3, 4].includes(o.finalidade)) throw invalidInput('Finalidade inválida.', 'finalidade');
  if (o.referencias !== undefined) {
    if (!Array.isArray(o.referencias) || o.referencias.length > 999) throw invalidInput('No máximo 999 documentos referenciados.', 'referencias');
    o.referencias.forEach((r, i) => {
      if (!['55', '65', '57'].includes(r?.modelo)) throw invalidInput('Modelo do documento referenciado inválido.', `referencias[${i}].modelo`);
      if (!KEY.test(String(r.chave ?? '').replace(/\s/g, ''))) throw invalidInput(`Chave de acesso ${i + 1} inválida: são 44 caracteres.`, `referencias[${i}].chave`);
    });
  }
  for (const k of ['frete', 'seguro', 'outrasDespesas'] as const) decimal(o[k], k, k === 'outrasDespesas' ? 'o valor de outras despesas' : `o valor do ${k}`);
  text(o.pedidoCliente, 'pedidoCliente', 'Pedido do cliente', 15);
  o.items.forEach((it, i) => itemFiscal(it.fiscal, (f) => `items[${i}].${f}`));
  transport(o.transporte);
}
