import type { DocumentDetail } from '../../../shared/api/index';
import { formatDateTime } from '../lib/dates';
import { formatChave, formatDocumento } from '../lib/fiscal-options';
import { formatCentavos } from '../lib/money';
import { StatusBadge } from './status-badge';

const EVENT_NAMES: Record<string, string> = {
  '110111': 'Cancelamento',
  '110110': 'Carta de correção',
  '110112': 'Cancelamento por substituição',
  '110180': 'Comprovante de entrega',
  '110181': 'Cancelamento do comprovante de entrega',
  '610110': 'Prestação em desacordo',
};

/** Identification, every SEFAZ message and every event of one document. */
export function DocumentFacts({ doc }: { doc: DocumentDetail }) {
  return (
    <>
      <div className="detail-status">
        <StatusBadge color={doc.color} label={doc.statusLabel} testId="detail-status" />
      </div>
      <dl className="facts">
        <dt>{doc.model === 57 ? 'CT-e' : 'NF-e'}</dt>
        <dd>
          nº <strong data-testid="detail-number">{doc.number}</strong> · série {doc.serie}
        </dd>
        <dt>Chave</dt>
        <dd>
          <code data-testid="detail-chave">{formatChave(doc.chave)}</code>
        </dd>
        <dt>{doc.model === 57 ? 'Destinatário' : 'Cliente'}</dt>
        <dd>
          {doc.cliente} <span className="muted">({formatDocumento(doc.clienteDocumento)})</span>
        </dd>
        {doc.numeroPedido && (
          <>
            <dt>Pedido</dt>
            <dd data-testid="detail-order-number">{doc.numeroPedido}</dd>
          </>
        )}
        <dt>Total</dt>
        <dd>{formatCentavos(doc.totalCentavos)}</dd>
        <dt>Emissão</dt>
        <dd>{formatDateTime(doc.issuedAt)}</dd>
        <dt>Protocolo</dt>
        <dd>{doc.nProt ?? '—'}</dd>
      </dl>
      <h3>Mensagens da SEFAZ</h3>
      {doc.messages.length === 0 ? (
        <p className="muted">Nenhuma resposta da SEFAZ ainda.</p>
      ) : (
        <table className="grid compact" aria-label="Mensagens da SEFAZ">
          <thead>
            <tr>
              <th scope="col">Quando</th>
              <th scope="col">cStat</th>
              <th scope="col">Mensagem</th>
              <th scope="col">Protocolo</th>
            </tr>
          </thead>
          <tbody>
            {doc.messages.map((m, i) => (
              <tr key={i}>
                <td className="nowrap">{formatDateTime(m.at)}</td>
                <td>
                  <code>{m.cStat}</code>
                </td>
                <td>
                  {m.xMotivo}
                  {m.kind ? <span className="muted"> · {m.kind}</span> : null}
                </td>
                <td>{m.nProt ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {doc.events.length > 0 && (
        <>
          <h3>Eventos</h3>
          <table className="grid compact" aria-label="Eventos do documento">
            <thead>
              <tr>
                <th scope="col">Quando</th>
                <th scope="col">Evento</th>
                <th scope="col">Situação</th>
                <th scope="col">Texto</th>
              </tr>
            </thead>
            <tbody>
              {doc.events.map((e) => (
                <tr key={`${e.tpEvento}-${e.nSeq}`}>
                  <td className="nowrap">{formatDateTime(e.at)}</td>
                  <td>
                    {EVENT_NAMES[e.tpEvento] ?? e.tpEvento} {e.nSeq > 1 ? `(${e.nSeq})` : ''}
                  </td>
                  <td>
                    <code>{e.cStat}</code> {e.xMotivo}
                  </td>
                  <td>{e.texto}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </>
  );
}
