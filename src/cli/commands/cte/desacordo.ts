import { UsageError, parseFlags, requireFlag, type Command } from '../../command';
import { SEFAZ_FLAGS, SEFAZ_USAGE, authorizationOf, openCteCli, printEvent, requireChave } from './sefaz';

export const cteDesacordoCommand: Command = {
  name: 'desacordo',
  summary: 'Prestação do serviço em desacordo (610110), pelo tomador, até 45 dias',
  usage: `Uso: comboio cte desacordo CHAVE --reason TEXTO --uf UF --cert A1-DO-TOMADOR.pfx --password SENHA [opções]

${SEFAZ_USAGE}
  --reason TEXTO      observação do tomador (15 a 255 caracteres)

O autor é o tomador do serviço: use o certificado dele. Recusado depois de 45 dias da
autorização e em CT-e cancelado ou denegado.`,
  async run(argv) {
    const { values, positionals } = parseFlags(argv, { ...SEFAZ_FLAGS, reason: { type: 'string' } });
    const chave = requireChave(positionals);
    const reason = requireFlag(values.reason, 'reason');
    if (reason.trim().length < 15) throw new UsageError('A observação do desacordo deve ter pelo menos 15 caracteres.');
    const s = openCteCli(values);
    try {
      const auth = await authorizationOf(s, chave);
      return printEvent(await s.events.send(s.client.signDesacordo({ chave, tomador: s.cnpj, nSeqEvento: s.events.nextSeq(chave, '610110'), xObs: reason, authorizedAt: auth.dhRecbto })));
    } finally {
      s.close();
    }
  },
};
