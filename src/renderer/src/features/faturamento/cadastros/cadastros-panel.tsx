import { useState } from 'react';
import type { RegistryKind } from '../../../../../shared/api/index';
import { call } from '../../../api';
import { Field } from '../../../components/field';
import { FormDialog } from '../../../components/form-dialog';
import { Notice } from '../../../components/notice';
import { SearchForm } from '../../../components/search-form';
import { useApiQuery } from '../../../hooks/use-api-query';
import { apiErrorOf, errorText } from '../../../lib/errors';
import { UFS } from '../../../lib/fiscal-options';
import { SPECS, setAt, valueAt, type RegistrySpec } from './specs';

type Row = Record<string, unknown> & { id: string };
const PAGE = 50;

/** Products: CST and ad rem per UF of destination, used when there is no earlier note there. */
function TaxByUf({ value, onChange }: { value: Record<string, { cstICMS: string | null; adRemICMS: string | null }>; onChange(v: typeof value): void }) {
  const [uf, setUf] = useState('');
  return (
    <fieldset className="tax-by-uf span-2">
      <legend>Tributação por UF de destino</legend>
      <table className="grid compact" aria-label="Tributação por UF">
        <thead>
          <tr>
            <th scope="col">UF</th>
            <th scope="col">CST do ICMS</th>
            <th scope="col">Ad rem (R$/L)</th>
            <th scope="col">
              <span className="sr-only">Ações</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {Object.entries(value).map(([u, t]) => (
            <tr key={u}>
              <td>{u}</td>
              <td>
                <input aria-label={`CST do ICMS para ${u}`} maxLength={3} value={t.cstICMS ?? ''} onChange={(e) => onChange({ ...value, [u]: { ...t, cstICMS: e.target.value.replace(/\D/g, '') || null } })} />
              </td>
              <td>
                <input aria-label={`Ad rem do ICMS para ${u}`} inputMode="decimal" value={t.adRemICMS ?? ''} onChange={(e) => onChange({ ...value, [u]: { ...t, adRemICMS: e.target.value || null } })} />
              </td>
              <td>
                <button type="button" className="icon-button" aria-label={`Remover ${u}`} onClick={() => onChange(Object.fromEntries(Object.entries(value).filter(([k]) => k !== u)))}>
                  ×
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="inline-field">
        <select aria-label="UF a incluir" value={uf} onChange={(e) => setUf(e.target.value)}>
          <option value="">UF…</option>
          {UFS.filter((u) => !value[u]).map((u) => (
            <option key={u}>{u}</option>
          ))}
        </select>
        <button type="button" className="small" disabled={!uf} onClick={() => (onChange({ ...value, [uf]: { cstICMS: null, adRemICMS: null } }), setUf(''))}>
          + Incluir UF
        </button>
      </div>
    </fieldset>
  );
}

function EditDialog({ spec, initial, onClose, onSaved }: { spec: RegistrySpec; initial: Row | null; onClose(): void; onSaved(r: Row): void }) {
  const [rec, setRec] = useState<Record<string, unknown>>(initial ?? { ...spec.blank, id: '' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ field: string | null; text: string } | null>(null);
  const carriers = useApiQuery(
    () => (spec.fields.some((f) => f.carrier) ? call('registry.list', { kind: 'transportadoras', limit: 100 }) : Promise.resolve({ rows: [], next: null })),
    spec.kind,
    'Não foi possível carregar as transportadoras',
  );
  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      const saved = await call('registry.save', { kind: spec.kind, record: rec as never });
      onSaved(saved as unknown as Row);
    } catch (err) {
      setError({ field: apiErrorOf(err).field ?? null, text: errorText(err, `${spec.one[0]!.toUpperCase()}${spec.one.slice(1)} não ${spec.fem ? 'salva' : 'salvo'}`) });
      setBusy(false);
    }
  };
  const fieldError = (path: string) => (error && error.field === path ? error.text : undefined);
  const placed = error?.field && spec.fields.some((f) => f.path === error.field);
  return (
    <FormDialog title={initial ? `Editar ${spec.one}` : `${spec.fem ? 'Nova' : 'Novo'} ${spec.one}`} onClose={onClose} onSubmit={() => void save()} submitLabel={busy ? 'Salvando…' : 'Salvar'} busy={busy} wide dismissLabel="Voltar">
      <div className="form-grid">
        {spec.fields.map((f, i) => (
          <Field key={f.path} label={f.label} required={f.required} error={fieldError(f.path)} hint={f.hint}>
            {(p) =>
              f.options || f.carrier ? (
                <select {...p} data-autofocus={i === 0 ? true : undefined} value={valueAt(rec, f.path)} onChange={(e) => setRec(setAt(rec, f.path, f.number ? Number(e.target.value) : e.target.value || null))}>
                  {f.carrier && <option value="">— nenhuma (frota própria ou do cliente) —</option>}
                  {(f.options ?? (carriers.data?.rows ?? []).map((c) => ({ value: String(c.id), label: String((c as { nome?: string }).nome ?? c.id) }))).map((o) => (
                    <option key={o.value} value={o.value}>
                      {o.label}
                    </option>
                  ))}
                </select>
              ) : (
                <input {...p} data-autofocus={i === 0 ? true : undefined} maxLength={f.maxLength} value={valueAt(rec, f.path)} onChange={(e) => setRec(setAt(rec, f.path, e.target.value))} />
              )
            }
          </Field>
        ))}
        {spec.kind === 'produtos' && (
          <TaxByUf value={(rec.tributacaoUf as Record<string, { cstICMS: string | null; adRemICMS: string | null }>) ?? {}} onChange={(v) => setRec({ ...rec, tributacaoUf: v })} />
        )}
      </div>
      {error && !placed && <Notice kind="error">{error.text}</Notice>}
    </FormDialog>
  );
}

function RegistryTable({ spec }: { spec: RegistrySpec }) {
  const [q, setQ] = useState('');
  const [offset, setOffset] = useState(0);
  const [editing, setEditing] = useState<Row | 'new' | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const page = useApiQuery(() => call('registry.list', { kind: spec.kind, q, offset, limit: PAGE }), `${spec.kind}|${q}|${offset}`, `Não foi possível carregar ${spec.label.toLowerCase()}`);
  const rows = (page.data?.rows ?? []) as unknown as Row[];
  return (
    <div>
      <div className="toolbar">
        <SearchForm
          id={`registry-q-${spec.kind}`}
          label={`Buscar ${spec.label.toLowerCase()}`}
          placeholder="Nome, documento, código…"
          onSearch={(v) => {
            setQ(v);
            setOffset(0);
          }}
          initialFocus
        />
        <span className="spacer" />
        <button type="button" className="primary" onClick={() => setEditing('new')}>
          {spec.fem ? 'Nova' : 'Novo'} {spec.one}
        </button>
      </div>
      {page.error && <Notice kind="error">{page.error}</Notice>}
      {notice && (
        <Notice kind="ok" onDismiss={() => setNotice(null)}>
          {notice}
        </Notice>
      )}
      <table className="grid" aria-label={spec.label}>
        <thead>
          <tr>
            {spec.columns.map((c) => (
              <th key={c.label} scope="col">
                {c.label}
              </th>
            ))}
            <th scope="col">
              <span className="sr-only">Ações</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id} data-testid={`registry-row-${spec.kind}`}>
              {spec.columns.map((c) => (
                <td key={c.label}>{c.value(r)}</td>
              ))}
              <td>
                <button type="button" className="small" aria-label={`Editar ${spec.one} ${spec.columns[0]!.value(r)}`} onClick={() => setEditing(r)}>
                  Editar
                </button>
              </td>
            </tr>
          ))}
          {page.data && rows.length === 0 && (
            <tr>
              <td colSpan={spec.columns.length + 1} className="empty">
                {q ? `Nada encontrado para “${q}”.` : `Nenhum ${spec.one} cadastrado.`}
              </td>
            </tr>
          )}
        </tbody>
      </table>
      <div className="pager">
        <button type="button" className="small" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
          ← Anteriores
        </button>
        <span className="muted small-text">{rows.length ? `${offset + 1}–${offset + rows.length}` : ''}</span>
        <button type="button" className="small" disabled={page.data?.next == null} onClick={() => setOffset(page.data?.next ?? offset)}>
          Próximos →
        </button>
      </div>
      {editing && (
        <EditDialog
          spec={spec}
          initial={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={(r) => {
            setEditing(null);
            setNotice(`${spec.one[0]!.toUpperCase()}${spec.one.slice(1)} ${spec.columns[0]!.value(r)} ${spec.fem ? 'salva' : 'salvo'}.`);
            void page.reload();
          }}
        />
      )}
    </div>
  );
}

/** Faturamento › Cadastros (#22 item 17): clientes, produtos, transportadoras, veículos, motoristas. */
export function CadastrosPanel() {
  const [kind, setKind] = useState<RegistryKind>('clientes');
  const spec = SPECS.find((s) => s.kind === kind)!;
  return (
    <div>
      <div className="segmented" role="group" aria-label="Cadastro">
        {SPECS.map((s) => (
          <button key={s.kind} type="button" className={s.kind === kind ? 'active' : undefined} aria-pressed={s.kind === kind} onClick={() => setKind(s.kind)}>
            {s.label}
          </button>
        ))}
      </div>
      <RegistryTable key={kind} spec={spec} />
    </div>
  );
}
