import { cumulativeCorrections } from '../../../core/fiscal/cte/events';
import { UsageError, parseFlags, requireFlag, type Command } from '../../command';
import { SEFAZ_FLAGS, SEFAZ_USAGE, openCteCli, printEvent, requireChave } from './sefaz';

export const cteCceCommand: Command = {
  name: 'cce',
  summary: 'Carta de correção do CT-e (grupo, campo, valor, item), cumulativa',
  usage: `Uso: comboio cte cce CHAVE --grupo GRUPO --campo CAMPO --valor VALOR [--item N] --uf UF --cert ARQ.pfx --password SENHA [opções]

${SEFAZ_USAGE}
  --grupo G           grupo do CT-e alterado (ex.: compl, ide, infQ)
  --campo C           campo alterado (ex.: xObs, natOp)
  --valor V           novo valor (1 a 500 caracteres)
  --item N            número do item, quando o grupo se repete

Cada CC-e substitui as anteriores: as correções já registradas nesta estação vão junto.
Valores, impostos, partes e datas não se corrigem por CC-e.`,
  async run(argv) {
    const { values, positionals } = parseFlags(argv, { ...SEFAZ_FLAGS, grupo: { type: 'string' }, campo: { type: 'string' }, valor: { type: 'string' }, item: { type: 'string' } });
    const chave = requireChave(positionals);
    const item = values.item === undefined ? undefined : Number(values.item);
    if (item !== undefined && !Number.isInteger(item)) throw new UsageError('--item deve ser um número inteiro.');
    const next = { grupoAlterado: requireFlag(values.grupo, 'grupo'), campoAlterado: requireFlag(values.campo, 'campo'), valorAlterado: requireFlag(values.valor, 'valor'), ...(item ? { nroItemAlterado: item } : {}) };
    const s = openCteCli(values);
    try {
      const correcoes = cumulativeCorrections(s.events.lastCorrections(chave), [next]);
      const signed = s.client.signCce({ chave, cnpj: s.cnpj, nSeqEvento: s.events.nextSeq(chave, '110110'), correcoes });
      return printEvent(await s.events.send(signed, JSON.stringify(correcoes)));
    } finally {
      s.close();
    }
  },
};
