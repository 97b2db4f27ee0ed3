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
 * One outbox for both models: each signed document goes to the web service of its model
 * (NF-e autorização or CTeRecepcaoSincV4), and a lost reply is consulted at the same one.
 * The clients share the TLS roots; their messages land in the same log.
 */
export function routeByModel(nfe: SefazClient, cte: CteTransport): OutboxClient {
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

/**
 * CT-e of several emitentes through one outbox: a CT-e goes out (and is consulted) over TLS
 * with the A1 of the CNPJ in its chave — SEFAZ refuses another CNPJ base (213). A chave of
 * no installed emitente falls back to the establishment's client, whose answer says why.
 */
export function cteRouter(all: Map<string, { client: CteSefazClient }>, forCnpj: (cnpj: string) => { client: CteSefazClient } | null, fallback: CteSefazClient): CteTransport {
  const of = (chave: string) => forCnpj(cnpjOfChave(chave))?.client ?? fallback;
  return {
    sendCte: (xml, chave) => of(chave).sendCte(xml, chave),
    consult: (chave) => of(chave).consult(chave),
    addMessageListener: (fn) => {
      for (const i of all.values()) i.client.addMessageListener(fn);
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
