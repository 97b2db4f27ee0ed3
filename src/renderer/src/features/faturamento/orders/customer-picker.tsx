import { useEffect, useId, useState, type KeyboardEvent } from 'react';
import type { CustomerDto } from '../../../../../shared/api/index';
import { call } from '../../../api';
import { Field } from '../../../components/field';
import { errorText } from '../../../lib/errors';
import { formatDocumento } from '../../../lib/fiscal-options';
import { formatCep } from '../../../../../shared/format';

interface Props {
  customer: CustomerDto | null;
  onChange(c: CustomerDto | null): void;
  error?: string | undefined;
  disabled?: boolean;
  /** Field label and test id of the chosen card (default: the order's "Cliente"). */
  label?: string;
  testId?: string;
  required?: boolean;
}

/** Combobox over customers.search: type a name or CNPJ/CPF, arrows to move, Enter to pick. */
export function CustomerPicker({ customer, onChange, error, disabled, label = 'Cliente', testId = 'order-customer', required = true }: Props) {
  const listId = useId();
  const [q, setQ] = useState('');
  const [results, setResults] = useState<CustomerDto[]>([]);
  const [active, setActive] = useState(-1);
  const [open, setOpen] = useState(false);
  const [searchError, setSearchError] = useState<string | null>(null);

  useEffect(() => {
    if (!open) return;
    let stale = false;
    const t = setTimeout(async () => {
      try {
        const found = await call('customers.search', q.trim() ? { q: q.trim() } : {});
        if (stale) return;
        setResults(found.slice(0, 20));
        // Nothing highlighted until the first ↓, so "posto", ↓, Enter picks the first match.
        setActive(-1);
        setSearchError(null);
      } catch (err) {
        if (!stale) setSearchError(errorText(err, 'Busca de clientes indisponível'));
      }
    }, 200);
    return () => {
      stale = true;
      clearTimeout(t);
    };
  }, [q, open]);

  const pick = (c: CustomerDto) => {
    onChange(c);
    setOpen(false);
    setQ('');
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setOpen(true);
      setActive((a) => Math.min(a + 1, results.length - 1));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((a) => Math.max(a - 1, results.length > 0 ? 0 : -1));
    } else if (e.key === 'Enter') {
      // Enter picks the highlighted customer instead of submitting the order.
      e.preventDefault();
      // With a single match Enter takes it; otherwise the highlighted one (↓ first).
      const c = results.length === 1 ? results[0] : results[active];
      if (open && c) pick(c);
    } else if (e.key === 'Escape' && open) {
      e.preventDefault();
      e.stopPropagation();
      setOpen(false);
    }
  };

  if (customer) {
    const a = customer.endereco;
    return (
      <div className="customer-card" data-testid={testId}>
        <div>
          <div className="customer-name">{customer.nome}</div>
          <div className="muted">
            {formatDocumento(customer.documento)}
            {customer.ie ? ` · IE ${customer.ie}` : customer.indIEDest === 2 ? ' · IE isento' : ' · não contribuinte'}
          </div>
          <div className="muted">
            {a.logradouro}, {a.numero} – {a.bairro} – {a.municipio}/{a.uf}{a.cep ? ` – CEP ${formatCep(a.cep)}` : ''}
          </div>
        </div>
        {!disabled && (
          <button type="button" onClick={() => onChange(null)}>
            {label === 'Cliente' ? 'Trocar cliente' : `Trocar ${label.toLowerCase()}`}
          </button>
        )}
      </div>
    );
  }

  const activeId = open && results[active] ? `${listId}-${active}` : undefined;
  return (
    <div className="combobox">
      <Field label={label} required={required} error={error ?? searchError} hint="Digite o nome, CNPJ ou CPF e escolha com ↓ e Enter">
        {(p) => (
          <input
            {...p}
            role="combobox"
            aria-expanded={open}
            aria-controls={listId}
            aria-autocomplete="list"
            aria-activedescendant={activeId}
            autoComplete="off"
            disabled={disabled}
            value={q}
            onChange={(e) => {
              setQ(e.target.value);
              setOpen(true);
            }}
            onFocus={() => setOpen(true)}
            onBlur={() => setTimeout(() => setOpen(false), 150)}
            onKeyDown={onKeyDown}
          />
        )}
      </Field>
      {open && results.length > 0 && (
        <ul className="combobox-list" role="listbox" id={listId} aria-label="Clientes encontrados">
          {results.map((c, i) => (
            <li
              key={c.id}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === active}
              className={i === active ? 'active' : ''}
              onMouseDown={(e) => {
                e.preventDefault();
                pick(c);
              }}
            >
              <span>{c.nome}</span>
              <span className="muted">
                {formatDocumento(c.documento)} · {c.endereco.municipio}/{c.endereco.uf}
              </span>
            </li>
          ))}
        </ul>
      )}
      {open && results.length === 0 && q.trim() && !searchError && <div className="combobox-empty muted">Nenhum cliente encontrado.</div>}
    </div>
  );
}
