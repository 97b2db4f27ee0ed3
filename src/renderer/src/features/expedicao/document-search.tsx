import { DateInput } from '../../components/date-input';
import { brToIsoDay } from '../../../../shared/format';
import { useRef, useState, type FormEvent } from 'react';
import type { DocumentSummary } from '../../../../shared/api/index';
import { call } from '../../api';
import { Field } from '../../components/field';
import { Notice } from '../../components/notice';
import { errorText } from '../../lib/errors';
import { DocumentsTable } from '../../components/documents-table';
import { ReprintPanel } from './reprint-panel';

type Params = { q?: string; number?: number; chave?: string; date?: string };

/**
 * Find by number, chave, customer or date. The chave field takes a barcode scanner: it
 * "types" 44 digits fast and presses Enter, so Enter searches and the field is ready
 * for the next scan right after.
 */
export function DocumentSearch() {
  const chaveRef = useRef<HTMLInputElement>(null);
  const [number, setNumber] = useState('');
  const [chave, setChave] = useState('');
  const [cliente, setCliente] = useState('');
  const [date, setDate] = useState('');
  const [docs, setDocs] = useState<DocumentSummary[] | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [chaveError, setChaveError] = useState<string | null>(null);

  const run = async (params: Params) => {
    setError(null);
    try {
      const found = await call('documents.list', params);
      setDocs(found);
      setSelected(found.length === 1 ? found[0]!.id : null);
    } catch (err) {
      setDocs(null);
      setError(errorText(err, 'Busca não realizada'));
    }
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const digits = chave.replace(/\D/g, '');
    if (digits) {
      if (digits.length !== 44) {
        // A misread scan must not leave the previous DANFE (and its buttons) on screen.
        setDocs(null);
        setSelected(null);
        setChaveError(`A chave de acesso tem 44 dígitos (lidos: ${digits.length}). Leia o código de barras de novo.`);
        chaveRef.current?.select();
        return;
      }
      setChaveError(null);
      await run({ chave: digits });
      chaveRef.current?.select();
      return;
    }
    setChaveError(null);
    const params: Params = {};
    if (number.trim()) params.number = Number(number.trim());
    if (cliente.trim()) params.q = cliente.trim();
    if (date.trim()) {
      const day = brToIsoDay(date);
      if (!day) {
        setError('Data de emissão inválida: use dd/mm/aaaa (ex.: 10/03/2025).');
        return;
      }
      params.date = day;
    }
    if (Object.keys(params).length === 0) {
      setError('Informe número, chave, cliente ou data.');
      return;
    }
    await run(params);
  };

  return (
    <div>
      <form className="card search-card" onSubmit={submit} noValidate aria-label="Localizar documento">
        <Field label="Chave de acesso" error={chaveError} hint="Digite ou leia o código de barras do DANFE ou do DACTE" className="span-3">
          {(p) => (
            <input
              {...p}
              ref={chaveRef}
              autoFocus
              inputMode="numeric"
              autoComplete="off"
              className="mono"
              maxLength={60}
              value={chave}
              onChange={(e) => setChave(e.target.value.replace(/[^\d ]/g, ''))}
            />
          )}
        </Field>
        <Field label="Número">
          {(p) => <input {...p} inputMode="numeric" value={number} onChange={(e) => setNumber(e.target.value.replace(/\D/g, '').slice(0, 9))} />}
        </Field>
        <Field label="Cliente" className="span-2">
          {(p) => <input {...p} placeholder="Nome, CNPJ ou CPF" value={cliente} onChange={(e) => setCliente(e.target.value)} />}
        </Field>
        <Field label="Data de emissão">
          {(p) => <DateInput {...p} value={date} onChange={setDate} />}
        </Field>
        <div className="search-actions">
          <button type="submit" className="primary">
            Localizar
          </button>
          <button
            type="button"
            onClick={() => {
              setNumber('');
              setChave('');
              setCliente('');
              setDate('');
              setDocs(null);
              setSelected(null);
              chaveRef.current?.focus();
            }}
          >
            Limpar
          </button>
        </div>
      </form>
      {error && <Notice kind="error">{error}</Notice>}
      {docs && (
        <div className={selected ? 'master-detail' : undefined}>
          <DocumentsTable documents={docs} selectedId={selected} onSelect={(d) => setSelected(d.id)} label="Documentos encontrados" emptyText="Nenhum documento encontrado." />
          {selected && <ReprintPanel key={selected} id={selected} onClose={() => setSelected(null)} onDone={() => chaveRef.current?.select()} />}
        </div>
      )}
    </div>
  );
}
