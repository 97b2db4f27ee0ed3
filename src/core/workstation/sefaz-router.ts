import type { CteSefazClient } from '../sefaz/cte-client';
import type { CteEventsOptions } from '../sefaz/cte-events';
import type { SefazClient } from '../sefaz/client';
import type { OutboxClient } from '../sefaz/outbox';
import { findElement, textOf } from '../sefaz/xml';

/** Model of a chave de acesso (positions 21–22): 55 NF-e, 57 CT-e. */
export const modelOfChave = (chave: string): string => chave.slice(20, 22);

/** Emitente CNPJ of a chave de acesso (positions 7–20). */
export const cnpjOfChave = (chave: string): string => chave.slice(6, 20);

type CteTransport = Pick<CteSefazClient, 'sendCte' | 'consult' | 'addMessageListener'>;

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
 * The clients share the TLS roots; their messages land in the same log (CT-e: see cteRouter).
 */
export function routeByModel(nfe: SefazClient, cte: CteTransport, svc?: { nfe: SefazClient; cte: CteTransport }): OutboxClient {
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

/**
 * CT-e of several emitentes through one outbox: a CT-e goes out (and is consulted) over TLS
 * with the A1 of the CNPJ in its chave — SEFAZ refuses another CNPJ base (213). `of` picks
 * that client (UF authorizer or SVC); `clients` are all of them, for the message log.
 */
export function cteRouter(clients: CteSefazClient[], of: (chave: string) => CteSefazClient): CteTransport {
  return {
    sendCte: (xml, chave) => of(chave).sendCte(xml, chave),
    consult: (chave) => of(chave).consult(chave),
    addMessageListener: (fn) => {
      for (const c of clients) c.addMessageListener(fn);
    },
  };
}

/**
 * Events by their author: the emitente's events (cancel, CC-e, comprovante) travel with its
 * A1; a desacordo (610110) with the tomador's, when the tomador is one of ours.
 */
export function cteEventsRouter(forCnpj: (cnpj: string) => { client: CteSefazClient } | null, fallback: CteSefazClient): CteEventsOptions['client'] {
  return {
    sendEvento: (signed, chave) => {
      const inf = findElement(signed, 'infEvento')?.inner ?? '';
      const autor = textOf(inf, 'CNPJ') ?? cnpjOfChave(chave);
      return (forCnpj(autor)?.client ?? fallback).sendEvento(signed, chave);
    },
    consult: (chave) => (forCnpj(cnpjOfChave(chave))?.client ?? fallback).consult(chave),
  };
}
