import { useState } from 'react';
import type { SeriesAdminDto } from '../../../../../shared/api/index';
import { call } from '../../../api';
import { Notice } from '../../../components/notice';
import { useApiQuery } from '../../../hooks/use-api-query';
import { formatDate } from '../../../lib/dates';
import { ranges } from '../../faturamento/documents/gaps-warning';
import { InutilizarDialog } from './inutilizar-dialog';
import { SeriesAuditPanel } from './series-audit-panel';
import { SeriesEditDialog } from './series-edit-dialog';
import { SetNextDialog } from './set-next-dialog';

type DialogState = { kind: 'edit'; series: SeriesAdminDto | null } | { kind: 'next'; series: SeriesAdminDto } | { kind: 'inutilizar'; series: SeriesAdminDto } | null;

export function SeriesSection() {
  const list = useApiQuery(() => call('series.list'), '', 'Não foi possível carregar as séries');
  const gaps = useApiQuery(() => call('documents.gaps'), '', 'Não foi possível carregar os números a inutilizar');
  const [dialog, setDialog] = useState<DialogState>(null);
  const [auditId, setAuditId] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const done = (message: string) => {
    setDialog(null);
    setNotice(message);
    void list.reload();
    void gaps.reload();
  };
  const audited = list.data?.find((s) => s.id === auditId) ?? null;

  return (
    <div>
      <div className="toolbar">
        <p className="muted small-text">
          O próximo número de cada série é controlado pelo servidor LAN. Avançar deixa números a inutilizar; voltar só é aceito quando nenhum número à frente foi usado.
        </p>
        <span className="spacer" />
        <button type="button" className="primary" onClick={() => setDialog({ kind: 'edit', series: null })}>
          Nova série
        </button>
      </div>
      {list.error && <Notice kind="error">{list.error}</Notice>}
      {notice && (
        <Notice kind="ok" onDismiss={() => setNotice(null)}>
          {notice}
        </Notice>
      )}
      <table className="grid" aria-label="Séries">
        <thead>
          <tr>
            <th scope="col">Modelo</th>
            <th scope="col" className="num">
              Série
            </th>
            <th scope="col">Descrição</th>
            <th scope="col">Emissão própria</th>
            <th scope="col">Situação</th>
            <th scope="col" className="num">
              Próximo número
            </th>
            <th scope="col">
              <span className="sr-only">Ações</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {list.data?.map((s) => {
            const name = `${s.model === 57 ? 'CT-e' : 'NF-e'} série ${s.serie}`;
            return (
            <tr key={s.id} className={s.id === auditId ? 'selected' : undefined} data-testid={`series-row-${s.model}-${s.serie}`}>
              <td>{s.model === 57 ? 'CT-e (57)' : 'NF-e (55)'}</td>
              <td className="num">{s.serie}</td>
              <td>{s.description ?? ''}</td>
              <td>{s.emissaoPropria ? 'Sim' : 'Não'}</td>
              <td>
                {!s.active ? (
                  <span className="pill">Inativa</span>
                ) : s.blockedBy !== null ? (
                  <span className="pill pill-warn" title="Um número importado está no caminho: ajuste o próximo número.">
                    Bloqueada pelo nº {s.blockedBy}
                  </span>
                ) : (
                  <span className="pill pill-faturado">Ativa</span>
                )}
              </td>
              <td className="num" data-testid="series-next">
                {s.nextNumber}
              </td>
              <td className="nowrap actions-cell">
                <button type="button" className="small" onClick={() => setDialog({ kind: 'edit', series: s })} aria-label={`Editar ${name}`}>
                  Editar
                </button>
                <button type="button" className="small" onClick={() => setDialog({ kind: 'next', series: s })} aria-label={`Alterar próximo número da ${name}`}>
                  Próximo número…
                </button>
                {s.model === 55 && (
                  <button type="button" className="small" onClick={() => setDialog({ kind: 'inutilizar', series: s })} aria-label={`Inutilizar números da ${name}`}>
                    Inutilizar…
                  </button>
                )}
                <button type="button" className="small" onClick={() => setAuditId(auditId === s.id ? null : s.id)} aria-pressed={auditId === s.id} aria-label={`Auditoria da ${name}`}>
                  Auditoria
                </button>
              </td>
            </tr>
            );
          })}
          {list.data && list.data.length === 0 && (
            <tr>
              <td colSpan={7} className="empty">
                Nenhuma série cadastrada.
              </td>
            </tr>
          )}
        </tbody>
      </table>
      {gaps.data && gaps.data.gaps.length > 0 && (
        <section className="card" aria-labelledby="gaps-title" data-testid="series-gaps">
          <h2 id="gaps-title">Números a inutilizar</h2>
          <ul>
            {gaps.data.gaps.map((g) => (
              <li key={`${g.model}-${g.serie}`}>
                {g.model === 57 ? 'CT-e' : 'NF-e'} série {g.serie}: {ranges(g.numbers)} — prazo {formatDate(g.deadline)} (Ajuste SINIEF 07/05)
              </li>
            ))}
          </ul>
        </section>
      )}
      {audited && <SeriesAuditPanel series={audited} />}
      {dialog?.kind === 'edit' && <SeriesEditDialog series={dialog.series} onClose={() => setDialog(null)} onSaved={done} />}
      {dialog?.kind === 'next' && <SetNextDialog series={dialog.series} onClose={() => setDialog(null)} onSaved={done} />}
      {dialog?.kind === 'inutilizar' && <InutilizarDialog series={dialog.series} onClose={() => setDialog(null)} onDone={done} />}
    </div>
  );
}
