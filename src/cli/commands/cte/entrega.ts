import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { isoWithOffset } from '../../../core/clock';
import { parseFlags, requireFlag, UsageError, type Command } from '../../command';
import { SEFAZ_FLAGS, SEFAZ_USAGE, authorizationOf, openCteCli, printEvent, requireChave } from './sefaz';

export const cteEntregaCommand: Command = {
  name: 'entrega',
  summary: 'Comprovante de entrega do CT-e (110180) ou seu cancelamento (110181)',
  usage: `Uso: comboio cte entrega CHAVE --image CANHOTO.jpg --doc DOCUMENTO --name NOME [--when ISO] [--lat G --lon G] --uf UF --cert ARQ.pfx --password SENHA [opções]
     comboio cte entrega CHAVE --cancel PROTOCOLO-DO-COMPROVANTE …

${SEFAZ_USAGE}
  --image ARQ         foto ou digitalização do canhoto assinado
  --doc DOC           documento de quem recebeu (CPF, RG…)
  --name NOME         nome de quem recebeu
  --when ISO          data e hora da entrega (padrão: agora)
  --lat G --lon G     coordenadas da entrega, graus com 6 casas (opcional)
  --cancel PROT       cancela o comprovante registrado com este protocolo

O hashEntrega enviado é o SHA-1 (base64) da chave seguida da imagem em base64; a imagem
fica com o documento, não vai para a SEFAZ.`,
  async run(argv) {
    const { values, positionals } = parseFlags(argv, {
      ...SEFAZ_FLAGS,
      image: { type: 'string' },
      doc: { type: 'string' },
      name: { type: 'string' },
      when: { type: 'string' },
      lat: { type: 'string' },
      lon: { type: 'string' },
      cancel: { type: 'string' },
    });
    const chave = requireChave(positionals);
    const s = openCteCli(values);
    try {
      const auth = await authorizationOf(s, chave);
      if (values.cancel) {
        if (!/^\d{15}$/.test(values.cancel)) throw new UsageError('--cancel recebe o protocolo (15 dígitos) do comprovante de entrega.');
        return printEvent(await s.events.send(s.client.signCancelComprovante({ chave, cnpj: s.cnpj, nSeqEvento: s.events.nextSeq(chave, '110181'), nProt: auth.nProt, nProtCE: values.cancel })));
      }
      const imageBase64 = readFileSync(resolve(requireFlag(values.image, 'image'))).toString('base64');
      const signed = s.client.signComprovante({
        chave,
        cnpj: s.cnpj,
        nSeqEvento: s.events.nextSeq(chave, '110180'),
        nProt: auth.nProt,
        dhEntrega: values.when ?? isoWithOffset(new Date()),
        nDoc: requireFlag(values.doc, 'doc'),
        xNome: requireFlag(values.name, 'name'),
        imageBase64,
        ...(values.lat ? { latitude: values.lat } : {}),
        ...(values.lon ? { longitude: values.lon } : {}),
      });
      return printEvent(await s.events.send(signed));
    } finally {
      s.close();
    }
  },
};
