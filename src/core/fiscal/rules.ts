import { orderError } from './errors';

/**
 * SEFAZ rules that the schema does not express and Comboio checks before signing, so a note
 * SEFAZ would reject is never written, signed or numbered. The README lists this table.
 */
export const LOCAL_RULES: Readonly<Record<string, string>> = {
  '213': 'CNPJ do certificado diferente do CNPJ base do emitente',
  '254': 'NF-e complementar sem documento referenciado',
  '255': 'NF-e complementar com mais de um documento referenciado',
  '321': 'NF-e de devolução sem documento fiscal referenciado',
  '327': 'NF-e de devolução com CFOP que não é de devolução',
  '362': 'Venda de combustível sem transportador, ou transportador sem CNPJ/CPF',
  '559': 'Inscrição estadual do transportador sem a UF',
  '598': 'Destinatário em homologação sem o nome padrão',
  '610': 'Total da NF-e diferente da soma dos itens, frete, seguro, outras, ICMS-ST e monofásico retido',
  '629': 'Valor do produto diferente de quantidade × valor unitário',
  '660': 'CFOP de combustível sem o grupo de combustível (código ANP)',
  '855': 'GLP sem os percentuais pGLP, pGNn e pGNi (ou soma diferente de 100%)',
  '856': 'GLP sem o valor de partida (vPart)',
  '868': 'Veículo ou reboque informado em operação interestadual',
  '871': 'Devolução ou ajuste com forma de pagamento diferente de 90 (sem pagamento)',
};

/** An order error for a SEFAZ rule: the pt-BR message ends with the rejection number. */
export function ruleError(rule: keyof typeof LOCAL_RULES & string, field: string, message: string) {
  return orderError(field, `${message} (rejeição ${rule}).`);
}
