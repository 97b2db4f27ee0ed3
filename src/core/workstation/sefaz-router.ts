import type { CteSefazClient } from '../sefaz/cte-client';
import type { SefazClient } from '../sefaz/client';
import type { OutboxClient } from '../sefaz/outbox';

/** Model of a chave de acesso (positions 21–22): 55 NF-e, 57 CT-e. */
export const modelOfChave = (chave: string): string => chave.slice(20, 22);

/**
 * One outbox for both models: each signed document goes to the web service of its model
 * (NF-e autorização or CTeRecepcaoSincV4), and a lost reply is consulted at the same one.
 * The two clients share the A1 and TLS roots; their messages land in the same log.
 */
export function routeByModel(nfe: SefazClient, cte: CteSefazClient): OutboxClient {
  return {
    sendNFe: (xml, chave, sync) => (modelOfChave(chave) === '57' ? cte.sendCte(xml, chave) : nfe.sendNFe(xml, chave, sync)),
    retAutorizacao: (nRec, chave) => nfe.retAutorizacao(nRec, chave),
    consult: (chave) => (modelOfChave(chave) === '57' ? cte.consult(chave) : nfe.consult(chave)),
    addMessageListener: (fn) => {
      nfe.addMessageListener(fn);
      cte.addMessageListener(fn);
    },
  };
}
