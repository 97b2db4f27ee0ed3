import { useState } from 'react';
import { call } from '../../../api';
import { Notice } from '../../../components/notice';
import { useApiQuery } from '../../../hooks/use-api-query';
import { formatDateTime } from '../../../lib/dates';

const PAGE = 50;

function hours(h: number): string {
  if (Math.abs(h) < 48) return `${h.toLocaleString('pt-BR', { maximumFractionDigits: 1 })} h`;
  const total = Math.round(h);
  return `${Math.floor(total / 24)} d ${total % 24} h`;
}

/**
 * Beside the first-note-of-the-day warning: documents issued in contingency (EPEC, FS-DA,
 * SVC awaiting, 108 discards) that the normal authorizer has not settled yet, with the
 * nearest deadline.
 */
export function ContingencyPendingWarning() {
  const q = useApiQuery(() => call('contingency.pending', { limit: 1 }), '', 'Não foi possível ler os pendentes de contingência', { events: ['documents.changed', 'status.changed'] });
  const first = q.data?.items[0];
  if (!q.data || q.data.total === 0) return null;
  return (
    <Notice kind="warn">
      <span data-testid="contingency-warning">
        <strong>
          {q.data.total} documento{q.data.total > 1 ? 's' : ''} emitido{q.data.total > 1 ? 's' : ''} em contingência aguardando a SEFAZ.
        </strong>{' '}
        {first?.prazo ? `O prazo mais próximo (${first.modo} ${first.numero}) vence em ${formatDateTime(first.prazo)}.` : ''} Veja Faturamento › Contingência.
      </span>
    </Notice>
  );
}

/** Faturamento › Contingência: what was issued in contingency and is still pending, with age and deadline (paged). */
export function ContingencyPendingReport() {
  const [offset, setOffset] = useState(0);
  const q = useApiQuery(() => call('contingency.pending', { limit: PAGE, offset }), String(offset), 'Não foi possível ler os pendentes de contingência', {
    events: ['documents.changed', 'status.changed'],
  });
  const d = q.data;
  return (
    <section className="card" aria-labelledby="pendentes-title">
      <h2 id="pendentes-title">Pendentes de contingência</h2>
      <p className="muted">
        Documentos emitidos em contingência ainda não autorizados pelo autorizador normal. EPEC e FS-DA são transmitidos sozinhos quando a SEFAZ volta, dentro do
        prazo de 168 horas; um documento que identificou a queda (108) é consultado e cancelado ou inutilizado.
      </p>
      {q.error && <Notice kind="error">{q.error}</Notice>}
      {d && d.total === 0 && <p data-testid="contingency-empty">Nenhum documento pendente de contingência.</p>}
      {d && d.total > 0 && (
        <div className="table-scroll">
          <table className="grid" aria-label="Pendentes de contingência">
            <thead>
              <tr>
                <th>Documento</th>
                <th>Modo</th>
                <th>Emitido em</th>
                <th>Idade</th>
                <th>Prazo</th>
                <th>Restam</th>
                <th>Situação</th>
                <th>Chave</th>
              </tr>
            </thead>
            <tbody>
              {d.items.map((i) => (
                <tr key={i.chave}>
                  <td>
                    {i.model === 'nfe' ? 'NF-e' : 'CT-e'} {i.numero} série {i.serie}
                  </td>
                  <td>{i.modo}</td>
                  <td>{formatDateTime(i.emitidoEm)}</td>
                  <td>{hours(i.idadeHoras)}</td>
                  <td>{i.prazo ? formatDateTime(i.prazo) : '—'}</td>
                  <td className={i.horasRestantes !== null && i.horasRestantes < 24 ? "late" : undefined}>{i.horasRestantes === null ? '—' : hours(i.horasRestantes)}</td>
                  <td>{i.situacao}</td>
                  <td className="mono small-text">{i.chave}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {d && d.total > PAGE && (
        <div className="form-actions">
          <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
            ← Anteriores
          </button>
          <span className="muted">
            {offset + 1}–{Math.min(offset + PAGE, d.total)} de {d.total}
          </span>
          <button type="button" disabled={offset + PAGE >= d.total} onClick={() => setOffset(offset + PAGE)}>
            Próximos →
          </button>
        </div>
      )}
    </section>
  );
}
