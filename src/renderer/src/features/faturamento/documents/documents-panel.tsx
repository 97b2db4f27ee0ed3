import { useState } from 'react';
import type { DocumentStatus } from '../../../../../shared/api/index';
import { brToIsoDay } from '../../../../../shared/format';
import { call } from '../../../api';
import { DateInput } from '../../../components/date-input';
import { Notice } from '../../../components/notice';
import { usePagedList } from '../../../hooks/use-paged-list';
import { formatTime } from '../../../lib/dates';
import { errorText } from '../../../lib/errors';
import { useFaturamentoView } from '../view-store';
import { DocumentDetailPanel } from './document-detail';
import { DocumentsTable } from '../../../components/documents-table';
import { GapsWarning } from './gaps-warning';
import { ContingencyPendingWarning } from './contingency-pending';
import { SearchForm } from '../../../components/search-form';

const REFRESH_MS = 10_000;
const PAGE = 50;

const STATUS_OPTIONS: { value: '' | DocumentStatus; label: string }[] = [
  { value: '', label: 'Todas' },
  { value: 'autorizada', label: 'Autorizada' },
  { value: 'aguardando_sefaz', label: 'Aguardando SEFAZ' },
  { value: 'processando', label: 'Processando' },
  { value: 'aguardando_servidor', label: 'Aguardando servidor' },
  { value: 'rejeitada', label: 'Rejeitada' },
  { value: 'denegada', label: 'Denegada' },
  { value: 'cancelada', label: 'Cancelada' },
];

/** A typed day: '' none, the ISO day when complete and valid, null while wrong. */
function dayFilter(text: string): string | null {
  if (!text.trim()) return '';
  return brToIsoDay(text);
}

export function DocumentsPanel() {
  const selectedId = useFaturamentoView((s) => s.selectedDocumentId);
  const select = useFaturamentoView((s) => s.selectDocument);
  const [query, setQuery] = useState('');
  const [model, setModel] = useState<'' | '55' | '57'>('');
  const [status, setStatus] = useState<'' | DocumentStatus>('');
  const [fromText, setFromText] = useState('');
  const [toText, setToText] = useState('');
  const [refreshing, setRefreshing] = useState(false);
  const [refreshError, setRefreshError] = useState<string | null>(null);
  const [loadedAt, setLoadedAt] = useState<string | null>(null);
  const from = dayFilter(fromText);
  const to = dayFilter(toText);
  const datesOk = from !== null && to !== null && (!from || !to || from <= to);
  // A half-typed date keeps the last valid filter on screen.
  const [dates, setDates] = useState({ from: '', to: '' });
  if (datesOk && (dates.from !== from || dates.to !== to)) setDates({ from: from ?? '', to: to ?? '' });
  const docs = usePagedList(
    async (cursor) => {
      const r = await call('documents.page', {
        ...(query ? { q: query } : {}),
        ...(model ? { model: Number(model) as 55 | 57 } : {}),
        ...(status ? { status } : {}),
        ...(dates.from ? { from: dates.from } : {}),
        ...(dates.to ? { to: dates.to } : {}),
        limit: PAGE,
        cursor,
      });
      if (!cursor) setLoadedAt(new Date().toISOString());
      return r;
    },
    `${model}|${query}|${status}|${dates.from}|${dates.to}`,
    'Não foi possível carregar os documentos',
    { intervalMs: REFRESH_MS, events: ['documents.changed'] },
  );

  // Asks SEFAZ about everything still pending, then shows what it answered.
  const refreshNow = async () => {
    setRefreshing(true);
    setRefreshError(null);
    try {
      await call('documents.refresh', {});
    } catch (err) {
      setRefreshError(errorText(err, 'Consulta à SEFAZ falhou'));
    }
    await docs.refresh();
    setRefreshing(false);
  };

  return (
    <div>
      <GapsWarning />
      <ContingencyPendingWarning />
      <div className="toolbar">
        <SearchForm id="documents-q" label="Buscar documentos" placeholder="Número, chave, CNPJ/CPF ou cliente" onSearch={setQuery} initialFocus />
        <label className="inline-field">
          Modelo{' '}
          <select aria-label="Modelo" value={model} onChange={(e) => setModel(e.target.value as '' | '55' | '57')}>
            <option value="">NF-e e CT-e</option>
            <option value="55">Só NF-e</option>
            <option value="57">Só CT-e</option>
          </select>
        </label>
        <label className="inline-field">
          Situação{' '}
          <select aria-label="Situação" value={status} onChange={(e) => setStatus(e.target.value as '' | DocumentStatus)}>
            {STATUS_OPTIONS.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </label>
        <label className="inline-field date-filter">
          De <DateInput id="documents-from" aria-invalid={from === null || undefined} aria-describedby={undefined} aria-required={undefined} value={fromText} onChange={setFromText} />
        </label>
        <label className="inline-field date-filter">
          Até <DateInput id="documents-to" aria-invalid={to === null || !datesOk || undefined} aria-describedby={undefined} aria-required={undefined} value={toText} onChange={setToText} />
        </label>
        <span className="spacer" />
        <span className="muted small-text" aria-live="polite">
          {loadedAt ? `Atualizado às ${formatTime(loadedAt)} · automático a cada 10 s` : ''}
        </span>
        <button type="button" onClick={() => void refreshNow()} disabled={refreshing}>
          {refreshing ? 'Atualizando…' : 'Atualizar'}
        </button>
      </div>
      {!datesOk && (fromText.length === 10 || toText.length === 10) && (
        <Notice kind="error">{from === null || to === null ? 'Data inválida: use dd/mm/aaaa.' : 'A data inicial é depois da final.'}</Notice>
      )}
      {docs.notice && <Notice kind="warn">{docs.notice}</Notice>}
      {docs.error && <Notice kind="error">{docs.error}</Notice>}
      {refreshError && <Notice kind="error">{refreshError}</Notice>}
      <div className={selectedId ? 'master-detail' : undefined}>
        <div>
          <DocumentsTable
            documents={docs.rows}
            selectedId={selectedId}
            onSelect={(d) => select(d.id)}
            label="Documentos"
            emptyText={query || status || dates.from || dates.to ? `Nenhum documento${query ? ` para “${query}”` : ''} com estes filtros.` : 'Nenhum documento emitido ainda.'}
          />
          {docs.hasMore && (
            <p className="load-more">
              <button type="button" onClick={() => void docs.loadMore()} disabled={docs.loadingMore}>
                {docs.loadingMore ? 'Carregando…' : 'Carregar mais'}
              </button>
            </p>
          )}
        </div>
        {selectedId && <DocumentDetailPanel id={selectedId} onClose={() => select(null)} onChanged={() => void docs.refresh()} />}
      </div>
      <p className="legend muted small-text">
        <span className="badge badge-green">
          <span className="badge-dot" />
          autorizada
        </span>
        <span className="badge badge-yellow">
          <span className="badge-dot" />
          processando / aguardando
        </span>
        <span className="badge badge-red">
          <span className="badge-dot" />
          rejeitada / denegada
        </span>
        <span className="badge badge-grey">
          <span className="badge-dot" />
          cancelada
        </span>
      </p>
    </div>
  );
}
