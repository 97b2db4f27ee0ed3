import type { ServiceStatus } from '../../shared/api/app';
import { isoWithOffset, type Clock } from '../clock';
import type { NumberingClient } from '../numbering/index';
import type { SefazMessage } from '../sefaz/client';
import type { ContingencyOption } from '../sefaz/contingency/engine';
import { defaultPriority, type DocKind, type PriorityDto, type UfContingencyDto } from '../sefaz/contingency/lan';
import { ContingencyState, type ContingencyDoc, type UfContingency } from '../sefaz/contingency/state';
import { logger } from '../log/index';

const log = logger('contingencia');

/** Exchanges with a UF authorizer that count as "no answer" (the seed's detection). */
const FAILED = new Set(['unreachable', 'no-reply']);
const STOPPED = new Set(['108', '109']);

export interface StationContingencyOptions {
  dataDir: string;
  clock: Clock;
  workstation: string;
  /** How often a station in contingency asks the UF authorizer's status (default 30 s). */
  pollMs?: number;
  /** Called on every change of what the status bar shows. */
  onChange(): void;
}

const key = (uf: string, model: DocKind) => `${uf}:${model}`;
const label = (m: DocKind) => (m === 'nfe' ? 'NF-e' : 'CT-e');

function hhmm(iso: string): string {
  const d = new Date(iso);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

/**
 * A workstation's view of the office's contingency state (issue #20). Online, the LAN
 * server is the authority: a failure this station sees is reported there, every change is
 * pushed here and mirrored into the station's own `contingencia.db`. Offline from the LAN,
 * the station keeps its own state in that file (entries it made are reported when the
 * connection returns). While its UF is in contingency the station polls the authorizer's
 * status (NFeStatusServico4 / CTeStatusServicoV4); a 107 ends an automatic entry.
 */
export class StationContingency {
  readonly local: ContingencyState;
  /** Every UF the LAN server knows (entries and last returns), as last read or pushed. */
  board: UfContingencyDto[] = [];
  private lan: NumberingClient | null = null;
  private offLan: (() => void)[] = [];
  /** Entries made while the LAN server was away, to report when it is back. */
  private readonly unreported = new Map<string, { uf: string; model: DocKind; reason: string }>();
  /** The last return to normal per UF/model (shown in the status bar). */
  private readonly returns = new Map<string, { at: string; reason: string }>();
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  private probe: ((model: DocKind) => Promise<{ uf: string; cStat: string; xMotivo: string } | null>) | null = null;
  private afterReturn: ((uf: string, model: DocKind) => Promise<void>) | null = null;
  private watchedUf: (() => string | null) | null = null;

  constructor(private readonly o: StationContingencyOptions) {
    this.local = new ContingencyState(o.dataDir);
    // The last priority order read from the server, per establishment (used while offline).
    this.local.db.exec('create table if not exists priority(cnpj text primary key, json text not null, at text not null)');
  }

  /** The establishment's priority order: the server's (cached here), the cached one offline, else the default. */
  async priority(cnpj: string): Promise<PriorityDto> {
    const lan = this.lan;
    if (lan?.state === 'online') {
      try {
        const p = await lan.request<PriorityDto>('contingency.priority.get', { cnpj });
        this.local.db.prepare('insert into priority(cnpj, json, at) values (?, ?, ?) on conflict(cnpj) do update set json = excluded.json, at = excluded.at').run(cnpj, JSON.stringify(p), this.now());
        return p;
      } catch (err) {
        log.warn(`contingência: ordem de prioridade do servidor indisponível: ${(err as Error).message}`);
      }
    }
    const row = this.local.db.prepare('select json from priority where cnpj = ?').get(cnpj) as { json: string } | undefined;
    return row ? (JSON.parse(row.json) as PriorityDto) : defaultPriority(cnpj);
  }

  async priorityOf(cnpj: string, model: DocKind): Promise<ContingencyOption[]> {
    return (await this.priority(cnpj))[model];
  }

  /** How many documents issued in contingency still wait (the report's total; one indexed count). */
  pendingCount(): number {
    return (this.local.db.prepare("select count(*) n from documents where state = 'pending'").get() as { n: number }).n;
  }

  /** The contingency document still pending for a number (a resumed finalize keeps its key). */
  docByNumber(cnpj: string, model: DocKind, serie: number, nnf: number): ContingencyDoc | undefined {
    return this.local.db
      .prepare("select * from documents where cnpj = ? and model = ? and serie = ? and nnf = ? and state = 'pending' order by updated_at desc limit 1")
      .get(cnpj, model, serie, nnf) as ContingencyDoc | undefined;
  }

  private now(): string {
    return isoWithOffset(this.o.clock.now());
  }

  current(uf: string, model: DocKind): UfContingency | undefined {
    return this.local.uf(uf, model);
  }

  /**
   * How the station reaches SEFAZ: `probe` asks the status of the configured UF's authorizer
   * for a model; `afterReturn` transmits what was issued in contingency; `uf` is the UF this
   * station emits in (the one its status bar shows).
   */
  useSefaz(p: { probe: StationContingency['probe']; afterReturn: StationContingency['afterReturn']; uf: () => string | null }): void {
    this.probe = p.probe;
    this.afterReturn = p.afterReturn;
    this.watchedUf = p.uf;
    this.schedule(0);
  }

  /** Follows the LAN server's board: pushed changes, and a full read each time the connection opens. */
  attach(lan: NumberingClient | null): void {
    for (const off of this.offLan) off();
    this.offLan = [];
    this.lan = lan;
    if (!lan) return;
    this.offLan.push(lan.onPushEvent('contingency.changed', (d) => this.mirror((d as { states: UfContingencyDto[] }).states)));
    this.offLan.push(
      lan.on('state', ({ state }) => {
        if (state === 'online') void this.syncWithServer();
      }),
    );
    if (lan.state === 'online') void this.syncWithServer();
  }

  /** Reports what was entered offline, then takes the server's board as the truth. */
  async syncWithServer(): Promise<void> {
    const lan = this.lan;
    if (!lan || lan.state !== 'online') return;
    try {
      for (const [k, e] of [...this.unreported]) {
        await lan.request('contingency.report', e);
        this.unreported.delete(k);
      }
      this.mirror(await lan.request<UfContingencyDto[]>('contingency.list', {}));
    } catch (err) {
      log.warn(`contingência: leitura do servidor LAN falhou: ${(err as Error).message}`);
    }
  }

  /** The server's states into the local file (entries and exits audited locally as the server's). */
  mirror(states: UfContingencyDto[]): void {
    let changed = false;
    const byKey = new Map(this.board.map((b) => [key(b.uf, b.model), b]));
    for (const s of states) byKey.set(key(s.uf, s.model), s);
    this.board = [...byKey.values()].sort((a, b) => key(a.uf, a.model).localeCompare(key(b.uf, b.model)));
    for (const s of states) {
      const mine = this.local.uf(s.uf, s.model);
      if (s.active) {
        if (mine && mine.since === s.since && mine.source === s.source && mine.reason === s.reason) continue;
        this.local.db.transaction(() => {
          this.local.db.prepare('delete from uf_state where uf = ? and model = ?').run(s.uf, s.model);
          this.local.enter({ uf: s.uf, model: s.model, since: s.since, reason: s.reason, source: s.source, actor: `${s.user}@${s.workstation} (servidor LAN)` });
        })();
        this.returns.delete(key(s.uf, s.model));
        changed = true;
      } else {
        if (s.endedAt) this.returns.set(key(s.uf, s.model), { at: s.endedAt, reason: s.endReason ?? '' });
        if (mine) {
          this.local.leave(s.uf, s.model, s.endedAt ?? this.now(), s.endReason ?? 'fim da contingência (servidor LAN)', `${s.endedBy ?? '?'} (servidor LAN)`);
          changed = true;
        }
      }
    }
    if (changed) this.changed();
  }

  /** A failed exchange with the UF authorizer: the UF enters contingency here and, through the server, everywhere. */
  failure(uf: string, model: DocKind, reason: string): void {
    const entered = this.local.enter({ uf, model, since: this.now(), reason, source: 'auto', actor: `estação ${this.o.workstation}` });
    if (entered) {
      log.warn(`${label(model)} ${uf} em contingência: ${reason}`);
      this.returns.delete(key(uf, model));
      this.changed();
    }
    const lan = this.lan;
    if (lan?.state === 'online') {
      void lan.request('contingency.report', { uf, model, reason }).catch(() => this.unreported.set(key(uf, model), { uf, model, reason }));
    } else if (entered) {
      this.unreported.set(key(uf, model), { uf, model, reason });
    }
  }

  /** Listener for a normal (UF authorizer) client's exchanges: no answer, or 108/109, means contingency. */
  listener(uf: () => string | null, model: DocKind): (m: SefazMessage) => void {
    return (m) => {
      const u = uf();
      if (!u) return;
      if (FAILED.has(m.outcome)) {
        this.failure(u, model, `${m.outcome === 'unreachable' ? 'conexão recusada' : 'sem resposta'} (${m.service}): ${(m.error ?? '').slice(0, 200)}`.trim());
      } else if (m.outcome === 'reply' && m.cStat && STOPPED.has(m.cStat)) {
        this.failure(u, model, `${m.cStat} ${m.xMotivo ?? ''} (${m.service})`.trim());
      }
    };
  }

  private schedule(ms: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      void this.pollNow().finally(() => this.schedule(this.o.pollMs ?? 30_000));
    }, ms);
    this.timer.unref?.();
  }

  /** One status poll of each model the station's UF is in contingency for (never two at once). */
  pollNow(): Promise<void> {
    this.polling ??= this.pollOnce().finally(() => {
      this.polling = undefined;
    });
    return this.polling;
  }

  private async pollOnce(): Promise<void> {
    const uf = this.watchedUf?.();
    if (!uf || !this.probe) return;
    for (const model of ['nfe', 'cte'] as const) {
      const cur = this.local.uf(uf, model);
      if (cur) {
        let r: { uf: string; cStat: string; xMotivo: string } | null;
        try {
          r = await this.probe(model);
        } catch {
          continue; // still no answer: the failure listener already saw it
        }
        if (!r || r.cStat !== '107') continue;
        await this.normal(uf, model, r.cStat, r.xMotivo);
      }
      // Back to normal (now or earlier, by another station's poll): what waits is transmitted.
      if (!this.local.uf(uf, model)) await this.afterReturn?.(uf, model).catch((err: unknown) => log.warn(`contingência: transmissão na volta falhou: ${(err as Error).message}`));
    }
  }

  /** The authorizer answered 107: the server ends an automatic entry (a manual one waits for an administrator). */
  private async normal(uf: string, model: DocKind, cStat: string, xMotivo: string): Promise<void> {
    const lan = this.lan;
    if (lan?.state === 'online') {
      try {
        const r = await lan.request<{ left: boolean; state: UfContingencyDto | null }>('contingency.normal', { uf, model, cStat, xMotivo });
        if (r.state) this.mirror([r.state]);
        return;
      } catch (err) {
        log.warn(`contingência: servidor LAN não registrou a volta: ${(err as Error).message}`);
      }
    }
    // Offline from the LAN: the station's own state decides (a manual entry stays).
    const cur = this.local.uf(uf, model);
    if (!cur || cur.source === 'manual') return;
    this.unreported.delete(key(uf, model));
    if (this.local.leave(uf, model, this.now(), `Consulta de status: ${cStat} ${xMotivo}`, `estação ${this.o.workstation}`)) {
      this.returns.set(key(uf, model), { at: this.now(), reason: `Consulta de status: ${cStat} ${xMotivo}` });
      this.changed();
    }
  }

  private changed(): void {
    this.o.onChange();
    // A change polls at once: an entry starts the status polls, a return transmits what waits.
    this.schedule(0);
  }

  /** What the status bar shows for the station's UF: red while in contingency, the return once it ended. */
  status(uf: string | null): ServiceStatus | null {
    if (!uf) return null;
    const active = (['nfe', 'cte'] as const).map((m) => ({ m, s: this.local.uf(uf, m) })).filter((x) => x.s);
    if (active.length > 0) {
      const first = active[0]!.s!;
      const models = active.map((x) => label(x.m)).join(' e ');
      return {
        state: 'error',
        label: `Contingência ${models} ${uf} desde ${hhmm(first.since)} — ${first.reason}`.slice(0, 220),
        detail: active.map((x) => `${label(x.m)}: desde ${x.s!.since} (${x.s!.source === 'manual' ? 'entrada manual' : 'automática'}, ${x.s!.actor}): ${x.s!.reason}`).join('\n'),
        since: first.since,
      };
    }
    const back = (['nfe', 'cte'] as const).map((m) => this.returns.get(key(uf, m))).filter((x): x is { at: string; reason: string } => !!x);
    if (back.length === 0) return null;
    const last = back.sort((a, b) => b.at.localeCompare(a.at))[0]!;
    return { state: 'ok', label: `SEFAZ ${uf}: normal desde ${hhmm(last.at)} (fim da contingência)`, detail: last.reason, since: last.at };
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.attach(null);
    this.local.close();
  }
}
