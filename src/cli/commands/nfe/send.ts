import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { stateLabel } from '../../../core/sefaz/index';
import { UsageError, parseFlags, type Command } from '../../command';
import { SEFAZ_FLAGS, SEFAZ_USAGE, openSefazCli, outboxFor } from './sefaz-options';

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
      const final = box.get(doc.chave)!;
      for (const m of box.messages(doc.chave)) {
        process.stdout.write(`  ${m.at} ${m.service} ${m.outcome === 'reply' ? `${m.cStat} ${m.xMotivo}` : `${m.outcome}: ${m.error ?? ''}`}\n`);
      }
      process.stdout.write(`${doc.chave}: ${stateLabel(final)}${final.nProt ? ` — protocolo ${final.nProt}` : ''}\n`);
      if (final.procPath) process.stdout.write(`Gravado ${final.procPath}\n`);
      if (left.some((d) => d.chave === doc.chave)) return 3;
      return final.state === 'authorized' ? 0 : 1;
    } finally {
      s.close();
    }
  },
};
