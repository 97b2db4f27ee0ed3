import { isValidChave } from './chave';
import { orderError } from './errors';
import type { NFref } from './model';
import type { Order, OrderReferencia } from './order';
import { cnpjField, ufField } from './parties';
import { ruleError } from './rules';
import type { NfeLayout } from './schema-validate';
import { UF_CODES } from './text';

const MODEL_OF: Record<'nfe' | 'nfce' | 'cte', { mod: string; label: string; tag: 'refNFe' | 'refCTe' }> = {
  nfe: { mod: '55', label: 'NF-e', tag: 'refNFe' },
  nfce: { mod: '65', label: 'NFC-e', tag: 'refNFe' },
  cte: { mod: '57', label: 'CT-e', tag: 'refCTe' },
};

function reference(r: OrderReferencia, field: string, layout: NfeLayout): NFref {
  const forms = (['nfe', 'nfce', 'cte', 'notaPapel'] as const).filter((k) => r?.[k] !== undefined);
  if (forms.length !== 1) throw orderError(field, `Cada documento referenciado deve ter exatamente uma forma: nfe, nfce, cte ou notaPapel (${field}).`);
  const form = forms[0]!;
  if (form === 'notaPapel') {
    const p = r.notaPapel!;
    const f = `${field}.notaPapel`;
    const uf = ufField(p.uf, `${f}.uf`);
    if (!/^\d{2}(0[1-9]|1[0-2])$/.test(String(p.aamm ?? ''))) throw orderError(`${f}.aamm`, `Ano e mês da nota referenciada devem ser AAMM: "${String(p.aamm ?? '')}".`);
    if (!Number.isInteger(p.serie) || p.serie < 0 || p.serie > 999) throw orderError(`${f}.serie`, `Série da nota referenciada inválida: ${String(p.serie)}.`);
    if (!Number.isInteger(p.numero) || p.numero < 1 || p.numero > 999_999_999) throw orderError(`${f}.numero`, `Número da nota referenciada inválido: ${String(p.numero)}.`);
    const mod = p.modelo ?? '01';
    if (mod !== '01' && mod !== '02') throw orderError(`${f}.modelo`, 'Modelo da nota em papel deve ser 01 (1/1A) ou 02 (nota de venda a consumidor).');
    return { refNF: { cUF: UF_CODES[uf]!, AAMM: String(p.aamm), CNPJ: cnpjField(p.cnpj, `${f}.cnpj`, layout), mod, serie: String(p.serie), nNF: String(p.numero) } };
  }
  const key = String(r[form] ?? '').replace(/\s/g, '').toUpperCase();
  const kind = MODEL_OF[form];
  if (!isValidChave(key)) throw orderError(`${field}.${form}`, `Chave de acesso da ${kind.label} referenciada inválida: "${String(r[form])}".`);
  if (key.slice(20, 22) !== kind.mod) throw orderError(`${field}.${form}`, `A chave ${key} é de modelo ${key.slice(20, 22)}, não de ${kind.label} (modelo ${kind.mod}).`);
  return { [kind.tag]: key };
}

/**
 * NFref and the rules of each finalidade SEFAZ checks: devolução needs a referenced
 * document (321), a return CFOP (327) and no payment (871); complementar references exactly
 * one note (254/255); ajuste has no payment either (871).
 */
export function buildReferences(order: Order, layout: NfeLayout): NFref[] | undefined {
  const list = order.referencias ?? [];
  if (!Array.isArray(list)) throw orderError('referencias', 'Documentos referenciados devem ser uma lista.');
  if (list.length > 999) throw orderError('referencias', 'No máximo 999 documentos referenciados.');
  const refs = list.map((r, i) => reference(r, `referencias[${i}]`, layout));
  const fin = order.finalidade ?? 1;
  if (fin === 4 && refs.length === 0) throw ruleError('321', 'referencias', 'NF-e de devolução exige o documento fiscal referenciado (a nota original)');
  if (fin === 2 && refs.length === 0) throw ruleError('254', 'referencias', 'NF-e complementar exige a nota complementada em referencias');
  if (fin === 2 && refs.length > 1) throw ruleError('255', 'referencias', 'NF-e complementar referencia uma única nota');
  return refs.length ? refs : undefined;
}

/** CFOPs of returns (devolução, retorno) SEFAZ accepts with finNFe 4. */
const RETURN_CFOP_SUFFIX = new Set(['201', '202', '203', '204', '208', '209', '210', '211', '212', '410', '411', '412', '413', '503', '504', '553', '555', '556', '660', '661', '662', '918', '919', '921']);

export function isReturnCfop(cfop: string): boolean {
  return /^[1-37][0-9]{3}$|^[5-6][0-9]{3}$/.test(cfop) && RETURN_CFOP_SUFFIX.has(cfop.slice(1));
}

/** 327 for each item of a devolução; 871 for the payment of devolução and ajuste. */
export function checkFinalidade(order: Order, cfops: string[], tPags: string[]): void {
  const fin = order.finalidade ?? 1;
  if (![1, 2, 3, 4].includes(fin)) throw orderError('finalidade', 'Finalidade deve ser 1 (normal), 2 (complementar), 3 (ajuste) ou 4 (devolução).');
  if (fin === 4) {
    cfops.forEach((cfop, i) => {
      if (!isReturnCfop(cfop)) throw ruleError('327', `itens[${i}].cfop`, `NF-e de devolução com CFOP ${cfop}, que não é de devolução (use, p. ex., 1661/2661 na entrada ou 5661/6661 na saída)`);
    });
  }
  if ((fin === 3 || fin === 4) && tPags.some((t) => t !== '90')) {
    throw ruleError('871', 'pagamentos', `NF-e de ${fin === 4 ? 'devolução' : 'ajuste'} não tem pagamento: use a forma 90 (sem pagamento)`);
  }
}
