import { useState } from 'react';
import { call } from '../../api';
import { Notice } from '../../components/notice';
import { StatusBadge } from '../../components/status-badge';
import { useApiQuery } from '../../hooks/use-api-query';
import { formatDateTime } from '../../lib/dates';
import { errorText } from '../../lib/errors';
import { JOB_STATE_COLORS, JOB_STATE_LABELS } from './job-states';

export function PrintQueue() {
  const jobs = useApiQuery(() => call('print.jobs', { limit: 100 }), '', 'Não foi possível ler a fila de impressão', {
    intervalMs: 5_000,
    events: ['print.changed'],
  });
  const [error, setError] = useState<string | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);

  const act = async (jobId: string, action: 'print.retry' | 'print.cancel' | 'print.resume') => {
    setBusyId(jobId);
    setError(null);
    try {
      await call(action, { jobId });
      await jobs.reload();
    } catch (err) {
      setError(errorText(err, action === 'print.cancel' ? 'Cancelamento não realizado' : 'Nova tentativa não realizada'));
    }
    setBusyId(null);
  };

  return (
    <div>
      <div className="toolbar">
        <span className="muted small-text">Atualiza sozinha a cada 5 s.</span>
        <span className="spacer" />
        <button type="button" onClick={() => void jobs.reload()}>
          Atualizar
        </button>
      </div>
      {jobs.error && <Notice kind="error">{jobs.error}</Notice>}
      {error && <Notice kind="error">{error}</Notice>}
      <table className="grid" aria-label="Fila de impressão">
        <thead>
          <tr>
            <th scope="col">Pedido em</th>
            <th scope="col">Documento</th>
            <th scope="col">Impressora</th>
            <th scope="col">Situação</th>
            <th scope="col">Motivo</th>
            <th scope="col">Pedido por</th>
            <th scope="col">
              <span className="sr-only">Ações</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {jobs.data?.map((j) => (
            <tr key={j.id} data-testid="print-job">
              <td className="nowrap">{formatDateTime(j.requestedAt)}</td>
              <td>
                {j.description}
                {j.reprint && <span className="pill">reimpressão</span>}
              </td>
              <td>{j.printer}</td>
              <td>
                <StatusBadge color={JOB_STATE_COLORS[j.state]} label={JOB_STATE_LABELS[j.state]} testId="print-job-state" />
              </td>
              <td>{j.reason ?? ''}</td>
              <td>{j.requestedBy}</td>
              <td className="nowrap">
                {j.resumeSheet && (
                  <button type="button" className="small" disabled={busyId === j.id} onClick={() => void act(j.id, 'print.resume')}>
                    Continuar da folha {j.resumeSheet}
                  </button>
                )}
                {(j.state === 'failed' || j.state === 'cancelled') && (
                  <button type="button" className="small" disabled={busyId === j.id} onClick={() => void act(j.id, 'print.retry')}>
                    Tentar de novo
                  </button>
                )}
                {(j.state === 'queued' || j.state === 'failed') && (
                  <button type="button" className="small" disabled={busyId === j.id} onClick={() => void act(j.id, 'print.cancel')}>
                    Cancelar
                  </button>
                )}
              </td>
            </tr>
          ))}
          {jobs.data && jobs.data.length === 0 && (
            <tr>
              <td colSpan={7} className="empty">
                A fila está vazia.
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
