import { useEffect, useState } from 'react';
import { CONTINGENCY_OPTION_LABELS, type ContingencyModel, type ContingencyOptionDto, type PriorityDto } from '../../../../shared/api/index';
import { call } from '../../api';
import { Field } from '../../components/field';
import { Notice } from '../../components/notice';
import { useApiQuery } from '../../hooks/use-api-query';
import { formatDateTime } from '../../lib/dates';
import { errorText } from '../../lib/errors';

const MODELS: { id: ContingencyModel; label: string; all: ContingencyOptionDto[] }[] = [
  { id: 'nfe', label: 'NF-e', all: ['svc', 'epec', 'fsda', 'nenhuma'] },
  { id: 'cte', label: 'CT-e', all: ['svc', 'epec', 'nenhuma'] },
];

/** Every option of the model, the chosen order first; what follows "Nenhuma" is never tried. */
function fullOrder(chosen: ContingencyOptionDto[], all: ContingencyOptionDto[]): ContingencyOptionDto[] {
  return [...chosen, ...all.filter((o) => !chosen.includes(o))];
}

function PriorityEditor({ model, priority, onSaved }: { model: (typeof MODELS)[number]; priority: PriorityDto; onSaved(p: PriorityDto): void }) {
  const [order, setOrder] = useState(() => fullOrder(priority[model.id], model.all));
  const [busy, setBusy] = useState(false);
  const [msg, setMsg] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  useEffect(() => setOrder(fullOrder(priority[model.id], model.all)), [priority, model]);
  const stop = order.indexOf('nenhuma');
  const used = stop === -1 ? order : order.slice(0, stop + 1);
  const move = (i: number, d: -1 | 1) => {
    const next = [...order];
    [next[i], next[i + d]] = [next[i + d]!, next[i]!];
    setOrder(next);
    setMsg(null);
  };
  const save = async () => {
    setBusy(true);
    try {
      const p = await call('contingency.priority.save', { model: model.id, options: used });
      onSaved(p);
      setMsg({ kind: 'ok', text: `Ordem de ${model.label} salva no servidor: ${used.map((o) => CONTINGENCY_OPTION_LABELS[o]).join(' → ')}.` });
    } catch (err) {
      setMsg({ kind: 'error', text: errorText(err, 'salvar a ordem de prioridade') });
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="contingency-priority" data-testid={`priority-${model.id}`}>
      <h3>{model.label}</h3>
      <ol className="priority-list" aria-label={`Ordem de prioridade — ${model.label}`}>
        {order.map((o, i) => (
          <li key={o} className={stop !== -1 && i > stop ? 'muted' : undefined}>
            <span className="priority-name">{CONTINGENCY_OPTION_LABELS[o]}</span>
            {stop !== -1 && i > stop && <span className="small-text"> (não usada: vem depois de Nenhuma)</span>}
            <button type="button" aria-label={`Subir ${CONTINGENCY_OPTION_LABELS[o]} (${model.label})`} disabled={i === 0} onClick={() => move(i, -1)}>
              ↑
            </button>
            <button type="button" aria-label={`Descer ${CONTINGENCY_OPTION_LABELS[o]} (${model.label})`} disabled={i === order.length - 1} onClick={() => move(i, 1)}>
              ↓
            </button>
          </li>
        ))}
      </ol>
      {msg && <Notice kind={msg.kind}>{msg.text}</Notice>}
      <button type="button" className="primary" disabled={busy} onClick={() => void save()}>
        {busy ? 'Salvando…' : `Salvar ordem de ${model.label}`}
      </button>
    </div>
  );
}

function ManualEntry({ model, active, reload }: { model: (typeof MODELS)[number]; active: boolean; reload(): Promise<void> }) {
  const [xJust, setXJust] = useState('');
  const [busy, setBusy] = useState(false);
  const [msg, setMsg] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const n = xJust.trim().length;
  const run = async () => {
    setBusy(true);
    try {
      await call(active ? 'contingency.leave' : 'contingency.enter', { model: model.id, xJust });
      setMsg({ kind: 'ok', text: active ? `${model.label}: contingência encerrada.` : `${model.label}: contingência iniciada para todas as estações.` });
      setXJust('');
      await reload();
    } catch (err) {
      setMsg({ kind: 'error', text: errorText(err, active ? 'encerrar a contingência' : 'entrar em contingência') });
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="contingency-manual">
      <Field label={`Justificativa (${model.label})`} hint={`De 15 a 256 caracteres (${n}). Fica na auditoria e, na entrada, no xJust dos documentos.`} error={n > 0 && (n < 15 || n > 256) ? 'De 15 a 256 caracteres.' : null}>
        {(p) => <input {...p} value={xJust} maxLength={300} onChange={(e) => setXJust(e.target.value)} />}
      </Field>
      {msg && <Notice kind={msg.kind}>{msg.text}</Notice>}
      <button type="button" className={active ? undefined : 'danger'} disabled={busy || n < 15 || n > 256} onClick={() => void run()}>
        {active ? `Sair da contingência (${model.label})` : `Entrar em contingência (${model.label})`}
      </button>
    </div>
  );
}

/**
 * Administração › Contingência: the UF's state as the office shares it, entry and exit by
 * hand (with the reason, audited at the LAN server) and the establishment's priority order.
 */
export function ContingenciaSection() {
  const st = useApiQuery(() => call('contingency.state'), '', 'Não foi possível ler o estado da contingência', { events: ['status.changed'] });
  const pr = useApiQuery(() => call('contingency.priority.get'), '', 'Não foi possível ler a ordem de prioridade');
  const [priority, setPriority] = useState<PriorityDto | null>(null);
  useEffect(() => setPriority(pr.data), [pr.data]);
  const s = st.data;
  return (
    <>
      <section className="card" aria-labelledby="contingencia-title">
        <h2 id="contingencia-title">Contingência {s?.uf ? `— SEFAZ ${s.uf}` : ''}</h2>
        <p className="muted">
          A contingência vale por UF para todas as estações do escritório: quando uma estação fica sem resposta da SEFAZ, todas passam a emitir pela ordem de
          prioridade abaixo; a volta é detectada pela consulta de status.
        </p>
        {st.error && <Notice kind="error">{st.error}</Notice>}
        {s && !s.shared && <Notice kind="warn">Sem conexão com o servidor LAN: esta estação segue o próprio estado de contingência até ele voltar.</Notice>}
        {s && (
          <table className="grid" aria-label="Estado da contingência">
            <thead>
              <tr>
                <th>Documento</th>
                <th>Situação</th>
                <th>Desde</th>
                <th>Motivo</th>
              </tr>
            </thead>
            <tbody>
              {MODELS.map((m) => {
                const x = s[m.id];
                return (
                  <tr key={m.id} data-testid={`contingency-${m.id}`}>
                    <td>{m.label}</td>
                    <td>{x ? <span className="pill pill-danger">Em contingência {x.source === 'manual' ? '(manual)' : '(automática)'}</span> : <span className="pill pill-faturado">Normal</span>}</td>
                    <td>{x ? formatDateTime(x.since) : '—'}</td>
                    <td>{x ? `${x.reason} — ${x.actor}` : '—'}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
        {s && (
          <div className="form-grid cols-2">
            {MODELS.map((m) => (
              <ManualEntry key={m.id} model={m} active={s[m.id] !== null} reload={st.reload} />
            ))}
          </div>
        )}
      </section>
      <section className="card" aria-labelledby="prioridade-title">
        <h2 id="prioridade-title">Ordem de prioridade do estabelecimento</h2>
        <p className="muted">
          Cada documento vai para a primeira opção disponível, caindo para a seguinte; SVC só quando a SEFAZ a ativou para a UF. &quot;Nenhuma&quot; deixa o documento
          pendente (105) até uma opção ou a SEFAZ voltar.
        </p>
        {pr.error && <Notice kind="error">{pr.error}</Notice>}
        {priority && (
          <>
            <div className="form-grid cols-2">
              {MODELS.map((m) => (
                <PriorityEditor key={m.id} model={m} priority={priority} onSaved={setPriority} />
              ))}
            </div>
            <p className="muted small-text">
              {priority.configured ? `Última alteração: ${formatDateTime(priority.updatedAt)} por ${priority.updatedBy ?? '?'}` : 'Ordem padrão (ainda não alterada).'}
            </p>
          </>
        )}
      </section>
    </>
  );
}
