import { UsageError, parseFlags, requireFlag, type Command } from '../../command';
import { SEFAZ_FLAGS, SEFAZ_USAGE, authorizationOf, openCteCli, printEvent, requireChave } from './sefaz';

export const cteCancelCommand: Command = {
  name: 'cancel',
  summary: 'Cancela um CT-e autorizado (até 24 horas; recusado se houver comprovante de entrega)',
  usage: `Uso: comboio cte cancel CHAVE --reason TEXTO --uf UF --cert ARQ.pfx --password SENHA [opções]

${SEFAZ_USAGE}
  --reason TEXTO      justificativa (15 a 255 caracteres)

Grava <chave>-110111-01-procEventoCTe.xml. Um CT-e com comprovante de entrega autorizado só
pode ser cancelado depois do cancelamento do comprovante (comboio cte entrega --cancel).`,
  async run(argv) {
    const { values, positionals } = parseFlags(argv, { ...SEFAZ_FLAGS, reason: { type: 'string' } });
    const chave = requireChave(positionals);
    const reason = requireFlag(values.reason, 'reason');
    if (reason.trim().length < 15) throw new UsageError('A justificativa do cancelamento deve ter pelo menos 15 caracteres.');
    const s = openCteCli(values);
    try {
      const auth = await authorizationOf(s, chave);
      return printEvent(await s.events.send(s.client.signCancel({ chave, cnpj: s.cnpj, nProt: auth.nProt, xJust: reason, authorizedAt: auth.dhRecbto })));
    } finally {
      s.close();
    }
  },
};
