import type { ControlProps } from './field';

/**
 * A calendar day typed as dd/mm/aaaa whatever the browser's locale (a native date input
 * shows mm/dd/yyyy on an English Windows). Slashes are added while typing.
 */
export function DateInput({ value, onChange, ...p }: ControlProps & { value: string; onChange(text: string): void }) {
  return (
    <input
      {...p}
      inputMode="numeric"
      placeholder="dd/mm/aaaa"
      maxLength={10}
      value={value}
      onChange={(e) => {
        const digits = e.target.value.replace(/\D/g, '').slice(0, 8);
        onChange(digits.replace(/^(\d{2})(\d)/, '$1/$2').replace(/^(\d{2}\/\d{2})(\d)/, '$1/$2'));
      }}
    />
  );
}
