import { call } from '../../api';
import { Notice } from '../../components/notice';
import { useApiQuery } from '../../hooks/use-api-query';
import { formatDateTime } from '../../lib/dates';
import { auditActionLabel } from './job-states';

/** Who asked for which reprint, and when (print.audit). */
export function ReprintAudit() {
  const audit = useApiQuery(() => call('print.audit', {}), '', 'Auditoria indisponível', { events: ['print.changed'] });
  return (
    <div>
      {audit.error && <Notice kind="error">{audit.error}</Notice>}
      <table className="grid" aria-label="Auditoria de reimpressões">
        <thead>
          <tr>
            <th scope="col">Quando</th>
            <th scope="col">Usuário</th>
            <th scope="col">Ação</th>
            <th scope="col">Detalhe</th>
          </tr>
        </thead>
        <tbody>
          {audit.data?.map((a, i) => (
            <tr key={i} data-testid="audit-line">
              <td className="nowrap">{formatDateTime(a.at)}</td>
              <td>{a.user}</td>
              <td>{auditActionLabel(a.action)}</td>
              <td>{a.detail}</td>
            </tr>
          ))}
          {audit.data && audit.data.length === 0 && (
            <tr>
              <td colSpan={4} className="empty">
                Nenhuma reimpressão registrada.
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
