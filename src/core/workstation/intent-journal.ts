import { and, asc, desc, eq, notInArray } from 'drizzle-orm';
import { isoWithOffset, type Clock } from '../clock';
import type { Store } from '../store/open';
import { intentJournal } from '../store/schema/finalize';
import type { SessionUser } from '../../shared/api/session';
import { newId } from '../../shared/ids';

export type IntentKind = 'cancel' | 'cce' | 'inutilizacao' | 'reprint' | 'import';
export type IntentRow = typeof intentJournal.$inferSelect;

const CLOSED = ['done', 'failed'];

/** The intent journal's rows (see schema/finalize.ts). Every write is one durable statement. */
export class IntentJournal {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  private now(): string {
    return isoWithOffset(this.clock.now());
  }

  create(kind: IntentKind, target: string, user: SessionUser, payload: object): IntentRow {
    const now = this.now();
    const row: IntentRow = { id: newId(), kind, target, step: 'journaled', user: JSON.stringify(user), payload: JSON.stringify(payload), attempts: 0, lastError: null, createdAt: now, updatedAt: now };
    this.store.db.insert(intentJournal).values(row).run();
    return row;
  }

  get(id: string): IntentRow | undefined {
    return this.store.db.select().from(intentJournal).where(eq(intentJournal.id, id)).get();
  }

  /** The live (not done, not failed) intent of this kind on this target, if any. */
  liveFor(kind: IntentKind, target: string): IntentRow | undefined {
    return this.store.db
      .select()
      .from(intentJournal)
      .where(and(eq(intentJournal.kind, kind), eq(intentJournal.target, target), notInArray(intentJournal.step, CLOSED)))
      .get();
  }

  /** The newest intent of this kind on this target, closed or not. */
  latest(kind: IntentKind, target: string): IntentRow | undefined {
    return this.store.db.select().from(intentJournal).where(and(eq(intentJournal.kind, kind), eq(intentJournal.target, target))).orderBy(desc(intentJournal.createdAt)).limit(1).get();
  }

  open(): IntentRow[] {
    return this.store.db.select().from(intentJournal).where(notInArray(intentJournal.step, CLOSED)).orderBy(asc(intentJournal.createdAt)).limit(500).all();
  }

  /** Moves the intent on; `payload` fields are merged into what it holds. */
  set(id: string, fields: { step?: string; lastError?: string | null; attempts?: number; payload?: object }): IntentRow {
    const cur = this.get(id)!;
    const { payload, ...rest } = fields;
    this.store.db
      .update(intentJournal)
      .set({ ...rest, ...(payload ? { payload: JSON.stringify({ ...JSON.parse(cur.payload), ...payload }) } : {}), updatedAt: this.now() })
      .where(eq(intentJournal.id, id))
      .run();
    return this.get(id)!;
  }

  payloadOf<T>(r: IntentRow): T {
    return JSON.parse(r.payload) as T;
  }

  userOf(r: IntentRow): SessionUser {
    return JSON.parse(r.user) as SessionUser;
  }
}
