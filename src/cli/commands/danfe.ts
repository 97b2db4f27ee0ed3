import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defaultProjectPaths } from '../../core/paths';
import { danfeFromXml, loadLayout, renderDanfeEscp, renderDanfePdf, requiredCopies } from '../../core/printing/index';
import { parseFlags, UsageError, type Command } from '../command';

export function readXmlFile(file: string | undefined): string {
  if (!file) throw new UsageError('Informe o arquivo XML da NF-e (nfeProc autorizado).');
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`Não foi possível ler ${file}: ${(err as Error).message}`);
  }
}

export const danfeCommand: Command = {
  name: 'danfe',
  summary: 'Gera o DANFE (PDF A4 ou ESC/P do formulário contínuo) de uma NF-e autorizada',
  usage: `Uso: comboio danfe NFE.xml --pdf SAIDA.pdf [--escp SAIDA.prn [--layout danfe-continuo]]

  NFE.xml          nfeProc (NF-e + protocolo de autorização); NF-e em contingência FS-DA/EPEC também
  --pdf ARQ        grava o DANFE em PDF (A4 retrato)
  --escp ARQ       grava os bytes ESC/P que iriam para a impressora matricial
  --layout NOME    layout do formulário (resources/forms), padrão danfe-continuo
  --vias N         vias no ESC/P (padrão 1; NF-e em FS-DA: no mínimo 2, no formulário de segurança)`,
  async run(argv) {
    const { values, positionals } = parseFlags(argv, { pdf: { type: 'string' }, escp: { type: 'string' }, layout: { type: 'string' }, vias: { type: 'string' } });
    const asked = values.vias === undefined ? 1 : Number(values.vias);
    if (!Number.isInteger(asked) || asked < 1 || asked > 9) throw new UsageError('--vias deve ser um número de 1 a 9.');
    if (!values.pdf && !values.escp) throw new UsageError('Informe --pdf e/ou --escp.');
    const data = await danfeFromXml(readXmlFile(positionals[0]));
    const resourcesDir = defaultProjectPaths().resourcesDir;
    if (values.pdf) {
      const pdf = await renderDanfePdf(data, { resourcesDir });
      writeFileSync(resolve(values.pdf), pdf);
      process.stdout.write(`DANFE da NF-e ${data.numero} série ${data.serie} gravado em ${values.pdf} (${data.itens.length} itens).\n`);
      if (requiredCopies(data) > 1) process.stdout.write(`Contingência FS-DA: imprima ${requiredCopies(data, asked)} vias em formulário de segurança.\n`);
    }
    if (values.escp) {
      const r = renderDanfeEscp(data, loadLayout(resourcesDir, values.layout ?? 'danfe-continuo'));
      // Each via is the whole job again: the form feeds between pages already end every sheet.
      const vias = requiredCopies(data, asked);
      const bytes = Buffer.concat(Array.from({ length: vias }, () => Buffer.from(r.bytes)));
      writeFileSync(resolve(values.escp), bytes);
      process.stdout.write(`ESC/P gravado em ${values.escp}: ${vias} via(s) de ${r.pages} folha(s), ${bytes.length} bytes.\n`);
    }
    return 0;
  },
};
