import type { FormEvent, ReactNode } from 'react';
import { Dialog } from './dialog';

interface Props {
  title: string;
  onClose(): void;
  onSubmit(): void;
  submitLabel: string;
  submitDisabled?: boolean;
  busy?: boolean;
  danger?: boolean;
  wide?: boolean;
  /** The dismiss button's label; "Voltar" where the action itself is a cancellation. */
  dismissLabel?: string;
  children: ReactNode;
}

/** A dialog whose body is a form: Enter confirms, Esc closes. */
export function FormDialog({ title, onClose, onSubmit, submitLabel, submitDisabled, busy, danger, wide, dismissLabel = 'Cancelar', children }: Props) {
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!submitDisabled && !busy) onSubmit();
  };
  return (
    <Dialog title={title} onClose={onClose} busy={busy} wide={wide}>
      <form onSubmit={submit} noValidate>
        {children}
        <div className="dialog-footer">
          <button type="button" onClick={onClose} disabled={busy}>
            {dismissLabel}
          </button>
          <button type="submit" className={danger ? 'danger' : 'primary'} disabled={submitDisabled || busy}>
            {submitLabel}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
