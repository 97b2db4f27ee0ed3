import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadA1 } from '../../../core/fiscal/certificate';
import { emitNfe } from '../../../core/fiscal/emit';
import type { Order } from '../../../core/fiscal/order';
import { NFE_LAYOUTS, type NfeLayout } from '../../../core/fiscal/schema-validate';
import { defaultSchemasDir } from '../../../core/fiscal/settings';
import { parseFlags, requireFlag, UsageError, type Command, CERT_PASSWORD_FLAGS, CERT_PASSWORD_USAGE, certPassword } from '../../command';

export function parseLayout(value: string | undefined, fallback: NfeLayout = 'PL_009_V4'): NfeLayout {
  if (value === undefined) return fallback;
  if (!(NFE_LAYOUTS as readonly string[]).includes(value)) throw new UsageError(`Leiaute inválido: ${value} (use ${NFE_LAYOUTS.join(' ou ')}).`);
  return value as NfeLayout;
}

function readOrder(file: string): Order {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`Não foi possível ler o pedido ${file}: ${(err as Error).message}`);
  }
  try {
    return JSON.parse(text) as Order;
  } catch (err) {
    throw new UsageError(`Pedido ${file} não é um JSON válido: ${(err as Error).message}`);
  }
}

export const nfeEmitCommand: Command = {
  name: 'emit',
  summary: 'Gera, assina e valida a NF-e de um pedido (JSON)',
  usage: `Uso: comboio nfe emit --order PEDIDO.json [--order OUTRO.json …] --cert a1.pfx --password-file ARQ --out PASTA [opções]

  --order ARQ        pedido no formato JSON do Comboio (veja resources/examples/); repita para vários
  --cert ARQ         certificado A1 (.pfx/.p12) do emitente
${CERT_PASSWORD_USAGE}
  --layout L         PL_009_V4 (padrão) ou PL_010_V1.30 (IBS/CBS, CNPJ alfanumérico)
  --schemas PASTA    pasta dos schemas oficiais (padrão: COMBOIO_SCHEMAS ou ../shared/schemas)
  --out PASTA        onde gravar <chave>-nfe.xml (nada é gravado se houver erro)`,
  async run(argv) {
    const { values } = parseFlags(argv, {
      order: { type: 'string', multiple: true },
      cert: { type: 'string' },
      ...CERT_PASSWORD_FLAGS,
      layout: { type: 'string' },
      schemas: { type: 'string' },
      out: { type: 'string' },
    });
    const orderFiles = values.order ?? [];
    if (orderFiles.length === 0) throw new UsageError('Falta o parâmetro --order.');
    const certFile = requireFlag(values.cert, 'cert');
    const password = certPassword(values);
    const outDir = resolve(requireFlag(values.out, 'out'));
    const schemasDir = resolve(values.schemas ?? defaultSchemasDir());
    let pfx: Buffer;
    try {
      pfx = readFileSync(certFile);
    } catch (err) {
      throw new UsageError(`Não foi possível ler o certificado ${certFile}: ${(err as Error).message}`);
    }
    const certificate = loadA1(pfx, password);
    // Every order is built, signed and validated before anything is written: one bad order
    // in a batch leaves the folder untouched.
    const emitted = orderFiles.map((f) => {
      const order = readOrder(f);
      const layout = parseLayout(values.layout, order.layout);
      return { layout, nfe: emitNfe(order, { layout, certificate, schemasDir }) };
    });
    mkdirSync(outDir, { recursive: true });
    for (const { layout, nfe } of emitted) {
      const file = join(outDir, `${nfe.chave}-nfe.xml`);
      // The signed characters are the record: written as they are, no declaration, no reformatting.
      writeFileSync(file, nfe.signedXml, { encoding: 'utf8', flag: 'wx' });
      for (const n of nfe.notices) process.stderr.write(`Aviso: ${n}\n`);
      const t = nfe.model.infNFe.total.ICMSTot;
      process.stdout.write(
        `NF-e ${nfe.model.infNFe.ide.serie}/${nfe.model.infNFe.ide.nNF} assinada e válida (${layout}).\n` +
          `  Chave: ${nfe.chave}\n  Emissão: ${nfe.model.infNFe.ide.dhEmi}\n  Itens: ${nfe.model.infNFe.det.length}  Total: R$ ${t.vNF}\n  Arquivo: ${file}\n`,
      );
    }
    for (const w of certificate.warnings) process.stderr.write(`Aviso: ${w.message}\n`);
    return 0;
  },
};
