import { describe, expect, it } from 'vitest';
import { buildChave } from '../../../src/core/fiscal/chave';
import { buildCancelamento, eventsBlockedReason } from '../../../src/core/fiscal/events';
import { validateXml } from '../../../src/core/fiscal/schema-validate';
import { schemasDir } from '../../helpers/proc';

const ALNUM_CNPJ = '12ABC34501DE35';
const chave = buildChave({ cUF: '35', aamm: '2611', emitente: ALNUM_CNPJ, mod: '55', serie: 1, nNF: 77, tpEmis: 1, cNF: '40302010' });
const base = { cOrgao: '35', tpAmb: '2' as const, autor: ALNUM_CNPJ, chNFe: chave, dhEvento: '2026-11-20T10:00:00-03:00', nProt: '135260000000001', xJust: 'Pedido cancelado pelo cliente' };

describe('events for a note of an alphanumeric CNPJ (limit of the PL_010_V1.30 event schemas)', () => {
  it('the document screen is told before the user tries (the reason the cancel button shows); numeric keys are not blocked', () => {
    expect(eventsBlockedReason(chave)).toMatch(/CNPJ alfanumérico/);
    const numeric = buildChave({ cUF: '35', aamm: '2611', emitente: '11222333000181', mod: '55', serie: 1, nNF: 77, tpEmis: 1, cNF: '40302010' });
    expect(eventsBlockedReason(numeric)).toBeNull();
  });

  it('refuses before signing, saying why in Portuguese', () => {
    expect(() => buildCancelamento(base)).toThrow(/CNPJ alfanumérico e os schemas de evento do pacote PL_010_V1.30 ainda só aceitam chaves numéricas/);
  });

  it('is still a limit of the shipped schemas: an event with this key is rejected by envEventoCancNFe (remove the check when this fails)', () => {
    // The event the builder would write, by hand and unsigned: its Id pattern (ID[0-9]{52}) fails.
    const env = (key: string, cnpj: string) => `<envEvento xmlns="http://www.portalfiscal.inf.br/nfe" versao="1.00"><idLote>1</idLote>${eventoXml(key, cnpj)}</envEvento>`;
    const issues = (key: string, cnpj: string) => validateXml(env(key, cnpj), { schemasDir, layout: 'PL_010_V1.30', schemaFile: 'envEventoCancNFe_v1.00.xsd' }).issues.map((i) => `${i.path} ${i.message}`).join('\n');
    const alnum = issues(chave, ALNUM_CNPJ);
    expect(alnum).toMatch(/infEvento.*ID110111/);
    // The same event for a numeric CNPJ gets past the Id (it only lacks the signature here).
    const numeric = buildChave({ cUF: '35', aamm: '2611', emitente: '11222333000181', mod: '55', serie: 1, nNF: 77, tpEmis: 1, cNF: '40302010' });
    expect(issues(numeric, '11222333000181')).not.toMatch(/ID110111/);
  });
});

function eventoXml(chave: string, cnpj: string): string {
  return (
    `<evento xmlns="http://www.portalfiscal.inf.br/nfe" versao="1.00"><infEvento Id="ID110111${chave}01"><cOrgao>35</cOrgao><tpAmb>2</tpAmb><CNPJ>${cnpj}</CNPJ>` +
    `<chNFe>${chave}</chNFe><dhEvento>2026-11-20T10:00:00-03:00</dhEvento><tpEvento>110111</tpEvento><nSeqEvento>1</nSeqEvento><verEvento>1.00</verEvento>` +
    `<detEvento versao="1.00"><descEvento>Cancelamento</descEvento><nProt>135260000000001</nProt><xJust>Pedido cancelado pelo cliente</xJust></detEvento></infEvento></evento>`
  );
}
