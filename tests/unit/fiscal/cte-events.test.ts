import { describe, expect, it } from 'vitest';
import { loadA1, makeTestCertificate } from '../../../src/core/fiscal/certificate';
import {
  assertCteEventoValid,
  buildCancelamentoComprovante,
  buildComprovanteEntrega,
  buildCteCancelamento,
  buildCteCartaCorrecao,
  buildDesacordo,
  cteEventoId,
  cumulativeCorrections,
  hashEntrega,
} from '../../../src/core/fiscal/cte';
import { signXml, verifyXmlSignature } from '../../../src/core/fiscal/sign';
import { schemasDir } from '../../helpers/proc';
import { CARRIER_CNPJ } from './helpers/cte-orders';
import { xmlsecVerify } from './helpers/xmlsec';

const CHAVE = '35240511222333000181570010000007891876543210';
const cert = makeTestCertificate({ cnpj: CARRIER_CNPJ, password: 'x' });
const key = loadA1(cert.pfx, 'x');
const base = { cOrgao: '35', tpAmb: '2' as const, autor: CARRIER_CNPJ, chCTe: CHAVE, dhEvento: '2026-11-20T11:00:00-03:00' };

describe('CT-e events', () => {
  it('hashEntrega matches the check value of FISCAL.md (NT 2019.001)', () => {
    expect(hashEntrega(CHAVE, 'iVBORw0KGgo=')).toBe('ppjpdV0pAt6zqqrouT4sFGJ9nO8=');
  });

  it('Id is ID + tpEvento + chave + nSeqEvento in 3 digits (53 digits)', () => {
    expect(cteEventoId('110180', CHAVE, 2)).toBe(`ID110180${CHAVE}002`);
  });

  const events: Array<[string, () => string]> = [
    ['110111 cancelamento', () => buildCteCancelamento({ ...base, nProt: '135260000000001', xJust: 'Frete emitido em duplicidade para o mesmo pedido' })],
    ['110110 CC-e with two infCorrecao groups', () => buildCteCartaCorrecao({ ...base, nSeqEvento: 1, correcoes: [{ grupoAlterado: 'compl', campoAlterado: 'xObs', valorAlterado: 'Entrega pela portaria 2' }, { grupoAlterado: 'infQ', campoAlterado: 'tpMed', valorAlterado: 'VOLUME A 20 GRAUS', nroItemAlterado: 1 }] })],
    ['110180 comprovante de entrega with coordinates and NF-e', () => buildComprovanteEntrega({ ...base, nSeqEvento: 1, nProt: '135260000000001', dhEntrega: '2026-11-20T16:40:00-03:00', nDoc: '12345678909', xNome: 'MARIA RECEBEDORA', latitude: '-23.550520', longitude: '-46.633308', imageBase64: 'iVBORw0KGgo=', dhHashEntrega: '2026-11-20T16:41:00-03:00', chavesNFe: ['35261111222333000181550010000010011481516239'] })],
    ['110181 cancelamento do comprovante', () => buildCancelamentoComprovante({ ...base, nSeqEvento: 1, nProt: '135260000000001', nProtCE: '135260000000002' })],
    ['610110 desacordo by the tomador', () => buildDesacordo({ ...base, autor: '11222333000181', nSeqEvento: 1, xObs: 'Carga entregue com volume menor que o contratado' })],
  ];

  it.each(events)('%s: signed, valid against eventoCTe and its detail schema, verified by xmlsec1', (_name, build) => {
    const signed = signXml(build(), 'infEvento', key);
    expect(() => assertCteEventoValid(signed, schemasDir)).not.toThrow();
    expect(verifyXmlSignature(signed).valid).toBe(true);
    expect(xmlsecVerify(signed, cert.certPem, { tag: 'infEvento', ns: 'http://www.portalfiscal.inf.br/cte' }).code).toBe(0);
  });

  it('the comprovante carries the hash of key + image, not the image', () => {
    const xml = events[2]![1]();
    expect(xml).toContain('<hashEntrega>ppjpdV0pAt6zqqrouT4sFGJ9nO8=</hashEntrega>');
    expect(xml).not.toContain('iVBORw0KGgo=');
  });

  it('CC-e is cumulative: earlier corrections repeat, a new value for the same field wins', () => {
    const first = [{ grupoAlterado: 'compl', campoAlterado: 'xObs', valorAlterado: 'A' }];
    const next = cumulativeCorrections(first, [{ grupoAlterado: 'compl', campoAlterado: 'xObs', valorAlterado: 'B' }, { grupoAlterado: 'ide', campoAlterado: 'natOp', valorAlterado: 'C' }]);
    expect(next).toEqual([{ grupoAlterado: 'compl', campoAlterado: 'xObs', valorAlterado: 'B' }, { grupoAlterado: 'ide', campoAlterado: 'natOp', valorAlterado: 'C' }]);
  });

  it('refuses what a CC-e cannot change, short justifications and observations', () => {
    expect(() => buildCteCartaCorrecao({ ...base, nSeqEvento: 1, correcoes: [{ grupoAlterado: 'vPrest', campoAlterado: 'vTPrest', valorAlterado: '10.00' }] })).toThrow(/não pode alterar/);
    expect(() => buildCteCancelamento({ ...base, nProt: '135260000000001', xJust: 'curta' })).toThrow(/pelo menos 15/);
    expect(() => buildDesacordo({ ...base, nSeqEvento: 1, xObs: 'curta' })).toThrow(/pelo menos 15/);
    expect(() => buildComprovanteEntrega({ ...base, nSeqEvento: 1, nProt: '135260000000001', dhEntrega: base.dhEvento, nDoc: '123', xNome: 'MARIA', imageBase64: '', dhHashEntrega: base.dhEvento })).toThrow(/imagem/);
  });
});
