import { defaultSchemasDir } from '../../src/core/fiscal/settings';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadA1, makeTestCertificate, type A1Certificate } from '../../src/core/fiscal/certificate';
import { emitNfe } from '../../src/core/fiscal/emit';
import type { Order } from '../../src/core/fiscal/order';

/**
 * FIXTURE — not a SEFAZ authorization. Emits a real signed NF-e (comboio's builder, a test
 * A1 certificate) from resources/examples and wraps it in an nfeProc with a made-up
 * protNFe (cStat 100), so DANFE code can be tested without a SEFAZ in the loop.
 */
const root = join(import.meta.dirname, '..', '..');
let cert: A1Certificate | undefined;

function certificate(): A1Certificate {
  cert ??= loadA1(makeTestCertificate({ cnpj: '11222333000181', password: 'fixture', keyBits: 1024 }).pfx, 'fixture');
  return cert;
}

export interface NfeFixture {
  chave: string;
  /** The signed NFe (not authorized: refused by print/danfe). */
  signedXml: string;
  /** nfeProc = signed NFe + fixture protNFe. */
  nfeProcXml: string;
  nProt: string;
}

export function authorizedNfeFixture(opts: { items?: number; numero?: number; schemasDir?: string; cStat?: string } = {}): NfeFixture {
  const order = JSON.parse(readFileSync(join(root, 'resources', 'examples', 'diesel-cst61-cnpj.json'), 'utf8')) as Order;
  const base = order.itens[0]!;
  const n = opts.items ?? 1;
  order.numero = opts.numero ?? 1001;
  order.destinatario.razaoSocial = 'AUTO POSTO CORAÇÃO DE MARIA LTDA';
  order.itens = Array.from({ length: n }, (_, i) => ({
    ...base,
    produto: { ...base.produto, codigo: `DS10-${String(i + 1).padStart(3, '0')}`, descricao: `ÓLEO DIESEL B S10 AÇÃO ${i + 1}` },
    quantidade: `${1000 + i * 10}.0000`,
  }));
  const emitted = emitNfe(order, { layout: 'PL_009_V4', certificate: certificate(), schemasDir: opts.schemasDir ?? defaultSchemasDir() });
  const digVal = /<DigestValue>([^<]+)<\/DigestValue>/.exec(emitted.signedXml)![1]!;
  const nProt = `1${emitted.chave.slice(0, 2)}${String(order.numero).padStart(12, '0')}`;
  const prot =
    `<protNFe versao="4.00"><infProt><tpAmb>2</tpAmb><verAplic>FIXTURE-SEM-SEFAZ</verAplic><chNFe>${emitted.chave}</chNFe>` +
    `<dhRecbto>2026-11-20T08:31:05-03:00</dhRecbto><nProt>${nProt}</nProt><digVal>${digVal}</digVal>` +
    `<cStat>${opts.cStat ?? '100'}</cStat><xMotivo>Autorizado o uso da NF-e</xMotivo></infProt></protNFe>`;
  return {
    chave: emitted.chave,
    signedXml: emitted.signedXml,
    nfeProcXml: `<nfeProc xmlns="http://www.portalfiscal.inf.br/nfe" versao="4.00">${emitted.signedXml}${prot}</nfeProc>`,
    nProt,
  };
}
