import { eq, like } from 'drizzle-orm';
import type { Clock } from '../clock';
import type { Db } from './open';
import { settings } from './schema/index';

export class SettingsRepo {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  get<T>(key: string, fallback: T): T {
    const row = this.db.select().from(settings).where(eq(settings.key, key)).get();
    return row ? (JSON.parse(row.valueJson) as T) : fallback;
  }

  has(key: string): boolean {
    return this.db.select({ key: settings.key }).from(settings).where(eq(settings.key, key)).get() !== undefined;
  }

  /** Keys that start with `prefix` (a plain prefix without LIKE wildcards). */
  keys(prefix: string): string[] {
    return this.db
      .select({ key: settings.key })
      .from(settings)
      .where(like(settings.key, `${prefix}%`))
      .all()
      .map((r) => r.key)
      .filter((k) => k.startsWith(prefix));
  }

  set(key: string, value: unknown): void {
    const valueJson = JSON.stringify(value ?? null);
    const updatedAt = this.clock.now().toISOString();
    this.db
      .insert(settings)
      .values({ key, valueJson, updatedAt })
      .onConflictDoUpdate({ target: settings.key, set: { valueJson, updatedAt } })
      .run();
  }
}
