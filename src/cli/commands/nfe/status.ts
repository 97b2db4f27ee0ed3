import { parseFlags, type Command } from '../../command';
import { SEFAZ_FLAGS, SEFAZ_USAGE, openSefazCli } from './sefaz-options';

export const nfeStatusCommand: Command = {
  name: 'status',
  summary: 'Consulta o status do serviço de autorização da SEFAZ',
  usage: `Uso: comboio nfe status --uf UF --cert ARQ.pfx --password SENHA [opções]\n\n${SEFAZ_USAGE}`,
  async run(argv) {
    const { values } = parseFlags(argv, SEFAZ_FLAGS);
    const s = openSefazCli(values);
    try {
      const r = await s.client.status();
      process.stdout.write(`${r.cStat} ${r.xMotivo}${r.tMed ? ` (tempo médio ${r.tMed} s)` : ''}${r.xObs ? ` — ${r.xObs}` : ''}\n`);
      return r.cStat === '107' ? 0 : 1;
    } finally {
      s.close();
    }
  },
};
