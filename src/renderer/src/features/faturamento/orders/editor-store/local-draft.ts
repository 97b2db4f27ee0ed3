import type { EditorState } from './initial-state';

/**
 * What the faturista typed and has not saved, kept on this station (localStorage) so a
 * reload, a crash of the window or a power cut loses nothing: the order reopens with the
 * typed text, marked as not saved. Per user and order; dropped once saved or discarded.
 */
export type DraftFields = Pick<EditorState, 'order' | 'customer' | 'naturezaId' | 'rows' | 'descontoEspecial' | 'descontoPagador' | 'transporte' | 'tPag' | 'observacoes' | 'tipo' | 'finalidade' | 'referencias' | 'charges' | 'pedidoCliente'>;

interface Stored extends DraftFields {
  savedAt: string;
}

const PREFIX = 'comboio.draft.';
const keyOf = (user: string, orderId: string) => `${PREFIX}${user}.${orderId}`;

function store(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

export function keepDraft(user: string, s: DraftFields): void {
  if (!s.order) return;
  const value: Stored = {
    order: s.order,
    customer: s.customer,
    naturezaId: s.naturezaId,
    rows: s.rows,
    descontoEspecial: s.descontoEspecial,
    descontoPagador: s.descontoPagador,
    transporte: s.transporte,
    tPag: s.tPag,
    observacoes: s.observacoes,
    tipo: s.tipo,
    finalidade: s.finalidade,
    referencias: s.referencias,
    charges: s.charges,
    pedidoCliente: s.pedidoCliente,
    savedAt: new Date().toISOString(),
  };
  try {
    store()?.setItem(keyOf(user, s.order.id), JSON.stringify(value));
  } catch {
    // Storage full or disabled: the order can still be saved by hand.
  }
}

export function readDraft(user: string, orderId: string): (DraftFields & { savedAt: string }) | null {
  const raw = store()?.getItem(keyOf(user, orderId));
  if (!raw) return null;
  try {
    const d = JSON.parse(raw) as Stored;
    return d.order && Array.isArray(d.rows) ? d : null;
  } catch {
    return null;
  }
}

export function dropDraft(user: string, orderId: string): void {
  store()?.removeItem(keyOf(user, orderId));
}
