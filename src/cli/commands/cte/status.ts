import { parseFlags, type Command } from '../../command';
import { SEFAZ_FLAGS, SEFAZ_USAGE, openCteCli } from './sefaz';

export const cteStatusCommand: Command = {
  name: 'status',
  summary: 'Status do serviço de CT-e da UF (CTeStatusServicoV4)',
  usage: `Uso: comboio cte status --uf UF --cert ARQ.pfx --password SENHA [opções]\n\n${SEFAZ_USAGE}`,
  async run(argv) {
    const { values } = parseFlags(argv, SEFAZ_FLAGS);
    const s = openCteCli(values);
    try {
      const r = await s.client.status();
      process.stdout.write(`${r.cStat} ${r.xMotivo}${r.tMed ? ` (tempo médio ${r.tMed} s)` : ''}\n`);
      return r.cStat === '107' ? 0 : 1;
    } finally {
      s.close();
    }
  },
};
