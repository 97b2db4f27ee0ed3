import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError, parseFlags, type Command } from '../../command';
import { SEFAZ_FLAGS, SEFAZ_USAGE, openSefazCli, outboxFor, reportTransmission } from './sefaz-options';

export const nfeSendCommand: Command = {
  name: 'send',
  summary: 'Transmite uma NF-e assinada e grava <chave>-procNFe.xml',
  usage: `Uso: comboio nfe send ARQ.xml --uf UF --cert ARQ.pfx --password SENHA [opções]

${SEFAZ_USAGE}
  --async             lote assíncrono (recibo + consulta) em vez de síncrono
  --wait S            segundos esperando a SEFAZ antes de deixar na fila (padrão 120)

A NF-e entra na fila da estação: se a SEFAZ estiver fora do ar, fica "aguardando SEFAZ" e
é reenviada sozinha (ou pelo próximo "comboio nfe send"). Depois de uma resposta perdida,
a chave é consultada antes de qualquer reenvio.`,
  async run(argv) {
    const { values, positionals } = parseFlags(argv, { ...SEFAZ_FLAGS, async: { type: 'boolean' }, wait: { type: 'string' } });
    const file = positionals[0];
    if (!file) throw new UsageError('Informe o arquivo da NF-e assinada.');
    const signed = readFileSync(resolve(file), 'utf8');
    const s = openSefazCli(values);
    try {
      const box = outboxFor(s, !values.async);
      const doc = box.enqueue(signed);
      const left = await box.drain(Number(values.wait ?? 120) * 1000);
      return reportTransmission(box, doc.chave, left);
    } finally {
      s.close();
    }
  },
};
