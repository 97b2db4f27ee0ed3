import type { DiscountDto, OrderDto } from '../../../../../../shared/api/index';
import { decimalProblem, parseDecimal, isPositiveDecimal } from '../../../../lib/money';
import type { DiscountInput, EditorState, ItemRow } from './initial-state';

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

function rowErrors(row: ItemRow, i: number, errors: Record<string, string>): void {
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
}

/** Every problem the form can see before asking the core; pt-BR, keyed by field path. */
export function validate(s: EditorState): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!s.customer) errors.customerId = 'Selecione o cliente.';
  if (!s.naturezaId) errors.naturezaId = 'Escolha a natureza da operação.';
  if (s.rows.length === 0) errors.items = 'Inclua ao menos um item.';
  s.rows.forEach((r, i) => rowErrors(r, i, errors));
  const de = discountError(s.descontoEspecial);
  if (de) errors.descontoEspecial = de;
  const dp = discountError(s.descontoPagador);
  if (dp) errors.descontoPagador = dp;
  if (!s.tPag) errors.tPag = 'Escolha a forma de pagamento.';
  const t = s.transporte;
  // "9 – Sem frete" hides the transport fields: what they still hold must not block saving.
  if (t.modFrete === 9) return errors;
  if (t.placa && !PLACA.test(t.placa)) errors['transporte.placa'] = 'Placa inválida (ex.: ABC1D23 ou ABC1234).';
  if (t.placa && !t.ufPlaca) errors['transporte.ufPlaca'] = 'Informe a UF da placa.';
  if (t.transportadorDocumento && !/^(\d{11}|[0-9A-Z]{12}\d{2})$/.test(t.transportadorDocumento)) {
    errors['transporte.transportadorDocumento'] = 'CNPJ ou CPF do transportador inválido (só dígitos).';
  }
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
    if (!r.productId || quantidade === null || precoUnitario === null || desconto === null) return null;
    items.push({ productId: r.productId, quantidade, precoUnitario, desconto, cstICMS: r.cstICMS || null, adRemICMS: r.adRemICMS });
  }
  const descontoEspecial = toDiscountDto(s.descontoEspecial);
  const descontoPagador = toDiscountDto(s.descontoPagador);
  if (!descontoEspecial || !descontoPagador) return null;
  const t = s.transporte;
  return {
    ...s.order,
    customerId: s.customer?.id ?? '',
    naturezaId: s.naturezaId,
    items,
    descontoEspecial,
    descontoPagador,
    // Hidden under "9 – Sem frete": nothing of the transport goes to the note.
    transporte:
      t.modFrete === 9
        ? { modFrete: 9, transportadorDocumento: null, transportadorNome: null, placa: null, ufPlaca: null }
        : {
            ...t,
            transportadorDocumento: t.transportadorDocumento || null,
            transportadorNome: t.transportadorNome || null,
            placa: t.placa || null,
            ufPlaca: t.ufPlaca || null,
          },
    tPag: s.tPag,
    observacoes: s.observacoes,
  };
}

/** Orders already billed or being billed are read-only. */
export function isReadOnly(s: EditorState): boolean {
  if (s.heldBy) return true;
  const st = s.order?.status;
  return st === 'faturado' || st === 'cancelado' || st === 'em_faturamento' || st === 'aguardando_servidor';
}
