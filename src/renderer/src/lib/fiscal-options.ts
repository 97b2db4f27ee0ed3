import type { OrderStatus, TransportDto } from '../../../shared/api/index';

export const UFS = [
  'AC', 'AL', 'AM', 'AP', 'BA', 'CE', 'DF', 'ES', 'GO', 'MA', 'MG', 'MS', 'MT', 'PA', 'PB',
  'PE', 'PI', 'PR', 'RJ', 'RN', 'RO', 'RR', 'RS', 'SC', 'SE', 'SP', 'TO',
] as const;

/** tPag codes of the NF-e 4.00 manual the distributors use. */
export const T_PAG: { code: string; label: string }[] = [
  { code: '01', label: '01 – Dinheiro' },
  { code: '02', label: '02 – Cheque' },
  { code: '03', label: '03 – Cartão de crédito' },
  { code: '04', label: '04 – Cartão de débito' },
  { code: '05', label: '05 – Crédito loja' },
  { code: '15', label: '15 – Boleto bancário' },
  { code: '16', label: '16 – Depósito bancário' },
  { code: '17', label: '17 – PIX' },
  { code: '18', label: '18 – Transferência bancária' },
  { code: '90', label: '90 – Sem pagamento' },
  { code: '99', label: '99 – Outros' },
];

export const MOD_FRETE: { code: TransportDto['modFrete']; label: string }[] = [
  { code: 0, label: '0 – Por conta do emitente (CIF)' },
  { code: 1, label: '1 – Por conta do destinatário (FOB)' },
  { code: 2, label: '2 – Por conta de terceiros' },
  { code: 3, label: '3 – Próprio, do remetente' },
  { code: 4, label: '4 – Próprio, do destinatário' },
  { code: 9, label: '9 – Sem frete' },
];

export const ORDER_STATUS_LABELS: Record<OrderStatus, string> = {
  rascunho: 'Rascunho',
  em_faturamento: 'Em faturamento',
  aguardando_servidor: 'Aguardando servidor',
  faturado: 'Faturado',
  cancelado: 'Cancelado',
};

export { formatChave, formatDocumento } from '../../../shared/format';
