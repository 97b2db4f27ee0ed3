import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defaultProjectPaths } from '../../core/paths';
import { dacteFromXml, loadLayout, renderDacteEscp, renderDactePdf } from '../../core/printing/index';
import { parseFlags, UsageError, type Command } from '../command';
import { readXmlFile } from './danfe';

export const dacteCommand: Command = {
  name: 'dacte',
  summary: 'Gera o DACTE (PDF A4 ou ESC/P do formulário contínuo) de um CT-e',
  usage: `Uso: comboio dacte CTE.xml --pdf SAIDA.pdf [--escp SAIDA.prn [--layout dacte-continuo]]

  CTE.xml          cteProc (CT-e + protocolo) ou o CT-e assinado (sai marcado "não autorizado")
  --pdf ARQ        grava o DACTE em PDF (A4 retrato)
  --escp ARQ       grava os bytes ESC/P que iriam para a impressora matricial
  --layout NOME    layout do formulário (resources/forms), padrão dacte-continuo`,
  async run(argv) {
    const { values, positionals } = parseFlags(argv, { pdf: { type: 'string' }, escp: { type: 'string' }, layout: { type: 'string' } });
    if (!values.pdf && !values.escp) throw new UsageError('Informe --pdf e/ou --escp.');
    const data = dacteFromXml(readXmlFile(positionals[0]));
    const resourcesDir = defaultProjectPaths().resourcesDir;
    if (values.pdf) {
      writeFileSync(resolve(values.pdf), await renderDactePdf(data, { resourcesDir }));
      process.stdout.write(`DACTE do CT-e ${data.numero} série ${data.serie} gravado em ${values.pdf} (${data.documentos.length} documento(s)).\n`);
    }
    if (values.escp) {
      const r = renderDacteEscp(data, loadLayout(resourcesDir, values.layout ?? 'dacte-continuo'));
      writeFileSync(resolve(values.escp), r.bytes);
      process.stdout.write(`ESC/P gravado em ${values.escp}: ${r.pages} folha(s), ${r.bytes.length} bytes.\n`);
    }
    return 0;
  },
};
