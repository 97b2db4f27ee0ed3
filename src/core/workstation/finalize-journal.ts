import { and, asc, eq, notInArray } from 'drizzle-orm';
import { isoWithOffset, type Clock } from '../clock';
import type { Store } from '../store/open';
import { finalizeJournal } from '../store/schema/finalize';
import type { SessionUser } from '../../shared/api/session';
import { newId } from '../../shared/ids';
import { newOwnerKey } from '../numbering/owner-key';

/** started → locked → allocated → signed → committed → released → done (or abandoned before commit). */
export type FinalizeStep = 'started' | 'locked' | 'allocated' | 'signed' | 'committed' | 'released' | 'done' | 'abandoned';
export type JournalRow = typeof finalizeJournal.$inferSelect;

const CLOSED: FinalizeStep[] = ['done', 'abandoned'];

export interface NewFinalize {
  orderId: string;
  user: SessionUser;
  seriesId: string;
  suggested: number | null;
  printTo: 'form' | 'pdf' | 'none';
  /** 'nfe' (default) or 'cte'. */
  kind?: 'nfe' | 'cte';
  /** The allocation's idempotency key (default: a new one). */
  allocRequestId?: string;
  payload?: unknown;
}

/** The finalize journal's rows (see schema/finalize.ts). Every write is one durable statement. */
export class FinalizeJournal {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  private now(): string {
    return isoWithOffset(this.clock.now());
  }

  create(f: NewFinalize): JournalRow {
    const now = this.now();
    const row: JournalRow = {
      id: newId(),
      kind: f.kind ?? 'nfe',
      orderId: f.orderId,
      step: 'started',
      user: JSON.stringify(f.user),
      seriesId: f.seriesId,
      suggested: f.suggested,
      printTo: f.printTo,
      ownerKey: newOwnerKey(),
      lockToken: null,
      allocRequestId: f.allocRequestId ?? newId(),
      number: null,
      numberChanged: null,
      chave: null,
      xmlFile: null,
      attempts: 0,
      lastError: null,
      payload: f.payload === undefined ? null : JSON.stringify(f.payload),
      createdAt: now,
      updatedAt: now,
    };
    this.store.db.insert(finalizeJournal).values(row).run();
    return row;
  }

  get(id: string): JournalRow | undefined {
    return this.store.db.select().from(finalizeJournal).where(eq(finalizeJournal.id, id)).get();
  }

  /** The live (not done, not abandoned) finalize of an order, if any. */
  liveFor(orderId: string): JournalRow | undefined {
    return this.store.db
      .select()
      .from(finalizeJournal)
      .where(and(eq(finalizeJournal.orderId, orderId), notInArray(finalizeJournal.step, CLOSED)))
      .get();
  }

  /** The live finalize that committed this chave, if any. */
  liveForChave(chave: string): JournalRow | undefined {
    return this.store.db
      .select()
      .from(finalizeJournal)
      .where(and(eq(finalizeJournal.chave, chave), notInArray(finalizeJournal.step, CLOSED)))
      .get();
  }

  open(): JournalRow[] {
    return this.store.db.select().from(finalizeJournal).where(notInArray(finalizeJournal.step, CLOSED)).orderBy(asc(finalizeJournal.createdAt)).all();
  }

  set(id: string, fields: Partial<Omit<JournalRow, 'id'>>): JournalRow {
    this.store.db
      .update(finalizeJournal)
      .set({ ...fields, updatedAt: this.now() })
      .where(eq(finalizeJournal.id, id))
      .run();
    return this.get(id)!;
  }

  userOf(j: JournalRow): SessionUser {
    return JSON.parse(j.user) as SessionUser;
  }
}
