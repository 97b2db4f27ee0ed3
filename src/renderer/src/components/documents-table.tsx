import type { DocumentSummary } from '../../../shared/api/index';
import { StatusBadge } from './status-badge';
import { formatDateTime } from '../lib/dates';
import { formatCentavos } from '../lib/money';

interface Props {
  documents: DocumentSummary[] | null;
  selectedId: string | null;
  onSelect(d: DocumentSummary): void;
  label: string;
  emptyText: string;
}

/** Documents with their colour (shared by Documentos and Expedição). */
export function DocumentsTable({ documents, selectedId, onSelect, label, emptyText }: Props) {
  return (
    <div className="table-scroll">
    <table className="grid clickable" aria-label={label}>
      <thead>
        <tr>
          <th scope="col">Situação</th>
          <th scope="col">Modelo</th>
          <th scope="col" className="num">
            Número
          </th>
          <th scope="col" className="num">
            Série
          </th>
          <th scope="col">Cliente</th>
          <th scope="col" className="num">
            Total
          </th>
          <th scope="col">Emissão</th>
        </tr>
      </thead>
      <tbody>
        {documents?.map((d) => (
          <tr
            key={d.id}
            tabIndex={0}
            aria-selected={d.id === selectedId}
            className={d.id === selectedId ? 'selected' : undefined}
            onClick={() => onSelect(d)}
            onKeyDown={(e) => e.key === 'Enter' && onSelect(d)}
            data-testid={d.model === 57 ? `document-row-cte-${d.number}` : `document-row-${d.number}`}
          >
            <td>
              <StatusBadge color={d.color} label={d.statusLabel} testId="document-status" />
            </td>
            <td data-testid="document-model">{d.model === 57 ? 'CT-e' : 'NF-e'}</td>
            <td className="num" data-testid="document-number">
              {d.number}
            </td>
            <td className="num">{d.serie}</td>
            <td title={d.cliente}>{d.cliente}</td>
            <td className="num">{formatCentavos(d.totalCentavos)}</td>
            <td className="nowrap col-issued">{formatDateTime(d.issuedAt)}</td>
          </tr>
        ))}
        {documents && documents.length === 0 && (
          <tr>
            <td colSpan={7} className="empty">
              {emptyText}
            </td>
          </tr>
        )}
        {!documents && (
          <tr>
            <td colSpan={7} className="empty">
              Carregando…
            </td>
          </tr>
        )}
      </tbody>
    </table>
    </div>
  );
}
