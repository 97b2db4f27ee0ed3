import type { DiscountDto, OrderDto, TransportDto } from '../../../../../../shared/api/index';
import { decimalProblem, parseDecimal, isPositiveDecimal } from '../../../../lib/money';
import { naturezaOf, productOf } from './catalog';
import type { DiscountInput, EditorState, ItemRow } from './initial-state';
import { fiscalErrors, sectionsFor, toItemFiscalDto, type FiscalSections } from './item-fiscal';

const PLACA = /^[A-Z]{3}[0-9][A-Z0-9][0-9]{2}$/;

/** Decimals each discount form accepts (R$ in centavos; % and R$/L finer). */
const DISCOUNT_SCALE: Record<DiscountDto['tipo'], number> = { nenhum: 0, valor: 2, percentual: 4, porLitro: 4 };

function percentOk(value: string): boolean {
  const [int = '0', frac = ''] = value.split('.');
  const n = Number(int);
  return n < 100 || (n === 100 && /^0*$/.test(frac));
}

/** The contract's DiscountDto, or null when the typed amount does not parse. */
export function toDiscountDto(d: DiscountInput): DiscountDto | null {
  if (d.tipo === 'nenhum' || !d.valor.trim()) return { tipo: 'nenhum', valor: '0' };
  const valor = parseDecimal(d.valor, DISCOUNT_SCALE[d.tipo]);
  if (valor === null) return null;
  if (d.tipo === 'percentual' && !percentOk(valor)) return null;
  return { tipo: d.tipo, valor };
}

function discountError(d: DiscountInput): string | undefined {
  if (toDiscountDto(d)) return undefined;
  if (d.tipo === 'percentual') return 'Percentual inválido: de 0 a 100, até 4 casas decimais.';
  if (d.tipo === 'porLitro') return 'Valor por litro inválido (ex.: 0,0500).';
  return 'Valor inválido (ex.: 12,50).';
}

/** The item's CST is its own or the natureza's; it and the product decide the fiscal fields shown. */
export function rowSections(row: ItemRow, naturezaId: string): FiscalSections {
  return sectionsFor(row.cstICMS || naturezaOf(naturezaId)?.cstICMS || '', productOf(row.productId));
}

const CHARGE_LABEL = { frete: 'Frete do pedido', seguro: 'Seguro do pedido', outrasDespesas: 'Outras despesas do pedido' } as const;
const KEY44 = /^[0-9A-Z]{44}$/;

function transportErrors(t: TransportDto, errors: Record<string, string>): void {
  (t.reboques ?? []).forEach((r, i) => {
    if (!PLACA.test(r.placa)) errors[`transporte.reboques[${i}].placa`] = `Placa do reboque ${i + 1} inválida (ex.: ABC1D23).`;
    if (!r.uf) errors[`transporte.reboques[${i}].uf`] = `Informe a UF da placa do reboque ${i + 1}.`;
  });
  const v = t.volume;
  if (!v) return;
  if (v.quantidade && !/^\d{1,15}$/.test(v.quantidade)) errors['transporte.volume.quantidade'] = 'Quantidade de volumes: um número inteiro.';
  for (const k of ['pesoLiquido', 'pesoBruto'] as const) {
    const p = v[k] ? decimalProblem(v[k]!, 3, '8.090,000') : null;
    if (p) errors[`transporte.volume.${k}`] = `${k === 'pesoLiquido' ? 'Peso líquido' : 'Peso bruto'}: ${p}`;
  }
  if (v.lacres.some((l) => l.trim().length > 60)) errors['transporte.volume.lacres'] = 'Cada lacre tem no máximo 60 caracteres.';
}

function rowErrors(row: ItemRow, i: number, errors: Record<string, string>, naturezaId: string): void {
  const at = (f: string) => `items[${i}].${f}`;
  if (!row.productId) errors[at('productId')] = 'Escolha o produto.';
  const q = parseDecimal(row.quantidade, 4);
  if (!row.quantidade.trim()) errors[at('quantidade')] = 'Informe a quantidade em litros.';
  else if (q === null) errors[at('quantidade')] = `Quantidade inválida. ${decimalProblem(row.quantidade, 4, '15.000,5')}`;
  else if (!isPositiveDecimal(q)) errors[at('quantidade')] = 'A quantidade deve ser maior que zero.';
  const p = parseDecimal(row.precoUnitario, 10);
  if (!row.precoUnitario.trim()) errors[at('precoUnitario')] = 'Informe o preço unitário.';
  else if (p === null) errors[at('precoUnitario')] = `Preço inválido. ${decimalProblem(row.precoUnitario, 10, '5,8790')}`;
  else if (!isPositiveDecimal(p)) errors[at('precoUnitario')] = 'O preço deve ser maior que zero.';
  const d = discountError(row.desconto);
  if (d) errors[at('desconto')] = d;
  fiscalErrors(row.fiscal, rowSections(row, naturezaId), at, errors);
}

