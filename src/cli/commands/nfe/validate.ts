import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseNfe } from '../../../core/fiscal/parse';
import { validateXml } from '../../../core/fiscal/schema-validate';
import { defaultSchemasDir } from '../../../core/fiscal/settings';
import { verifyXmlSignatures } from '../../../core/fiscal/sign';
import { parseFlags, UsageError, type Command } from '../../command';
import { parseLayout } from './emit';

export const nfeValidateCommand: Command = {
  name: 'validate',
  summary: 'Valida um XML de NF-e (NFe ou nfeProc) contra os schemas e confere a assinatura',
  usage: `Uso: comboio nfe validate ARQUIVO.xml [--schemas PASTA] [--layout PL_009_V4|PL_010_V1.30] [--engine wasm|xmllint]

Sem --layout, o leiaute é deduzido do conteúdo (grupos IBS/CBS ou CNPJ alfanumérico → PL_010_V1.30).`,
  async run(argv) {
    const { values, positionals } = parseFlags(argv, { schemas: { type: 'string' }, layout: { type: 'string' }, engine: { type: 'string' } });
    const file = positionals[0];
    if (!file) throw new UsageError('Informe o arquivo XML a validar.');
    if (values.engine !== undefined && values.engine !== 'wasm' && values.engine !== 'xmllint') throw new UsageError(`Motor inválido: ${values.engine}`);
    let xml: string;
    try {
      xml = readFileSync(file, 'utf8');
    } catch (err) {
      throw new UsageError(`Não foi possível ler ${file}: ${(err as Error).message}`);
    }
    const model = parseNfe(xml);
    const layout = parseLayout(values.layout, model.layout);
    const result = validateXml(xml, { schemasDir: resolve(values.schemas ?? defaultSchemasDir()), layout, ...(values.engine ? { engine: values.engine } : {}) });
    const signatures = verifyXmlSignatures(xml);
    const badSig = signatures.filter((s) => !s.valid);
    if (result.valid && badSig.length === 0) {
      process.stdout.write(`XML válido (${layout}) e assinatura conferida.\n  Chave: ${model.chave}\n`);
      return 0;
    }
    for (const issue of result.issues) process.stdout.write(`Schema: ${issue.message}${issue.path ? ` [${issue.path}]` : ''}\n`);
    for (const s of badSig) process.stdout.write(`Assinatura: ${s.reason}\n`);
    process.stderr.write(`comboio: XML inválido: ${result.issues.length} erro(s) de schema, ${badSig.length} de assinatura. [${result.valid ? 'SIGNATURE_INVALID' : 'SCHEMA_INVALID'}]\n`);
    return 1;
  },
};
