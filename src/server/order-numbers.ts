import type Database from 'better-sqlite3';

/**
 * Order numbers ("Pedido 1234"): one counter per establishment (CNPJ), kept at the LAN server
 * so every station's orders share one short sequence. A station takes a number when it saves a
 * new order. Numbers handed out are never handed out again, whatever becomes of the order (they
 * are not fiscal numbers; a discarded draft just leaves a hole).
 *
 * Each enrolled station also gets a short tag of its own (1, 2, 3… never reused, a station
 * enrolled again gets a new one): the orders it saves offline are numbered `E<tag>-<n>`, which
 * neither the sequence nor any other station can produce.
 */
export class OrderNumbers {
  private readonly read: Database.Statement<[string], { next: number }>;
  private readonly upsert: Database.Statement<[string, number]>;
  private readonly tagOf: Database.Statement<[string], { tag: number }>;
  private readonly newTag: Database.Statement<[string], { tag: number }>;

  constructor(db: Database.Database) {
    this.read = db.prepare('SELECT next FROM order_counters WHERE cnpj = ?');
    this.upsert = db.prepare('INSERT INTO order_counters (cnpj, next) VALUES (?, ?) ON CONFLICT (cnpj) DO UPDATE SET next = excluded.next');
    this.tagOf = db.prepare('SELECT tag FROM order_station_tags WHERE station_id = ?');
    this.newTag = db.prepare('INSERT INTO order_station_tags (station_id, tag) VALUES (?, (SELECT coalesce(max(tag), 0) + 1 FROM order_station_tags)) RETURNING tag');
  }

  /** The next number; call inside the group commit (durable before the reply). */
  take(cnpj: string, stationId: string): { number: number; stationTag: number } {
    const number = this.read.get(cnpj)?.next ?? 1;
    this.upsert.run(cnpj, number + 1);
    const stationTag = this.tagOf.get(stationId)?.tag ?? this.newTag.get(stationId)!.tag;
    return { number, stationTag };
  }
}