/** Every problem the form can see before asking the core; pt-BR, keyed by field path. */
export function validate(s: EditorState): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!s.customer) errors.customerId = 'Selecione o cliente.';
  if (!s.naturezaId) errors.naturezaId = 'Escolha a natureza da operação.';
  if (s.rows.length === 0) errors.items = 'Inclua ao menos um item.';
  s.rows.forEach((r, i) => rowErrors(r, i, errors, s.naturezaId));
  for (const k of ['frete', 'seguro', 'outrasDespesas'] as const) {
    const p = s.charges[k].trim() ? decimalProblem(s.charges[k], 2, '150,00') : null;
    if (p) errors[k] = `${CHARGE_LABEL[k]}: ${p}`;
  }
  s.referencias.forEach((r, i) => {
    if (!KEY44.test(r.chave)) errors[`referencias[${i}].chave`] = `Chave de acesso do documento ${i + 1}: são 44 dígitos (${r.chave.length} digitados).`;
  });
  const de = discountError(s.descontoEspecial);
  if (de) errors.descontoEspecial = de;
  const dp = discountError(s.descontoPagador);
  if (dp) errors.descontoPagador = dp;
  if (!s.tPag) errors.tPag = 'Escolha a forma de pagamento.';
  const t = s.transporte;
  // "9 – Sem frete" hides the transport fields: what they still hold must not block saving.
  if (t.modFrete === 9) {
    // The load's volume and seals stay on screen under "9 – Sem frete"; vehicles do not.
    transportErrors({ ...t, reboques: [] }, errors);
    return errors;
  }
  if (t.placa && !PLACA.test(t.placa)) errors['transporte.placa'] = 'Placa inválida (ex.: ABC1D23 ou ABC1234).';
  if (t.placa && !t.ufPlaca) errors['transporte.ufPlaca'] = 'Informe a UF da placa.';
  if (t.transportadorDocumento && !/^(\d{11}|[0-9A-Z]{12}\d{2})$/.test(t.transportadorDocumento)) {
    errors['transporte.transportadorDocumento'] = 'CNPJ ou CPF do transportador inválido (só dígitos).';
  }
  transportErrors(t, errors);
  return errors;
}

/**
 * The contract DTO from what is typed; null while some number does not parse (totals wait
 * for valid input rather than guessing).
 */
export function toOrderDto(s: EditorState): OrderDto | null {
  if (!s.order) return null;
  const items: OrderDto['items'] = [];
  for (const r of s.rows) {
    const quantidade = parseDecimal(r.quantidade, 4);
    const precoUnitario = parseDecimal(r.precoUnitario, 10);
    const desconto = toDiscountDto(r.desconto);
    const fiscal = toItemFiscalDto(r.fiscal, rowSections(r, s.naturezaId));
    if (!r.productId || quantidade === null || precoUnitario === null || desconto === null || !fiscal) return null;
    items.push({ productId: r.productId, quantidade, precoUnitario, desconto, cstICMS: r.cstICMS || null, adRemICMS: r.adRemICMS, fiscal });
  }
  const charges: Partial<Record<'frete' | 'seguro' | 'outrasDespesas', string | null>> = {};
  for (const k of ['frete', 'seguro', 'outrasDespesas'] as const) {
    const t = s.charges[k].trim();
    const v = t ? parseDecimal(t, 2) : null;
    if (t && v === null) return null;
    charges[k] = v;
  }
  const transport = transportDto(s.transporte);
  if (!transport) return null;
  const descontoEspecial = toDiscountDto(s.descontoEspecial);
  const descontoPagador = toDiscountDto(s.descontoPagador);
  if (!descontoEspecial || !descontoPagador) return null;
  return {
    ...s.order,
    customerId: s.customer?.id ?? '',
    naturezaId: s.naturezaId,
    items,
    descontoEspecial,
    descontoPagador,
    transporte: transport,
    tPag: s.tPag,
    observacoes: s.observacoes,
    tipo: s.tipo,
    finalidade: s.finalidade,
    referencias: s.referencias,
    ...charges,
    pedidoCliente: s.pedidoCliente.trim() || null,
  };
}

/** The transport as the contract carries it; null while a weight does not parse. */
function transportDto(t: TransportDto): TransportDto | null {
  // Hidden under "9 – Sem frete": nothing of the carrier or vehicles goes to the note; the
  // load's volume and seals still do (a return picked up by the customer has seals too).
  const v = t.volume;
  let volume: TransportDto['volume'] = null;
  if (v) {
    const pesoLiquido = v.pesoLiquido?.trim() ? parseDecimal(v.pesoLiquido, 3) : null;
    const pesoBruto = v.pesoBruto?.trim() ? parseDecimal(v.pesoBruto, 3) : null;
    if ((v.pesoLiquido?.trim() && !pesoLiquido) || (v.pesoBruto?.trim() && !pesoBruto)) return null;
    const lacres = v.lacres.map((l) => l.trim()).filter(Boolean);
    if (lacres.length || v.quantidade || v.especie?.trim() || pesoLiquido || pesoBruto) volume = { quantidade: v.quantidade || null, especie: v.especie?.trim() || null, pesoLiquido, pesoBruto, lacres };
  }
  if (t.modFrete === 9) return { modFrete: 9, transportadorDocumento: null, transportadorNome: null, placa: null, ufPlaca: null, rntc: null, reboques: [], volume };
  return {
    ...t,
    transportadorDocumento: t.transportadorDocumento || null,
    transportadorNome: t.transportadorNome || null,
    placa: t.placa || null,
    ufPlaca: t.ufPlaca || null,
    rntc: t.rntc?.trim() || null,
    reboques: (t.reboques ?? []).map((r) => ({ placa: r.placa, uf: r.uf || null, rntc: r.rntc?.trim() || null })),
    volume,
  };
}

/** Orders already billed or being billed are read-only. */
export function isReadOnly(s: EditorState): boolean {
  if (s.heldBy) return true;
  const st = s.order?.status;
  return st === 'faturado' || st === 'cancelado' || st === 'em_faturamento' || st === 'aguardando_servidor';
}
