import { useState } from 'react';
import type { OrderSummary } from '../../../../../shared/api/index';
import { call } from '../../../api';
import { Notice } from '../../../components/notice';
import { Dialog } from '../../../components/dialog';
import { errorText } from '../../../lib/errors';
import { usePagedList } from '../../../hooks/use-paged-list';
import { formatDateTime } from '../../../lib/dates';
import { ORDER_STATUS_LABELS } from '../../../lib/fiscal-options';
import { formatCentavos } from '../../../lib/money';
import { useFaturamentoView } from '../view-store';
import { SearchForm } from '../../../components/search-form';
import { ShortcutHint } from '../../../components/shortcut-hint';

type Filter = 'hoje' | 'pendentes' | 'faturados' | 'todos';
const FILTERS: { id: Filter; label: string }[] = [
  { id: 'hoje', label: 'Hoje' },
  { id: 'pendentes', label: 'Pendentes' },
  { id: 'faturados', label: 'Faturados' },
  { id: 'todos', label: 'Todos' },
];

export function OrdersList() {
  const edit = useFaturamentoView((s) => s.edit);
  const [filter, setFilter] = useState<Filter>('hoje');
  const [query, setQuery] = useState('');
  const orders = usePagedList(
    (cursor) => call('orders.page', { filter, ...(query ? { q: query } : {}), limit: 50, cursor }),
    `${filter}|${query}`,
    'Não foi possível carregar os pedidos',
    { events: ['orders.changed'] },
  );

  const open = (o: OrderSummary) => edit(o.id);
  const [deleting, setDeleting] = useState<OrderSummary | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const remove = async (o: OrderSummary) => {
    setDeleting(null);
    try {
      await call('orders.delete', { id: o.id });
      setActionError(null);
      await orders.refresh();
    } catch (err) {
      setActionError(errorText(err, `O pedido ${o.numeroPedido} não foi excluído`));
    }
  };
  return (
    <div>
      <div className="toolbar">
        <div className="segmented" role="group" aria-label="Filtro de pedidos">
          {FILTERS.map((f) => (
            <button key={f.id} type="button" aria-pressed={filter === f.id} className={filter === f.id ? 'active' : ''} onClick={() => setFilter(f.id)}>
              {f.label}
            </button>
          ))}
        </div>
        <SearchForm id="orders-q" label="Buscar pedidos" placeholder="Nº do pedido, da nota, CNPJ/CPF ou cliente" onSearch={setQuery} initialFocus />
        <span className="spacer" />
        <button type="button" className="primary" aria-keyshortcuts="F2" onClick={() => edit('new')}>
          Novo pedido
          <ShortcutHint keys="F2" />
        </button>
      </div>
      {orders.notice && <Notice kind="warn">{orders.notice}</Notice>}
      {orders.error && <Notice kind="error">{orders.error}</Notice>}
      {actionError && <Notice kind="error">{actionError}</Notice>}
      <table className="grid clickable" aria-label="Pedidos">
        <thead>
          <tr>
            <th scope="col">Pedido</th>
            <th scope="col">Cliente</th>
            <th scope="col" className="num">
              Total
            </th>
            <th scope="col">Situação</th>
            <th scope="col" className="num">
              Nota
            </th>
            <th scope="col">Atualizado</th>
            <th scope="col">
              <span className="sr-only">Ações</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {orders.rows?.map((o) => (
            <tr key={o.id} tabIndex={0} onClick={() => open(o)} onKeyDown={(e) => e.key === 'Enter' && open(o)} aria-label={`Pedido ${o.numeroPedido}, ${o.cliente}`}>
              <td data-testid="order-number">{o.numeroPedido}</td>
              <td>{o.cliente}</td>
              <td className="num" data-testid="order-total-cell">{formatCentavos(o.totalCentavos)}</td>
              <td>
                <span className={`pill pill-${o.status}`}>{ORDER_STATUS_LABELS[o.status] ?? o.status}</span>
              </td>
              <td className="num">
                {o.numeroNota ?? '—'}
              </td>
              <td className="nowrap">{formatDateTime(o.updatedAt)}</td>
              <td className="nowrap row-actions" onClick={(e) => e.stopPropagation()} onKeyDown={(e) => e.stopPropagation()}>
                <button type="button" className="small" aria-label={`Copiar pedido ${o.numeroPedido}`} onClick={() => edit(`copy:${o.id}`)}>
                  Copiar
                </button>
                {o.status === 'rascunho' && (
                  <button type="button" className="small danger" aria-label={`Excluir pedido ${o.numeroPedido}`} onClick={() => setDeleting(o)}>
                    Excluir
                  </button>
                )}
              </td>
            </tr>
          ))}
          {orders.rows && orders.rows.length === 0 && (
            <tr>
              <td colSpan={7} className="empty">
                Nenhum pedido {filter === 'todos' ? '' : `em “${FILTERS.find((f) => f.id === filter)!.label}”`}
                {query ? ` para “${query}”` : ''}.
              </td>
            </tr>
          )}
          {!orders.rows && !orders.error && (
            <tr>
              <td colSpan={7} className="empty">
                Carregando…
              </td>
            </tr>
          )}
        </tbody>
      </table>
      {orders.hasMore && (
        <p className="load-more">
          <button type="button" onClick={() => void orders.loadMore()} disabled={orders.loadingMore}>
            {orders.loadingMore ? 'Carregando…' : 'Carregar mais'}
          </button>
        </p>
      )}
      {deleting && (
        <Dialog
          title="Excluir rascunho"
          onClose={() => setDeleting(null)}
          footer={
            <>
              <button type="button" data-autofocus onClick={() => setDeleting(null)}>
                Voltar
              </button>
              <button type="button" className="danger" onClick={() => void remove(deleting)}>
                Excluir o rascunho
              </button>
            </>
          }
        >
          <p>
            Excluir o pedido {deleting.numeroPedido} ({deleting.cliente}, {formatCentavos(deleting.totalCentavos)})? O rascunho não pode ser recuperado.
          </p>
        </Dialog>
      )}
    </div>
  );
}
