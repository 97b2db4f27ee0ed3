import { existsSync, readFileSync, statSync } from 'node:fs';
import { arch, cpus, freemem, hostname, platform, release, totalmem } from 'node:os';
import { basename, join } from 'node:path';
import Database from 'better-sqlite3';
import { strToU8, zipSync, type Zippable } from 'fflate';
import { isoWithOffset } from '../clock';
import { logFiles, LOGS_FOLDER } from './index';
import { redactFields } from './redact';

/** The workstation's and the LAN server's database files inside their data folders. */
const STATION_DB = 'comboio.db';
const SERVER_DB = 'servidor.sqlite';
/** Newest log files first, up to this many bytes (a zip a support person can e-mail). */
const MAX_LOG_BYTES = 64 * 1024 * 1024;

type Rows = Record<string, unknown>[];
type Query = (sql: string) => Rows;

/** Each section on its own: a table missing in an older data folder must not hide the rest. */
function section(read: () => unknown): unknown {
  try {
    return read();
  } catch (err) {
    return { erro: (err as Error).message };
  }
}

function withDb<T>(file: string, read: (q: Query) => T): T | null {
  if (!existsSync(file)) return null;
  // Read-only, beside a running app or server: WAL lets a reader in while they write.
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 2000');
    return read((sql) => db.prepare(sql).all() as Rows);
  } finally {
    db.close();
  }
}

const parseJson = (text: unknown) => {
  try {
    return JSON.parse(String(text)) as unknown;
  } catch {
    return text;
  }
};

/** Queue states of a workstation: SEFAZ outbox, print queue, replication outbox, settings without secrets. */
function stationState(q: Query) {
  const byState = (table: string) => section(() => q(`SELECT state, count(*) AS total FROM ${table} GROUP BY state`));
  return {
    configuracoes: section(() => Object.fromEntries(q('SELECT key, value_json FROM settings ORDER BY key').map((r) => [r.key, redactFields(parseJson(r.value_json))]))),
    sefaz: {
      porEstado: byState('sefaz_documents'),
      pendentes: section(() =>
        q(
          "SELECT chave, mod, serie, n_nf, state, c_stat, x_motivo, attempts, last_error, updated_at FROM sefaz_documents WHERE state NOT IN ('authorized','denied','cancelled','superseded') ORDER BY updated_at DESC LIMIT 200",
        ),
      ),
      ultimasTrocas: section(() => q('SELECT chave, service, at, elapsed_ms, outcome, c_stat, x_motivo, error FROM sefaz_messages ORDER BY id DESC LIMIT 200')),
    },
    impressao: {
      porEstado: byState('print_jobs'),
      naoConcluidos: section(() =>
        q("SELECT id, printer_name, kind, layout, document_key, state, reason_code, reason, attempts, requested_by, requested_at, finished_at FROM print_jobs WHERE state <> 'done' ORDER BY id DESC LIMIT 100"),
      ),
    },
    sincronizacao: {
      porEstado: byState('sync_outbox'),
      recusadas: section(() => q("SELECT collection, record_id, code, message, created_at, resolved_at FROM sync_outbox WHERE state = 'rejected' ORDER BY local_seq DESC LIMIT 100")),
      estado: section(() => Object.fromEntries(q('SELECT key, value FROM sync_state').map((r) => [r.key, redactFields(parseJson(r.value))]))),
    },
  };
}

/** A LAN server folder: its series and live locks (small tables), never the numbers table. */
function serverState(q: Query) {
  return {
    meta: section(() => redactFields(q('SELECT key, value FROM meta'))),
    series: section(() => q('SELECT cnpj, model, serie, emissao_propria, active, next_number, updated_at FROM series ORDER BY cnpj, model, serie')),
    travas: section(() => q('SELECT order_id, purpose, user, workstation, since FROM locks ORDER BY since')),
  };
}

export interface DiagnosticsOptions {
  /** A workstation's data folder, or a LAN server's (`comboio server --data`). */
  dataDir: string;
  version: string;
  host: string;
  now?: Date;
}

/**
 * The "Exportar diagnóstico" package: log files, versions, settings without secrets and
 * the state of every queue, as one zip. Nothing secret goes in: settings pass through the
 * log redaction, the A1 and its sealed password files are never read, and neither is the
 * server's installation token file.
 */
export function buildDiagnostics(o: DiagnosticsOptions): { zip: Uint8Array; files: string[] } {
  const now = o.now ?? new Date();
  const stationDb = join(o.dataDir, STATION_DB);
  const serverDb = [join(o.dataDir, SERVER_DB), join(o.dataDir, 'servidor-lan', SERVER_DB)].find((f) => existsSync(f));
  const info = {
    geradoEm: isoWithOffset(now),
    comboio: o.version,
    host: o.host,
    pastaDeDados: o.dataDir,
    versoes: { ...process.versions },
    sistema: { plataforma: platform(), arquitetura: arch(), versao: release(), computador: hostname(), cpus: cpus().length, memoriaTotalMb: Math.round(totalmem() / 1048576), memoriaLivreMb: Math.round(freemem() / 1048576) },
    fusoHorario: Intl.DateTimeFormat().resolvedOptions().timeZone,
    bancos: {
      estacao: section(() => withDb(stationDb, (q) => ({ sqlite: q('SELECT sqlite_version() AS v')[0]?.v, migracoes: q('SELECT count(*) AS n FROM __drizzle_migrations')[0]?.n, bytes: statSync(stationDb).size }))),
      servidor: serverDb ? section(() => ({ arquivo: serverDb, bytes: statSync(serverDb).size })) : null,
    },
  };
  const entries: Zippable = { 'versoes.json': strToU8(JSON.stringify(info, null, 2)) };
  const station = section(() => withDb(stationDb, stationState));
  if (station) entries['estacao.json'] = strToU8(JSON.stringify(station, null, 2));
  if (serverDb) entries['servidor.json'] = strToU8(JSON.stringify(section(() => withDb(serverDb, serverState)), null, 2));
  let budget = MAX_LOG_BYTES;
  const logs = logFiles(o.dataDir).reverse();
  const skipped: string[] = [];
  for (const file of logs) {
    const size = statSync(file).size;
    if (size > budget) {
      skipped.push(basename(file));
      continue;
    }
    budget -= size;
    entries[`${LOGS_FOLDER}/${basename(file)}`] = readFileSync(file);
  }
  if (skipped.length) entries['logs-omitidos.txt'] = strToU8(`Arquivos de log deixados de fora (limite de ${MAX_LOG_BYTES / 1048576} MB):\n${skipped.join('\n')}\n`);
  return { zip: zipSync(entries, { level: 6, mtime: now }), files: Object.keys(entries).sort() };
}
