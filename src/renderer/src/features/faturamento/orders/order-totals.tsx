import { formatCentavos } from '../../../lib/money';
import { useOrderEditor } from './editor-store';

/** Totals as the core computes them (orders.totals): the UI never sums money itself. */
export function OrderTotalsPanel() {
  const totals = useOrderEditor((s) => s.totals);
  const error = useOrderEditor((s) => s.totalsError);
  return (
    <aside className="totals" aria-label="Totais do pedido">
      <h2>Totais</h2>
      {totals && totals.pendencias.length > 0 && totals.totalCentavos === 0 && totals.produtosCentavos === 0 ? (
        <p className="muted">Os totais aparecem quando as pendências abaixo forem resolvidas.</p>
      ) : totals ? (
        <dl>
          <dt>Produtos</dt>
          <dd>{formatCentavos(totals.produtosCentavos)}</dd>
          <dt>Desconto nos itens</dt>
          <dd>{formatCentavos(-totals.descontoItensCentavos)}</dd>
          <dt>Desconto especial</dt>
          <dd>{formatCentavos(-totals.descontoEspecialCentavos)}</dd>
          <dt>Desconto do pagador</dt>
          <dd>{formatCentavos(-totals.descontoPagadorCentavos)}</dd>
          {totals.encargosCentavos > 0 && (
            <>
              <dt>Frete, seguro e outras</dt>
              <dd data-testid="order-encargos">{formatCentavos(totals.encargosCentavos)}</dd>
            </>
          )}
          {totals.icmsStCentavos > 0 && (
            <>
              <dt>ICMS-ST e FCP-ST</dt>
              <dd data-testid="order-icms-st">{formatCentavos(totals.icmsStCentavos)}</dd>
            </>
          )}
          <dt className="total">Total da nota</dt>
          <dd className="total" data-testid="order-total">
            {formatCentavos(totals.totalCentavos)}
          </dd>
          {totals.icmsMonoCentavos > 0 && (
            <>
              <dt className="muted">ICMS monofásico (informativo)</dt>
              <dd className="muted">{formatCentavos(totals.icmsMonoCentavos)}</dd>
            </>
          )}
        </dl>
      ) : (
        <p className="muted">Preencha os itens para ver os totais.</p>
      )}
      {totals && totals.pendencias.length > 0 && (
        <div className="pendencias" data-testid="order-pendencias">
          <strong>Falta para finalizar</strong>
          <ul>
            {totals.pendencias.map((p) => (
              <li key={`${p.field}-${p.message}`}>{p.message}</li>
            ))}
          </ul>
        </div>
      )}
      {totals?.avisos && totals.avisos.length > 0 && (
        <div className="avisos" role="note" data-testid="order-avisos">
          <strong>Avisos</strong>
          <ul>
            {totals.avisos.map((a) => (
              <li key={a}>{a}</li>
            ))}
          </ul>
        </div>
      )}
      {error && <p className="field-error">{error}</p>}
    </aside>
  );
}
