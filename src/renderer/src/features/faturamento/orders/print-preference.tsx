import { useEffect, useState } from 'react';
import { call } from '../../../api';
import { errorText } from '../../../lib/errors';

export type PrintTo = 'form' | 'pdf' | 'none';
const KEY = 'user.printTo';

const OPTIONS: { id: PrintTo; label: string }[] = [
  { id: 'form', label: 'Formulário contínuo (impressora matricial)' },
  { id: 'pdf', label: 'PDF' },
  { id: 'none', label: 'Não imprimir agora' },
];

function isPrintTo(v: unknown): v is PrintTo {
  return v === 'form' || v === 'pdf' || v === 'none';
}

/** Where the DANFE goes after finalizing; remembered per user through settings. */
export function usePrintPreference(): [PrintTo, (p: PrintTo) => void, string | null] {
  const [value, setValue] = useState<PrintTo>('form');
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    call('settings.get', { key: KEY })
      .then((r) => isPrintTo(r.value) && setValue(r.value))
      .catch(() => undefined);
  }, []);
  const choose = (p: PrintTo) => {
    setValue(p);
    call('settings.set', { key: KEY, value: p })
      .then(() => setError(null))
      .catch((err) => setError(errorText(err, 'Preferência de impressão não foi salva')));
  };
  return [value, choose, error];
}

export function PrintToChoice({ value, onChange, disabled, what = 'DANFE' }: { value: PrintTo; onChange(p: PrintTo): void; disabled?: boolean; what?: 'DANFE' | 'DACTE' }) {
  return (
    <fieldset className="radio-group span-2" disabled={disabled}>
      <legend>Imprimir {what} em</legend>
      {OPTIONS.map((o) => (
        <label key={o.id} className="radio">
          <input type="radio" name="printTo" value={o.id} checked={value === o.id} onChange={() => onChange(o.id)} />
          {o.label}
        </label>
      ))}
    </fieldset>
  );
}
