import { asc, eq } from 'drizzle-orm';
import { join } from 'node:path';
import type { Clock } from '../clock';
import { AppError } from '../errors';
import type { Db } from '../store/open';
import { printers } from '../store/schema/index';
import { PrintingErrors } from './errors';
import { checkSettings, type PrinterConfig, type PrinterSettings } from './printer-config';

export const DEMO_PRINTER_NAME = 'Arquivo (demonstração)';

const toTenths = (mm: number) => Math.round(mm * 10);

/** Printers of this workstation, stored in the workstation store. */
export class PrintersRepo {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  private toConfig(row: typeof printers.$inferSelect): PrinterConfig {
    return {
      name: row.name,
      settings: JSON.parse(row.configJson) as PrinterSettings,
      calibration: { dxMm: row.dxTenthsMm / 10, dyMm: row.dyTenthsMm / 10 },
      isDefault: row.isDefault,
    };
  }

  list(): PrinterConfig[] {
    return this.db.select().from(printers).orderBy(asc(printers.name)).all().map((r) => this.toConfig(r));
  }

  find(name: string): PrinterConfig | undefined {
    const row = this.db.select().from(printers).where(eq(printers.name, name)).get();
    return row ? this.toConfig(row) : undefined;
  }

  get(name: string): PrinterConfig {
    const p = this.find(name);
    if (!p) throw new AppError(PrintingErrors.PRINTER_NOT_FOUND, `Impressora não cadastrada: "${name}".`);
    return p;
  }

  /** The default printer; a fresh workstation gets the file printer (demo default). */
  getDefault(dataDir: string): PrinterConfig {
    const all = this.list();
    const def = all.find((p) => p.isDefault) ?? all[0];
    if (def) return def;
    return this.save({ name: DEMO_PRINTER_NAME, settings: { kind: 'file', path: join(dataDir, 'impressoes') }, calibration: { dxMm: 0, dyMm: 0 }, isDefault: true });
  }

  save(p: PrinterConfig): PrinterConfig {
    const name = p.name?.trim();
    if (!name || name.length > 64) throw new AppError(PrintingErrors.PRINTER_INVALID, 'Nome da impressora: 1 a 64 caracteres.', { field: 'name' });
    const settings = checkSettings(p.settings);
    const { dxMm, dyMm } = p.calibration;
    if (!(Math.abs(dxMm) <= 50 && Math.abs(dyMm) <= 50)) {
      throw new AppError(PrintingErrors.PRINTER_INVALID, 'Deslocamento de calibração deve ficar entre -50 e +50 mm.', { field: 'calibration' });
    }
    const now = this.clock.now().toISOString();
    const values = {
      name,
      kind: settings.kind,
      configJson: JSON.stringify(settings),
      dxTenthsMm: toTenths(dxMm),
      dyTenthsMm: toTenths(dyMm),
      isDefault: p.isDefault ?? false,
      updatedAt: now,
    };
    this.db.transaction((tx) => {
      if (values.isDefault) tx.update(printers).set({ isDefault: false }).run();
      tx.insert(printers)
        .values({ ...values, createdAt: now })
        .onConflictDoUpdate({ target: printers.name, set: values })
        .run();
    });
    return this.get(name);
  }

  setCalibration(name: string, dxMm: number, dyMm: number): PrinterConfig {
    const p = this.get(name);
    return this.save({ ...p, calibration: { dxMm, dyMm } });
  }

  /** A replugged adapter came back on another COM number: remember it. */
  updatePath(name: string, path: string): void {
    const p = this.find(name);
    if (p && p.settings.kind === 'serial') this.save({ ...p, settings: { ...p.settings, path } });
  }

  remove(name: string): void {
    this.db.delete(printers).where(eq(printers.name, name)).run();
  }
}
