import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { makeTestCertificate } from '../../../src/core/fiscal/certificate';
import { signXml, verifyXmlSignature, verifyXmlSignatures } from '../../../src/core/fiscal/sign';
import { xmlsecVerify } from './helpers/xmlsec';

const ID = 'NFe35240511222333000181550010000012341123456789';
// A fixed document: its canonical form, hence its SHA-1 digest, must never change.
const DOC =
  `<NFe xmlns="http://www.portalfiscal.inf.br/nfe"><infNFe versao="4.00" Id="${ID}">` +
  `<ide><cUF>35</cUF><natOp>VENDA DE COMBUSTÍVEL &amp; LUBRIFICANTE</natOp><nNF>1234</nNF></ide>` +
  `<emit><CNPJ>11222333000181</CNPJ><xNome>POSTO "A" &lt;TESTE&gt; LTDA</xNome></emit>` +
  `<det nItem="1"><prod><qCom>1000.0000</qCom></prod></det></infNFe></NFe>`;
const PINNED_DIGEST = '9lbt85ydSNsTLPzGwgrHUf5gKa0=';
// Its C14N 1.0 form written by hand: inherited xmlns first, attributes sorted, `"` left raw in text.
const CANONICAL =
  `<infNFe xmlns="http://www.portalfiscal.inf.br/nfe" Id="${ID}" versao="4.00">` +
  `<ide><cUF>35</cUF><natOp>VENDA DE COMBUSTÍVEL &amp; LUBRIFICANTE</natOp><nNF>1234</nNF></ide>` +
  `<emit><CNPJ>11222333000181</CNPJ><xNome>POSTO "A" &lt;TESTE&gt; LTDA</xNome></emit>` +
  `<det nItem="1"><prod><qCom>1000.0000</qCom></prod></det></infNFe>`;

const cert = makeTestCertificate({ cnpj: '11222333000181', password: 'x' });

describe('signXml', () => {
  const signed = signXml(DOC, 'infNFe', cert);

  it('adds exactly the SEFAZ signature after infNFe and changes nothing else', () => {
    const sigStart = signed.indexOf('<Signature');
    expect(signed.slice(0, sigStart) + signed.slice(signed.indexOf('</Signature>') + '</Signature>'.length)).toBe(DOC);
    expect(signed.slice(sigStart - '</infNFe>'.length, sigStart)).toBe('</infNFe>');
    expect(signed).toContain('<Signature xmlns="http://www.w3.org/2000/09/xmldsig#">');
    expect(signed).toContain('<CanonicalizationMethod Algorithm="http://www.w3.org/TR/2001/REC-xml-c14n-20010315"/>');
    expect(signed).toContain('<SignatureMethod Algorithm="http://www.w3.org/2000/09/xmldsig#rsa-sha1"/>');
    expect(signed).toContain(
      `<Reference URI="#${ID}"><Transforms><Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>` +
        `<Transform Algorithm="http://www.w3.org/TR/2001/REC-xml-c14n-20010315"/></Transforms>` +
        `<DigestMethod Algorithm="http://www.w3.org/2000/09/xmldsig#sha1"/>`,
    );
    expect(signed.match(/<X509Certificate>/g)).toHaveLength(1);
    expect(signed).not.toContain('Id="_0"');
    expect(signed).not.toMatch(/>\s+</);
  });

  it('pins the canonicalisation: fixed document, fixed SHA-1 digest', () => {
    expect(createHash('sha1').update(CANONICAL, 'utf8').digest('base64')).toBe(PINNED_DIGEST);
    expect(signed.match(/<DigestValue>([^<]+)<\/DigestValue>/)?.[1]).toBe(PINNED_DIGEST);
  });

  it('is verified by xmlsec1 and by verifyXmlSignature', () => {
    const r = xmlsecVerify(signed, cert.certPem);
    expect(r.output).toContain('OK');
    expect(r.code).toBe(0);
    expect(verifyXmlSignature(signed)).toMatchObject({ valid: true, referenceId: ID });
  });

  it('detects any change after signing', () => {
    const tampered = signed.replace('<nNF>1234</nNF>', '<nNF>1235</nNF>');
    expect(xmlsecVerify(tampered, cert.certPem).code).not.toBe(0);
    const check = verifyXmlSignature(tampered);
    expect(check.valid).toBe(false);
    expect(check.reason).toMatch(/DigestValue/);
    const forged = signed.replace(/<SignatureValue>(.)/, (_m, c: string) => `<SignatureValue>${c === 'A' ? 'B' : 'A'}`);
    expect(verifyXmlSignature(forged).valid).toBe(false);
  });

  it('verifies each signature inside a wrapper (enviNFe with two NFe)', () => {
    const other = signXml(DOC.replace(ID, ID.slice(0, -1) + '0'), 'infNFe', cert);
    const lote = `<enviNFe xmlns="http://www.portalfiscal.inf.br/nfe" versao="4.00"><idLote>1</idLote><indSinc>0</indSinc>${signed}${other}</enviNFe>`;
    expect(verifyXmlSignatures(lote).map((c) => c.valid)).toEqual([true, true]);
  });

  it('refuses an element without Id instead of letting xml-crypto inject Id="_0"', () => {
    expect(() => signXml(DOC.replace(` Id="${ID}"`, ''), 'infNFe', cert)).toThrow(/atributo Id/);
    expect(() => signXml(DOC, 'infEvento', cert)).toThrow(/não encontrado/);
  });

  it('signs other elements the same way (infEvento)', () => {
    const ev = `<evento xmlns="http://www.portalfiscal.inf.br/nfe" versao="1.00"><infEvento Id="ID1101113524051122233300018155001000001234112345678901"><cOrgao>35</cOrgao></infEvento></evento>`;
    const s = signXml(ev, 'infEvento', cert);
    expect(s).toMatch(/<\/infEvento><Signature/);
    expect(xmlsecVerify(s, cert.certPem, { tag: 'infEvento', ns: 'http://www.portalfiscal.inf.br/nfe' }).code).toBe(0);
  });
});
