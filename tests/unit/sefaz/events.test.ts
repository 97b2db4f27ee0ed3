import { describe, expect, test } from 'vitest';
import { makeTestCertificate } from '../../../src/core/fiscal/certificate';
import { buildCancelamento, buildCartaCorrecao, cumulativeCorrection, eventoId } from '../../../src/core/fiscal/events';
import { buildInutilizacao, inutId } from '../../../src/core/fiscal/inutilizacao';
import { validateXml } from '../../../src/core/fiscal/schema-validate';
import { signXml, verifyXmlSignature } from '../../../src/core/fiscal/sign';
import { envEvento } from '../../../src/core/sefaz/messages';
import { schemasDir } from '../../helpers/proc';

const CHAVE = '35240511222333000181550010000012341123456789';
const cert = makeTestCertificate({ cnpj: '11222333000181', password: 'x', keyBits: 1024 });
const base = { cOrgao: '35', tpAmb: '2' as const, autor: '11222333000181', chNFe: CHAVE, dhEvento: '2024-05-01T10:00:00-03:00' };
const valid = (xml: string, schemaFile: string) => validateXml(xml, { schemasDir, layout: 'PL_009_V4', schemaFile }).issues;

describe('event and inutilização builders', () => {
  test('Ids follow the layouts', () => {
    expect(eventoId('110111', CHAVE, 1)).toBe(`ID110111${CHAVE}01`);
    expect(inutId({ cUF: '35', ano: '24', cnpj: '11222333000181', mod: '55', serie: 1, nNFIni: 5, nNFFin: 10 })).toBe('ID35241122233300018155001000000005000000010');
  });

  test('signed cancelamento is valid for envEventoCancNFe and its signature verifies', () => {
    const signed = signXml(buildCancelamento({ ...base, nProt: '135240000000001', xJust: '  Cliente   desistiu da compra ' }), 'infEvento', cert);
    expect(signed).toContain('<xJust>Cliente desistiu da compra</xJust>');
    expect(verifyXmlSignature(signed).valid).toBe(true);
    expect(valid(envEvento('1', [signed]), 'envEventoCancNFe_v1.00.xsd')).toEqual([]);
  });

  test('signed CC-e carries the fixed condições de uso and is schema-valid', () => {
    const signed = signXml(buildCartaCorrecao({ ...base, nSeqEvento: 2, xCorrecao: 'Placa & reboque: ABC1D23 <tanque 2>' }), 'infEvento', cert);
    expect(valid(envEvento('1', [signed]), 'envCCe_v1.00.xsd')).toEqual([]);
    expect(signed).toContain('<nSeqEvento>2</nSeqEvento>');
  });

  test('inutilização: no leading zeros in tags, schema-valid, range limits enforced', () => {
    const signed = signXml(buildInutilizacao({ tpAmb: '2', cUF: '35', ano: '24', cnpj: '11222333000181', mod: '55', serie: 1, nNFIni: 5, nNFFin: 10, xJust: 'Falha na sequencia de numeracao' }), 'infInut', cert);
    expect(signed).toContain('<serie>1</serie><nNFIni>5</nNFIni>');
    expect(valid(signed, 'inutNFe_v4.00.xsd')).toEqual([]);
    const input = { tpAmb: '2' as const, cUF: '35', ano: '24', cnpj: '11222333000181', mod: '55' as const, serie: 1, xJust: 'Falha na sequencia de numeracao' };
    expect(() => buildInutilizacao({ ...input, nNFIni: 1, nNFFin: 10_001 })).toThrow(/10\.000/);
    expect(() => buildInutilizacao({ ...input, nNFIni: 9, nNFFin: 5 })).toThrow(/invertida/);
  });

  test('justificativa and correction texts are checked before anything is signed', () => {
    expect(() => buildCancelamento({ ...base, nProt: '135240000000001', xJust: 'curta' })).toThrow(/pelo menos 15/);
    expect(() => buildCartaCorrecao({ ...base, nSeqEvento: 21, xCorrecao: 'texto suficientemente longo' })).toThrow(/entre 1 e 20/);
    expect(() => buildCartaCorrecao({ ...base, nSeqEvento: 1, xCorrecao: 'emoji não aceito 🚚 aqui' })).toThrow(/não é aceito/);
  });

  test('CC-e text accumulates earlier corrections', () => {
    expect(cumulativeCorrection(undefined, 'primeira correcao feita')).toBe('primeira correcao feita');
    expect(cumulativeCorrection('primeira', 'segunda')).toBe('primeira; segunda');
    expect(cumulativeCorrection('primeira', 'primeira; segunda revisada')).toBe('primeira; segunda revisada');
  });
});
