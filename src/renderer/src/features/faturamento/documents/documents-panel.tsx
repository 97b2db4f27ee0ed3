import { useState } from 'react';
import { call } from '../../../api';
import { Notice } from '../../../components/notice';
import { useApiQuery } from '../../../hooks/use-api-query';
import { formatTime } from '../../../lib/dates';
import { errorText } from '../../../lib/errors';
import { useFaturamentoView } from '../view-store';
import { DocumentDetailPanel } from './document-detail';
import { DocumentsTable } from '../../../components/documents-table';
import { GapsWarning } from './gaps-warning';
import { ContingencyPendingWarning } from './contingency-pending';
import { SearchForm } from '../../../components/search-form';

const REFRESH_MS = 10_000;

export function DocumentsPanel() {
  const selectedId = useFaturamentoView((s) => s.selectedDocumentId);
  const select = useFaturamentoView((s) => s.selectDocument);
  const [query, setQuery] = useState('');
  const [model, setModel] = useState<'' | '55' | '57'>('');
  const [refreshing, setRefreshing] = useState(false);
  const [refreshError, setRefreshError] = useState<string | null>(null);
  const [loadedAt, setLoadedAt] = useState<string | null>(null);
  const docs = useApiQuery(
    async () => {
      const r = await call('documents.list', { ...(query ? { q: query } : {}), ...(model ? { model: Number(model) as 55 | 57 } : {}) });
      setLoadedAt(new Date().toISOString());
      return r;
    },
    `${model}|${query}`,
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
    await docs.reload();
    setRefreshing(false);
  };

  return (
    <div>
      <GapsWarning />
      <ContingencyPendingWarning />
      <div className="toolbar">
        <SearchForm id="documents-q" label="Buscar documentos" placeholder="Número, chave ou cliente" onSearch={setQuery} initialFocus />
        <label className="inline-field">
          Modelo{' '}
          <select aria-label="Modelo" value={model} onChange={(e) => setModel(e.target.value as '' | '55' | '57')}>
            <option value="">NF-e e CT-e</option>
            <option value="55">Só NF-e</option>
            <option value="57">Só CT-e</option>
          </select>
        </label>
        <span className="spacer" />
        <span className="muted small-text" aria-live="polite">
          {loadedAt ? `Atualizado às ${formatTime(loadedAt)} · automático a cada 10 s` : ''}
        </span>
        <button type="button" onClick={() => void refreshNow()} disabled={refreshing}>
          {refreshing ? 'Atualizando…' : 'Atualizar'}
        </button>
      </div>
      {docs.error && <Notice kind="error">{docs.error}</Notice>}
      {refreshError && <Notice kind="error">{refreshError}</Notice>}
      <div className={selectedId ? 'master-detail' : undefined}>
        <DocumentsTable
          documents={docs.data}
          selectedId={selectedId}
          onSelect={(d) => select(d.id)}
          label="Documentos"
          emptyText={query ? `Nenhum documento para “${query}”.` : 'Nenhum documento emitido ainda.'}
        />
        {selectedId && <DocumentDetailPanel id={selectedId} onClose={() => select(null)} onChanged={() => void docs.reload()} />}
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
