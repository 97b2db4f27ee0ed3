import { useState } from 'react';
import type { OrderSummary } from '../../../../../shared/api/index';
import { call } from '../../../api';
import { Notice } from '../../../components/notice';
import { useApiQuery } from '../../../hooks/use-api-query';
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
  const orders = useApiQuery(
    () => call('orders.list', { filter, ...(query ? { q: query } : {}) }),
    `${filter}|${query}`,
    'Não foi possível carregar os pedidos',
    { events: ['orders.changed'] },
  );

  const open = (o: OrderSummary) => edit(o.id);
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
        <SearchForm id="orders-q" label="Buscar pedidos" placeholder="Nº do pedido ou cliente" onSearch={setQuery} initialFocus />
        <span className="spacer" />
        <button type="button" className="primary" aria-keyshortcuts="F2" onClick={() => edit('new')}>
          Novo pedido
          <ShortcutHint keys="F2" />
        </button>
      </div>
      {orders.error && <Notice kind="error">{orders.error}</Notice>}
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
          </tr>
        </thead>
        <tbody>
          {orders.data?.map((o) => (
            <tr key={o.id} tabIndex={0} onClick={() => open(o)} onKeyDown={(e) => e.key === 'Enter' && open(o)} aria-label={`Pedido ${o.numeroPedido}, ${o.cliente}`}>
              <td data-testid="order-number">{o.numeroPedido}</td>
              <td>{o.cliente}</td>
              <td className="num">{formatCentavos(o.totalCentavos)}</td>
              <td>
                <span className={`pill pill-${o.status}`}>{ORDER_STATUS_LABELS[o.status] ?? o.status}</span>
              </td>
              <td className="num">
                {o.numeroNota ?? '—'}
              </td>
              <td className="nowrap">{formatDateTime(o.updatedAt)}</td>
            </tr>
          ))}
          {orders.data && orders.data.length === 0 && (
            <tr>
              <td colSpan={6} className="empty">
                Nenhum pedido {filter === 'todos' ? '' : `em “${FILTERS.find((f) => f.id === filter)!.label}”`}
                {query ? ` para “${query}”` : ''}.
              </td>
            </tr>
          )}
          {!orders.data && !orders.error && (
            <tr>
              <td colSpan={6} className="empty">
                Carregando…
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
