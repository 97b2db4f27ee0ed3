import { describe, expect, test } from 'vitest';
import { classifyCStat } from '../../../src/core/sefaz/cstat';
import { enviNFe, nfeProc, readRetConsSitNFe, readRetEnviNFe } from '../../../src/core/sefaz/messages';
import { buildSoapRequest, parseSoap } from '../../../src/core/sefaz/soap';
import { findElements } from '../../../src/core/sefaz/xml';

const PROT =
  '<protNFe versao="4.00"><infProt><tpAmb>2</tpAmb><verAplic>X</verAplic><chNFe>35240511222333000181550010000012341123456789</chNFe><dhRecbto>2024-05-01T10:00:00-03:00</dhRecbto><nProt>135240000000001</nProt><digVal>abc=</digVal><cStat>100</cStat><xMotivo>Autorizado o uso da NF-e</xMotivo></infProt></protNFe>';

describe('SEFAZ messages', () => {
  test('cStat classes follow FISCAL.md', () => {
    expect(['100', '150'].map(classifyCStat)).toEqual(['authorized', 'authorized']);
    expect(['110', '205', '301', '302', '303'].map(classifyCStat)).toEqual(Array(5).fill('denied'));
    expect(['108', '109'].map(classifyCStat)).toEqual(['serviceStopped', 'serviceStopped']);
    expect([classifyCStat('204'), classifyCStat('539'), classifyCStat('656'), classifyCStat('233')]).toEqual(['duplicate', 'numberTaken', 'throttled', 'rejected']);
  });

  test('lote status and protocol status are read apart; protNFe bytes are kept exactly', () => {
    const payload = `<retEnviNFe xmlns="http://www.portalfiscal.inf.br/nfe" versao="4.00"><tpAmb>2</tpAmb><verAplic>X</verAplic><cStat>104</cStat><xMotivo>Lote processado</xMotivo><cUF>35</cUF><dhRecbto>2024-05-01T10:00:00-03:00</dhRecbto>${PROT}</retEnviNFe>`;
    const soap = `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Body><nfeResultMsg xmlns="http://www.portalfiscal.inf.br/nfe/wsdl/NFeAutorizacao4">${payload}</nfeResultMsg></soap:Body></soap:Envelope>`;
    const msg = parseSoap(soap);
    expect(msg.service).toBe('NFeAutorizacao4');
    const r = readRetEnviNFe(msg.payload);
    expect([r.cStat, r.prot?.cStat, r.prot?.nProt]).toEqual(['104', '100', '135240000000001']);
    expect(r.prot?.raw).toBe(PROT);
  });

  test('nfeProc concatenates the signed bytes and the protocol without touching them', () => {
    const nfe = '<?xml version="1.0"?><NFe xmlns="http://www.portalfiscal.inf.br/nfe"><infNFe Id="NFe1">á &amp; b</infNFe></NFe>';
    const proc = nfeProc(nfe, PROT);
    expect(proc).toBe(`<?xml version="1.0" encoding="UTF-8"?><nfeProc xmlns="http://www.portalfiscal.inf.br/nfe" versao="4.00">${nfe.replace('<?xml version="1.0"?>', '')}${PROT}</nfeProc>`);
    expect(enviNFe('1', '1', [nfe])).not.toContain('<?xml');
    expect(() => enviNFe('1', '1', [nfe, nfe])).toThrow(/única/);
  });

  test('SOAP request carries nfeDadosMsg in the service namespace, no header', () => {
    const env = buildSoapRequest('NFeStatusServico4', '<consStatServ/>');
    expect(env).toContain('<soap12:Body><nfeDadosMsg xmlns="http://www.portalfiscal.inf.br/nfe/wsdl/NFeStatusServico4"><consStatServ/></nfeDadosMsg>');
    expect(env).not.toContain('Header');
  });

  test('consulta with events: own cStat, protocol and procEventoNFe list', () => {
    const ev = '<procEventoNFe versao="1.00"><evento versao="1.00"><infEvento Id="ID1"><tpEvento>110110</tpEvento></infEvento></evento><retEvento versao="1.00"><infEvento><cStat>135</cStat><xMotivo>ok</xMotivo><tpEvento>110110</tpEvento><nSeqEvento>1</nSeqEvento><nProt>135240000000009</nProt></infEvento></retEvento></procEventoNFe>';
    const r = readRetConsSitNFe(`<retConsSitNFe versao="4.00"><tpAmb>2</tpAmb><cStat>100</cStat><xMotivo>Autorizado</xMotivo><chNFe>3524</chNFe>${PROT}${ev}</retConsSitNFe>`);
    expect([r.cStat, r.prot?.nProt, r.events.length, r.events[0]?.ret.nSeqEvento]).toEqual(['100', '135240000000001', 1, '1']);
  });

  test('findElements matches nested elements of the same name by depth', () => {
    const els = findElements('<a><x><x>1</x></x><x/></a>', 'x');
    expect(els.map((e) => e.raw)).toEqual(['<x><x>1</x></x>', '<x/>']);
  });
});
