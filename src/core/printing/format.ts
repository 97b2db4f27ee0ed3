import Decimal from 'decimal.js';

/** "1234.5" → "1.234,50" (pt-BR), rounded half-up on the decimal string, never through a float. */
export function formatDecimal(value: string | undefined, places = 2): string {
  if (value === undefined || value === '') return '';
  const d = new Decimal(value).toDecimalPlaces(places, Decimal.ROUND_HALF_UP);
  const [int, frac] = d.abs().toFixed(places).split('.');
  const grouped = int!.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return `${d.isNegative() && !d.isZero() ? '-' : ''}${grouped}${places > 0 ? `,${frac}` : ''}`;
}

/** Money as the DANFE prints it, empty when the group is absent. */
export const money = (value: string | undefined): string => formatDecimal(value, 2);

// CNPJ/CPF and CEP read the same on the DANFE as on every screen.
export { formatCep, formatDocumento } from '../../shared/format';

export function formatNumeroNota(nNF: string): string {
  return nNF.padStart(9, '0').replace(/^(\d{3})(\d{3})(\d{3})$/, '$1.$2.$3');
}

/** The wall-clock date of an ISO instant *as written* (the emitter's offset), dd/mm/aaaa. */
export function formatDate(iso: string | undefined): string {
  if (!iso) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : iso;
}

export function formatTime(iso: string | undefined): string {
  if (!iso) return '';
  const m = /T(\d{2}:\d{2}:\d{2})/.exec(iso);
  return m ? m[1]! : '';
}

export function formatDateTime(iso: string | undefined): string {
  if (!iso) return '';
  return `${formatDate(iso)} ${formatTime(iso)}`.trim();
}

const MOD_FRETE: Record<string, string> = {
  '0': '0-POR CONTA DO EMITENTE',
  '1': '1-POR CONTA DO DESTINATÁRIO',
  '2': '2-POR CONTA DE TERCEIROS',
  '3': '3-PRÓPRIO POR CONTA DO REMETENTE',
  '4': '4-PRÓPRIO POR CONTA DO DESTINATÁRIO',
  '9': '9-SEM OCORRÊNCIA DE TRANSPORTE',
};

export const formatModFrete = (mod: string): string => MOD_FRETE[mod] ?? mod;

const T_PAG: Record<string, string> = {
  '01': 'Dinheiro',
  '02': 'Cheque',
  '03': 'Cartão de Crédito',
  '04': 'Cartão de Débito',
  '05': 'Crédito Loja',
  '10': 'Vale Alimentação',
  '11': 'Vale Refeição',
  '12': 'Vale Presente',
  '13': 'Vale Combustível',
  '15': 'Boleto Bancário',
  '16': 'Depósito Bancário',
  '17': 'PIX',
  '18': 'Transferência',
  '19': 'Fidelidade',
  '90': 'Sem pagamento',
  '99': 'Outros',
};

export const formatFormaPagamento = (tPag: string): string => T_PAG[tPag] ?? tPag;

export function formatAddressLine(a: { logradouro: string; numero: string; complemento?: string } | undefined): string {
  if (!a) return '';
  return [a.numero ? `${a.logradouro}, ${a.numero}` : a.logradouro, a.complemento].filter(Boolean).join(' - ');
}
