import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError, parseFlags, type Command } from '../../command';
import { SEFAZ_FLAGS, SEFAZ_USAGE } from './sefaz';
import { CONTINGENCY_FLAGS, CONTINGENCY_USAGE, sendWithContingency } from '../contingency-options';

export const cteSendCommand: Command = {
  name: 'send',
  summary: 'Transmite um CT-e assinado (CTeRecepcaoSincV4) e grava <chave>-procCTe.xml',
  usage: `Uso: comboio cte send ARQ-cte.xml --uf UF --cert ARQ.pfx --password SENHA [opções]

${SEFAZ_USAGE}
  --wait S            segundos esperando a SEFAZ antes de deixar na fila (padrão 120)
${CONTINGENCY_USAGE('cte')}

O CT-e entra na mesma fila da estação que as NF-e: SEFAZ fora do ar → "aguardando SEFAZ" e
nova tentativa automática; depois de uma resposta perdida, a chave é consultada antes de
qualquer reenvio.

Contingência: autorizador da UF sem resposta → a UF entra em contingência e o CT-e vai à
primeira opção disponível da prioridade: SVC (SVC-RS/SVC-SP conforme a UF, quando ativada;
grava <chave>-procCTe.xml com a chave nova), EPEC (à SVC da UF; grava <chave>-epec.xml e
<chave>-cte.xml até a conciliação) ou Nenhuma (fica pendente, código 105).`,
  async run(argv) {
    const { values, positionals } = parseFlags(argv, { ...SEFAZ_FLAGS, ...CONTINGENCY_FLAGS, wait: { type: 'string' } });
    if (!positionals[0]) throw new UsageError('Informe o arquivo do CT-e assinado.');
    const signed = readFileSync(resolve(positionals[0]), 'utf8');
    return sendWithContingency(values, 'cte', signed, Number(values.wait ?? 120) * 1000);
  },
};
