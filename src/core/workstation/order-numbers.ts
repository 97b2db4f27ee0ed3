import type { NumberingClient } from '../numbering/index';
import type { SettingsRepo } from '../store/settings-repo';
import { logger } from '../log/index';

const log = logger('pedidos');

/** An online save does not wait longer than this for the server's number. */
const TAKE_TIMEOUT_MS = 3000;

export interface OrderNumbererOptions {
  settings: SettingsRepo;
  /** The station's own LAN connection (null: no server configured). */
  lan(): NumberingClient | null;
  /** This database's replica id (`NAME-xxxxxxxx`, unique in the office): the tag before the server gave one. */
  clientId(): string;
  /** The enrolled credential's id: a tag is good only for the enrollment that got it. */
  stationId(): string | null;
}

/**
 * Gives a new order its number (#22 item 10). Online: the next of the establishment's one
 * sequence, from the LAN server (`1234`). Offline: `E<tag>-<n>`, with the tag the server gave
 * this station (unique, never reused) and n counted on this station only — no server number
 * can equal it (it has letters) and no other station's can (their tags differ). A station that
 * never reached its server uses its database's own id as the tag.
 */
export class OrderNumberer {
  constructor(private readonly o: OrderNumbererOptions) {}

  async next(cnpj: string): Promise<string> {
    const lan = this.o.lan();
    if (lan && lan.state === 'online') {
      try {
        const r = await withTimeout(lan.request<{ number: number; stationTag: number }>('orderNumbers.take', { cnpj }), TAKE_TIMEOUT_MS);
        this.o.settings.set('orders.stationTag', { stationId: this.o.stationId(), tag: `E${r.stationTag}` });
        return String(r.number);
      } catch (err) {
        log.warn('número de pedido do servidor indisponível; numerando nesta estação', { err: (err as Error).message });
      }
    }
    const given = this.o.settings.get<{ stationId: string | null; tag: string } | null>('orders.stationTag', null);
    const tag = given && given.stationId === this.o.stationId() ? given.tag : this.o.clientId();
    // Counted per tag: a tag is this station's alone, so its count is too.
    const counts = this.o.settings.get<Record<string, number>>('orders.offlineSeq', {});
    const n = (counts[tag] ?? 0) + 1;
    this.o.settings.set('orders.offlineSeq', { ...counts, [tag]: n });
    return `${tag}-${n}`;
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('tempo esgotado')), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(t);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}
