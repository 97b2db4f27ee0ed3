import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError, parseFlags, type Command } from '../../command';
import { SEFAZ_FLAGS, SEFAZ_USAGE, openSefazCli, outboxFor, reportTransmission } from './sefaz-options';
import { CONTINGENCY_FLAGS, CONTINGENCY_USAGE, sendWithContingency } from '../contingency-options';

export const nfeSendCommand: Command = {
  name: 'send',
  summary: 'Transmite uma NF-e assinada e grava <chave>-procNFe.xml',
  usage: `Uso: comboio nfe send ARQ.xml --uf UF --cert ARQ.pfx --password SENHA [opções]

${SEFAZ_USAGE}
  --async             lote assíncrono (recibo + consulta) em vez de síncrono
  --wait S            segundos esperando a SEFAZ antes de deixar na fila (padrão 120)
${CONTINGENCY_USAGE('nfe')}

A NF-e entra na fila da estação: se a SEFAZ estiver fora do ar, fica "aguardando SEFAZ" e
é reenviada sozinha (ou pelo próximo "comboio nfe send"). Depois de uma resposta perdida,
a chave é consultada antes de qualquer reenvio.

Contingência: se o autorizador da UF não responder (conexão recusada, sem resposta, 108/109),
a UF entra em contingência e a NF-e vai à primeira opção disponível da prioridade: SVC
(SVC-AN/SVC-RS conforme a UF, só quando ativada; grava <chave>-procNFe.xml com a chave
nova), EPEC (Ambiente Nacional; grava <chave>-epec.xml e <chave>-nfe.xml até a conciliação)
ou FS-DA (grava <chave>-nfe.xml para o DANFE em formulário de segurança). A NF-e cujo envio
ficou sem resposta não é reenviada: é refaturada com o próximo número e, na volta da SEFAZ,
consultada — cancelada se autorizada, inutilizada se não consta. --async desliga a contingência.`,
  async run(argv) {
    const { values, positionals } = parseFlags(argv, { ...SEFAZ_FLAGS, ...CONTINGENCY_FLAGS, async: { type: 'boolean' }, wait: { type: 'string' } });
    const file = positionals[0];
    if (!file) throw new UsageError('Informe o arquivo da NF-e assinada.');
    const signed = readFileSync(resolve(file), 'utf8');
    const waitMs = Number(values.wait ?? 120) * 1000;
    if (!values.async) {
      return sendWithContingency(values, 'nfe', signed, waitMs);
    }
    const s = openSefazCli(values);
    try {
      const box = outboxFor(s, !values.async);
      const doc = box.enqueue(signed);
      const left = await box.drain(waitMs);
      return reportTransmission(box, doc.chave, left);
    } finally {
      s.close();
    }
  },
};
