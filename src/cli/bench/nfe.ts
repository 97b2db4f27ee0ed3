import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SignedXml } from 'xml-crypto';
import { loadA1, makeTestCertificate } from '../../core/fiscal/certificate';
import { buildNfe } from '../../core/fiscal/build';
import { emitNfe } from '../../core/fiscal/emit';
import type { Order } from '../../core/fiscal/order';
import { validateXml, type NfeLayout } from '../../core/fiscal/schema-validate';
import { defaultSchemasDir } from '../../core/fiscal/settings';
import { DSIG, verifyXmlSignature } from '../../core/fiscal/sign';
import { projectRoot } from '../../core/paths';
import { parseFlags, UsageError, type Command } from '../command';

const PEER = 'node-sped-nfe';
const PEER_DIR = join(projectRoot, '.bench-peers');
const PEER_ENTRY = join(PEER_DIR, 'node_modules', PEER, 'dist', 'index.js');
const CNPJ = '11222333000181';

interface Row {
  name: string;
  items: number;
  perSec: number;
  msPerDoc: number;
  iterations: number;
  note?: string;
}

async function measure(seconds: number, fn: () => unknown | Promise<unknown>): Promise<{ perSec: number; msPerDoc: number; iterations: number }> {
  await fn(); // warm-up: schema compile, JIT, certificate parse
  const end = performance.now() + seconds * 1000;
  const start = performance.now();
  let n = 0;
  while (performance.now() < end || n < 3) {
    await fn();
    n++;
  }
  const ms = performance.now() - start;
  return { perSec: (n * 1000) / ms, msPerDoc: ms / n, iterations: n };
}

export function benchOrder(items: number): Order {
  const example = JSON.parse(readFileSync(join(projectRoot, 'resources', 'examples', 'diesel-cst61-cnpj.json'), 'utf8')) as Order;
  const product = example.itens[0]!.produto;
  example.itens = Array.from({ length: items }, (_, i) => ({
    produto: { ...product, codigo: `DS10-${i + 1}` },
    quantidade: (1000 + i * 13.5).toFixed(4),
    valorUnitario: '5.8900',
  }));
  return example;
}

interface PeerTools {
  xmlSign(xml: string): Promise<string>;
  validarNFe(xml: string): Promise<unknown>;
}

async function loadPeer(pfx: Buffer, password: string): Promise<PeerTools | string> {
  if (!existsSync(PEER_ENTRY)) {
    return `${PEER} não instalado; rode: npm install --prefix .bench-peers --no-save ${PEER}@1.2.52`;
  }
  const mod = (await import(pathToFileURL(PEER_ENTRY).href)) as { Tools: new (cfg: object, cert: object) => PeerTools };
  return new mod.Tools({ mod: '55', UF: 'SP', tpAmb: 2, versao: '4.00', xmllint: 'xmllint' }, { pfx, senha: password });
}

