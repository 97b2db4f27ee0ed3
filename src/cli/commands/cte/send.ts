import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { SefazOutbox } from '../../../core/sefaz/index';
import { UsageError, parseFlags, type Command } from '../../command';
import { SEFAZ_FLAGS, SEFAZ_USAGE, openCteCli, reportTransmission } from './sefaz';

export const cteSendCommand: Command = {
  name: 'send',
  summary: 'Transmite um CT-e assinado (CTeRecepcaoSincV4) e grava <chave>-procCTe.xml',
  usage: `Uso: comboio cte send ARQ-cte.xml --uf UF --cert ARQ.pfx --password SENHA [opções]

${SEFAZ_USAGE}
  --wait S            segundos esperando a SEFAZ antes de deixar na fila (padrão 120)

O CT-e entra na mesma fila da estação que as NF-e: SEFAZ fora do ar → "aguardando SEFAZ" e
nova tentativa automática; depois de uma resposta perdida, a chave é consultada antes de
qualquer reenvio.`,
  async run(argv) {
    const { values, positionals } = parseFlags(argv, { ...SEFAZ_FLAGS, wait: { type: 'string' } });
    if (!positionals[0]) throw new UsageError('Informe o arquivo do CT-e assinado.');
    const signed = readFileSync(resolve(positionals[0]), 'utf8');
    const s = openCteCli(values);
    try {
      const box = new SefazOutbox({ store: s.store, client: s.client, outDir: s.outDir });
      const doc = box.enqueue(signed);
      const left = await box.drain(Number(values.wait ?? 120) * 1000);
      return reportTransmission(box, doc.chave, left);
    } finally {
      s.close();
    }
  },
};
