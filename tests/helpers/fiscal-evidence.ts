import { buildChave } from '../../src/core/fiscal/chave';
import { makeTestCa, makeTestCertificate, makeTestServerCertificate, type KeyPairPem } from '../../src/core/fiscal/certificate';
import { buildInutilizacao } from '../../src/core/fiscal/inutilizacao';
import { signXml } from '../../src/core/fiscal/sign';
import { procInutNFe } from '../../src/core/sefaz/messages';
import type { SeriesKey } from '../../src/core/numbering/protocol';

const NFE_NS = 'http://www.portalfiscal.inf.br/nfe';

interface Kit {
  /** The "SEFAZ" root the server trusts in tests (stands for ICP-Brasil). */
  ca: KeyPairPem;
  /** SEFAZ's signing certificate, issued by `ca`. */
  sefaz: KeyPairPem;
  /** Anyone's self-signed certificate (what a forger has). */
  forger: KeyPairPem;
}

let kit: Kit | null = null;
/** One set of certificates per test worker (RSA keys cost ~100 ms each). */
export function evidenceKit(): Kit {
  kit ??= (() => {
    const ca = makeTestCa({ commonName: 'SEFAZ de teste AC Raiz' });
    return { ca, sefaz: makeTestServerCertificate({ hostnames: ['sefaz.teste'], issuer: ca }), forger: makeTestServerCertificate({ hostnames: ['forjado'] }) };
  })();
  return kit;
}

const emitters = new Map<string, KeyPairPem>();
/** The emitter's A1 (CNPJ in the certificate, as ICP-Brasil puts it). */
export function emitterCert(cnpj: string): KeyPairPem {
  let c = emitters.get(cnpj);
  if (!c) {
    const made = makeTestCertificate({ cnpj, password: 'x' });
    c = { certPem: made.certPem, keyPem: made.keyPem };
    emitters.set(cnpj, c);
  }
  return c;
}

export interface ProcInutOptions {
  cStat?: string;
  /** Who signs the SEFAZ answer (default: SEFAZ's certificate). */
  signer?: KeyPairPem;
  /** The range SEFAZ's answer states (default: the same as the request). */
  answered?: { first: number; last: number };
  /** Change the answer's text after signing. */
  tamper?: (signedRet: string) => string;
}

/** A procInutNFe as SEFAZ returns it: emitter-signed inutNFe + SEFAZ-signed retInutNFe. */
export function procInut(series: SeriesKey, first: number, last: number, o: ProcInutOptions = {}): string {
  const mod = String(series.model) as '55';
  const inut = buildInutilizacao({ tpAmb: '2', cUF: '35', ano: '26', cnpj: series.cnpj, mod, serie: series.serie, nNFIni: first, nNFFin: last, xJust: 'Numeros pulados por falha do sistema' });
  const signedInut = signXml(inut, 'infInut', emitterCert(series.cnpj));
  const cStat = o.cStat ?? '102';
  const nProt = '135260000012345';
  const a = o.answered ?? { first, last };
  const ret =
    `<retInutNFe xmlns="${NFE_NS}" versao="4.00"><infInut Id="ID${nProt}"><tpAmb>2</tpAmb><verAplic>SP_NFE_PL_009_V4</verAplic>` +
    `<cStat>${cStat}</cStat><xMotivo>Inutilizacao de numero homologado</xMotivo><cUF>35</cUF><ano>26</ano><CNPJ>${series.cnpj}</CNPJ><mod>${mod}</mod>` +
    `<serie>${series.serie}</serie><nNFIni>${a.first}</nNFIni><nNFFin>${a.last}</nNFFin><dhRecbto>2026-03-10T09:00:00-03:00</dhRecbto><nProt>${nProt}</nProt></infInut></retInutNFe>`;
  let signedRet = signXml(ret, 'infInut', o.signer ?? evidenceKit().sefaz);
  if (o.tamper) signedRet = o.tamper(signedRet);
  return procInutNFe(signedInut, signedRet);
}

export interface NfeOptions {
  /** Who signs the NF-e (default: the emitter's own certificate). */
  signer?: KeyPairPem;
  /** The number ide states (default: the chave's). */
  ideNumber?: number;
}

/** A minimal authorized nfeProc of `series` nº `number`: signed by the emitter, protNFe 100. */
export function signedNfe(series: SeriesKey, number: number, o: NfeOptions = {}): string {
  const chave = buildChave({ cUF: '35', aamm: '2603', emitente: series.cnpj, mod: String(series.model), serie: series.serie, nNF: number, tpEmis: 1, cNF: '12345678' });
  const nfe =
    `<NFe xmlns="${NFE_NS}"><infNFe Id="NFe${chave}" versao="4.00"><ide><cUF>35</cUF><mod>${series.model}</mod><serie>${series.serie}</serie>` +
    `<nNF>${o.ideNumber ?? number}</nNF></ide><emit><CNPJ>${series.cnpj}</CNPJ><xNome>EMPRESA DE TESTE LTDA</xNome></emit></infNFe></NFe>`;
  const signed = signXml(nfe, 'infNFe', o.signer ?? emitterCert(series.cnpj));
  return (
    `<?xml version="1.0" encoding="UTF-8"?><nfeProc xmlns="${NFE_NS}" versao="4.00">${signed}` +
    `<protNFe versao="4.00"><infProt><tpAmb>2</tpAmb><chNFe>${chave}</chNFe><cStat>100</cStat><xMotivo>Autorizado o uso da NF-e</xMotivo><nProt>135260000000001</nProt></infProt></protNFe></nfeProc>`
  );
}
