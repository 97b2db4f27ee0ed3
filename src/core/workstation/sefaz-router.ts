import type { CteSefazClient } from '../sefaz/cte-client';
import type { SefazClient } from '../sefaz/client';
import type { OutboxClient } from '../sefaz/outbox';

/** Model of a chave de acesso (positions 21–22): 55 NF-e, 57 CT-e. */
export const modelOfChave = (chave: string): string => chave.slice(20, 22);

/**
 * Whether a key was issued for the SEFAZ Virtual de Contingência (position 35, tpEmis):
 * NF-e 6 (SVC-AN) / 7 (SVC-RS), CT-e 7 (SVC-RS) / 8 (SVC-SP). Such a document is authorized
 * (and consulted) only there; every other tpEmis goes to the UF authorizer.
 */
export function isSvcKey(chave: string): boolean {
  const t = chave[34];
  return modelOfChave(chave) === '57' ? t === '7' || t === '8' : t === '6' || t === '7';
}

/**
 * One outbox for both models and both authorizers: each signed document goes to the web
 * service of its model (NF-e autorização or CTeRecepcaoSincV4) at the authorizer its key
 * names (the UF's, or its SVC for an SVC key), and a lost reply is consulted at the same one.
 * The clients share the A1 and TLS roots; their messages land in the same log.
 */
export function routeByModel(nfe: SefazClient, cte: CteSefazClient, svc?: { nfe: SefazClient; cte: CteSefazClient }): OutboxClient {
  const n = (chave: string) => (svc && isSvcKey(chave) ? svc.nfe : nfe);
  const c = (chave: string) => (svc && isSvcKey(chave) ? svc.cte : cte);
  return {
    sendNFe: (xml, chave, sync) => (modelOfChave(chave) === '57' ? c(chave).sendCte(xml, chave) : n(chave).sendNFe(xml, chave, sync)),
    retAutorizacao: (nRec, chave) => (chave ? n(chave) : nfe).retAutorizacao(nRec, chave),
    consult: (chave) => (modelOfChave(chave) === '57' ? c(chave).consult(chave) : n(chave).consult(chave)),
    addMessageListener: (fn) => {
      nfe.addMessageListener(fn);
      cte.addMessageListener(fn);
      svc?.nfe.addMessageListener(fn);
      svc?.cte.addMessageListener(fn);
    },
  };
}
