import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadA1 } from '../../../core/fiscal/certificate';
import { cteOrderFromNfes, emitCte, type CteFromNfeBase, type CteOrder } from '../../../core/fiscal/cte/index';
import { parseNfe } from '../../../core/fiscal/parse';
import { defaultSchemasDir } from '../../../core/fiscal/settings';
import { parseFlags, requireFlag, UsageError, type Command, CERT_PASSWORD_FLAGS, CERT_PASSWORD_USAGE, certPassword } from '../../command';

function readText(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`Não foi possível ler ${what} ${file}: ${(err as Error).message}`);
  }
}

function readJson<T>(file: string): T {
  const text = readText(file, 'o pedido de frete');
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    throw new UsageError(`Pedido de frete ${file} não é um JSON válido: ${(err as Error).message}`);
  }
}

export const cteEmitCommand: Command = {
  name: 'emit',
  summary: 'Gera, assina e valida o CT-e de um pedido de frete (JSON), opcionalmente a partir das NF-e',
  usage: `Uso: comboio cte emit --order FRETE.json [--nfe NFE.xml ...] --cert a1.pfx --password-file ARQ --out PASTA

  --order ARQ        pedido de frete no formato JSON do Comboio (veja resources/examples/cte/)
  --nfe ARQ          NF-e faturada (nfeProc ou NFe) a transportar; repita para várias. Com --nfe,
                     remetente, destinatário, carga, quantidades e chaves vêm das notas
                     (o pedido traz só transportadora, tomador, preço, ICMS e RNTRC)
  --cert ARQ         certificado A1 (.pfx/.p12) da transportadora
${CERT_PASSWORD_USAGE}
  --schemas PASTA    pasta dos schemas oficiais (padrão: COMBOIO_SCHEMAS ou ../shared/schemas)
  --out PASTA        onde gravar <chave>-cte.xml (nada é gravado se houver erro)`,
  async run(argv) {
    const { values } = parseFlags(argv, {
      order: { type: 'string' },
      nfe: { type: 'string', multiple: true },
      cert: { type: 'string' },
      ...CERT_PASSWORD_FLAGS,
      schemas: { type: 'string' },
      out: { type: 'string' },
    });
    const orderFile = requireFlag(values.order, 'order');
    const certFile = requireFlag(values.cert, 'cert');
    const password = certPassword(values);
    const outDir = resolve(requireFlag(values.out, 'out'));
    const nfeFiles = values.nfe ?? [];
    const order: CteOrder = nfeFiles.length
      ? cteOrderFromNfes(nfeFiles.map((f) => parseNfe(readText(f, 'a NF-e'))), readJson<CteFromNfeBase>(orderFile))
      : readJson<CteOrder>(orderFile);
    const certificate = loadA1(readFileSync(certFile), password);
    const cte = emitCte(order, { certificate, schemasDir: resolve(values.schemas ?? defaultSchemasDir()) });
    mkdirSync(outDir, { recursive: true });
    const file = join(outDir, `${cte.chave}-cte.xml`);
    // The signed characters are the record: written as they are, never overwritten.
    writeFileSync(file, cte.signedXml, { encoding: 'utf8', flag: 'wx' });
    for (const w of cte.warnings) process.stderr.write(`Aviso: ${w.message}\n`);
    const inf = cte.model.infCte;
    process.stdout.write(
      `CT-e ${inf.ide.serie}/${inf.ide.nCT} assinado e válido (PL_CTe_400).\n` +
        `  Chave: ${cte.chave}\n  NF-e transportadas: ${inf.infCTeNorm.infDoc?.infNFe?.length ?? 0}  Prestação: R$ ${inf.vPrest.vTPrest}\n  Arquivo: ${file}\n`,
    );
    return 0;
  },
};
