import type { SeriesAdminDto } from '../../../../../shared/api/index';
import { call } from '../../../api';
import { Notice } from '../../../components/notice';
import { useApiQuery } from '../../../hooks/use-api-query';
import { formatDateTime } from '../../../lib/dates';
import { serverAuditLabel } from '../../../lib/audit-labels';

export function SeriesAuditPanel({ series }: { series: SeriesAdminDto }) {
  const audit = useApiQuery(() => call('series.audit', { id: series.id }), `${series.id}|${series.nextNumber}`, 'Auditoria indisponível');
  return (
    <section className="card" aria-labelledby="series-audit-title">
      <h2 id="series-audit-title">Auditoria da série {series.serie}</h2>
      {audit.error && <Notice kind="error">{audit.error}</Notice>}
      <table className="grid compact" aria-label={`Auditoria da série ${series.serie}`}>
        <thead>
          <tr>
            <th scope="col">Quando</th>
            <th scope="col">Usuário</th>
            <th scope="col">Estação (IP)</th>
            <th scope="col">Ação</th>
            <th scope="col">De → para</th>
            <th scope="col">Motivo</th>
          </tr>
        </thead>
        <tbody>
          {audit.data?.map((a, i) => (
            <tr key={i}>
              <td className="nowrap">{formatDateTime(a.at)}</td>
              <td>{a.user}</td>
              <td>
                {a.workstation} <span className="muted">({a.ip})</span>
              </td>
              <td data-testid="series-audit-action">{serverAuditLabel(a.action)}</td>
              <td className="nowrap">
                {a.oldValue ?? '—'} → {a.newValue ?? '—'}
              </td>
              <td>{a.reason ?? ''}</td>
            </tr>
          ))}
          {audit.data && audit.data.length === 0 && (
            <tr>
              <td colSpan={6} className="empty">
                Nenhuma alteração registrada.
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </section>
  );
}
