import { CTE_EVENTO_LABEL } from '../../../core/fiscal/cte/events';
import { parseFlags, type Command } from '../../command';
import { SEFAZ_FLAGS, SEFAZ_USAGE, openCteCli, requireChave } from './sefaz';

export const cteConsultCommand: Command = {
  name: 'consult',
  summary: 'Consulta a situação de um CT-e e seus eventos (CTeConsultaV4)',
  usage: `Uso: comboio cte consult CHAVE --uf UF --cert ARQ.pfx --password SENHA [opções]\n\n${SEFAZ_USAGE}`,
  async run(argv) {
    const { values, positionals } = parseFlags(argv, SEFAZ_FLAGS);
    const chave = requireChave(positionals);
    const s = openCteCli(values);
    try {
      const r = await s.client.consult(chave);
      process.stdout.write(`${r.cStat} ${r.xMotivo}\n`);
      if (r.prot?.nProt) process.stdout.write(`Protocolo ${r.prot.nProt} em ${r.prot.dhRecbto ?? ''}\n`);
      for (const e of r.events) {
        process.stdout.write(`Evento ${e.ret.tpEvento} (${CTE_EVENTO_LABEL[e.ret.tpEvento ?? ''] ?? '?'}) seq ${e.ret.nSeqEvento}: ${e.ret.cStat} ${e.ret.xMotivo} (protocolo ${e.ret.nProt ?? '-'})\n`);
      }
      return ['100', '101'].includes(r.cStat) ? 0 : 1;
    } finally {
      s.close();
    }
  },
};