export const nfeBench: Command = {
  name: 'nfe',
  summary: 'NF-e por segundo (gerar + assinar + validar), lado a lado com node-sped-nfe',
  usage: `Uso: comboio bench nfe [--seconds N] [--layout L] [--schemas PASTA] [--json]

Mede NF-e de 1 e de 50 itens (diesel, CST 61): Comboio (gerar + assinar + validar no schema,
libxml2 em WebAssembly no processo) e, lado a lado, o par ${PEER} instalado só para o
benchmark em .bench-peers/ (npm install --prefix .bench-peers --no-save ${PEER}@1.2.52).
O par não gera NF-e de combustível (tagComb, tagTransporta e CST 61 "não implementado"),
então ele assina e valida o mesmo XML não assinado que o Comboio gerou; a linha "xml-crypto
puro" mostra só a assinatura, sem validação. Duração por linha: --seconds (padrão 3; COMBOIO_BENCH_SECONDS).`,
  async run(argv) {
    const { values } = parseFlags(argv, { seconds: { type: 'string' }, layout: { type: 'string' }, schemas: { type: 'string' }, json: { type: 'boolean' } });
    const seconds = Number(values.seconds ?? process.env.COMBOIO_BENCH_SECONDS ?? 3);
    if (!(seconds > 0)) throw new UsageError(`Duração inválida: ${values.seconds}`);
    const layout = (values.layout ?? 'PL_009_V4') as NfeLayout;
    const schemasDir = values.schemas ?? defaultSchemasDir();
    const password = 'bench';
    const test = makeTestCertificate({ cnpj: CNPJ, password });
    const certificate = loadA1(test.pfx, password);
    const peer = await loadPeer(test.pfx, password);
    const rows: Row[] = [];
    const notes: string[] = [];

    for (const items of [1, 50]) {
      const order = benchOrder(items);
      const unsigned = buildNfe(order, { layout, cNF: '12345678' }).xml;
      rows.push({ name: 'Comboio: gerar + assinar + validar', items, ...(await measure(seconds, () => emitNfe(order, { layout, certificate, schemasDir }))) });
      if (typeof peer === 'string') {
        if (items === 1) notes.push(peer);
      } else {
        const signed = await peer.xmlSign(unsigned);
        const check = verifyXmlSignature(signed);
        const schema = validateXml(signed, { schemasDir, layout });
        if (items === 1) {
          notes.push(
            `${PEER}: assinatura ${check.valid ? 'confere' : `NÃO confere (${check.reason})`}, schema ${schema.valid ? 'válido' : 'inválido'}; ` +
              `XML assinado ${signed === unsigned ? 'igual' : 're-serializado pelo par'} (${signed.length} bytes).`,
          );
        }
        rows.push({
          name: `${PEER}: assinar + validar (xmllint)`,
          items,
          ...(await measure(seconds, async () => {
            const s = await peer.xmlSign(unsigned);
            await peer.validarNFe(s);
          })),
        });
      }
      rows.push({
        name: 'xml-crypto puro: só assinar',
        items,
        ...(await measure(seconds, () => {
          const sig = new SignedXml({ privateKey: certificate.keyPem, publicCert: certificate.certPem, canonicalizationAlgorithm: DSIG.c14n, signatureAlgorithm: DSIG.rsaSha1 });
          sig.addReference({ xpath: "//*[local-name(.)='infNFe']", transforms: [DSIG.enveloped, DSIG.c14n], digestAlgorithm: DSIG.sha1 });
          sig.computeSignature(unsigned, { location: { reference: "//*[local-name(.)='infNFe']", action: 'after' } });
          return sig.getSignedXml();
        })),
      });
    }
    const table = rows;
    if (values.json) {
      process.stdout.write(JSON.stringify({ layout, seconds, rows: table, notes }, null, 2) + '\n');
      return 0;
    }
    process.stdout.write(`comboio bench nfe — ${layout}, ${seconds}s por linha\n\n`);
    const w = Math.max(...table.map((r) => r.name.length));
    process.stdout.write(`${'caso'.padEnd(w)}  itens   NF-e/s   ms/NF-e\n`);
    for (const r of table) process.stdout.write(`${r.name.padEnd(w)}  ${String(r.items).padStart(5)}  ${r.perSec.toFixed(1).padStart(7)}  ${r.msPerDoc.toFixed(2).padStart(8)}\n`);
    for (const items of [1, 50]) {
      const ours = table.find((r) => r.items === items && r.name.startsWith('Comboio'));
      const theirs = table.find((r) => r.items === items && r.name.startsWith(PEER));
      if (ours && theirs) process.stdout.write(`\n${items} item(ns): Comboio ${(ours.perSec / theirs.perSec).toFixed(1)}× o par (que nem inclui a geração).`);
    }
    process.stdout.write('\n\n' + notes.map((n) => `Nota: ${n}`).join('\n') + '\n');
    return 0;
  },
};
