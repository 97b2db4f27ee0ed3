import { useId } from 'react';
import type { DiscountDto } from '../../../../../shared/api/index';
import type { DiscountInput } from './editor-store/initial-state';

const KINDS: { id: DiscountDto['tipo']; label: string; short: string }[] = [
  { id: 'nenhum', label: 'Sem desconto', short: '—' },
  { id: 'valor', label: 'Valor (R$)', short: 'R$' },
  { id: 'percentual', label: 'Percentual (%)', short: '%' },
  { id: 'porLitro', label: 'Por litro (R$/L)', short: 'R$/L' },
];

interface Props {
  label: string;
  value: DiscountInput;
  onChange(d: DiscountInput): void;
  error?: string | undefined;
  hint?: string;
  readOnly: boolean;
  /** R$ per liter only makes sense on an item. */
  perLiter?: boolean;
  /** Table cell: labels only for screen readers and getByLabel. */
  compact?: boolean;
}

/** A discount's form (value, percent, per liter) and amount, side by side. */
export function DiscountField({ label, value, onChange, error, hint, readOnly, perLiter, compact }: Props) {
  const id = useId();
  const kinds = KINDS.filter((k) => perLiter || k.id !== 'porLitro');
  const msgId = `${id}-msg`;
  return (
    <div className={['field', 'discount', compact ? 'discount-compact' : '', error ? 'field-invalid' : ''].filter(Boolean).join(' ')}>
      <div className={compact ? 'sr-only' : 'field-label'}>
        <label htmlFor={`${id}-valor`}>{label}</label>
        <label htmlFor={`${id}-tipo`} className="sr-only">
          Tipo – {label}
        </label>
      </div>
      <div className="discount-row">
        <select id={`${id}-tipo`} disabled={readOnly} value={value.tipo} onChange={(e) => onChange({ tipo: e.target.value as DiscountDto['tipo'], valor: e.target.value === 'nenhum' ? '' : value.valor })}>
          {kinds.map((k) => (
            <option key={k.id} value={k.id}>
              {compact ? k.short : k.label}
            </option>
          ))}
        </select>
        <input
          id={`${id}-valor`}
          className="num"
          inputMode="decimal"
          aria-invalid={error ? true : undefined}
          aria-describedby={error || (hint && !compact) ? msgId : undefined}
          placeholder={value.tipo === 'nenhum' ? '' : '0,00'}
          readOnly={readOnly || value.tipo === 'nenhum'}
          value={value.valor}
          onChange={(e) => onChange({ ...value, valor: e.target.value })}
        />
      </div>
      {error ? (
        <span id={msgId} className="field-error">
          {error}
        </span>
      ) : hint && !compact ? (
        <span id={msgId} className="field-hint">
          {hint}
        </span>
      ) : null}
    </div>
  );
}
