import { useId, type ReactNode } from 'react';

export interface ControlProps {
  id: string;
  'aria-invalid': boolean | undefined;
  'aria-describedby': string | undefined;
  'aria-required': boolean | undefined;
}

interface FieldProps {
  label: string;
  required?: boolean;
  /** pt-BR message; the control is outlined in red while set. */
  error?: string | null | undefined;
  hint?: ReactNode;
  className?: string;
  /** Table cells: the label is read by screen readers and getByLabel, not shown. */
  hideLabel?: boolean;
  children(control: ControlProps): ReactNode;
}

/** A labelled control with its required mark, hint and error (getByLabel finds it). */
export function Field({ label, required, error, hint, className, hideLabel, children }: FieldProps) {
  const id = useId();
  const messageId = `${id}-msg`;
  const classes = ['field', required ? 'field-required' : '', error ? 'field-invalid' : '', className ?? ''].filter(Boolean).join(' ');
  return (
    <div className={classes}>
      {/* The mark sits outside the label so the accessible name is exactly `label`. */}
      <div className={hideLabel ? 'sr-only' : 'field-label'}>
        <label htmlFor={id}>{label}</label>
        {required && (
          <span className="required-mark" aria-hidden="true">
            *
          </span>
        )}
      </div>
      {children({
        id,
        'aria-invalid': error ? true : undefined,
        'aria-describedby': error || hint ? messageId : undefined,
        'aria-required': required || undefined,
      })}
      {error ? (
        <span id={messageId} className="field-error">
          {error}
        </span>
      ) : hint ? (
        <span id={messageId} className="field-hint">
          {hint}
        </span>
      ) : null}
    </div>
  );
}
