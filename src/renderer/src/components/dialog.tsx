import { useEffect, useId, useRef, type ReactNode } from 'react';
import { createPortal } from 'react-dom';

interface DialogProps {
  title: string;
  onClose(): void;
  children: ReactNode;
  /** Buttons row; put the primary action last. */
  footer?: ReactNode;
  wide?: boolean;
  /** While true, Esc and the close button do nothing (a fiscal call is in flight). */
  busy?: boolean;
  /**
   * Changes when the body swaps to another step (loading → form → result): the step's
   * `[data-autofocus]` element takes focus again, so Enter always reaches its primary action.
   */
  step?: string;
}

/**
 * Modal on the native <dialog>: the browser gives focus trapping, Esc (the `cancel`
 * event) and the top layer; focus returns to whatever opened it. Put the body in a <form>
 * (see FormDialog) when Enter should confirm.
 */
export function Dialog({ title, onClose, children, footer, wide, busy, step }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const busyRef = useRef(busy);
  busyRef.current = busy;
  const closeRef = useRef(onClose);
  closeRef.current = onClose;

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const opener = document.activeElement as HTMLElement | null;
    if (!dialog.open) dialog.showModal();
    const autofocus = dialog.querySelector<HTMLElement>('[data-autofocus], [autofocus]');
    autofocus?.focus();
    const onCancel = (e: Event) => {
      e.preventDefault();
      if (!busyRef.current) closeRef.current();
    };
    dialog.addEventListener('cancel', onCancel);
    return () => {
      dialog.removeEventListener('cancel', onCancel);
      if (dialog.open) dialog.close();
      opener?.focus?.();
    };
  }, []);

  useEffect(() => {
    if (step === undefined) return;
    ref.current?.querySelector<HTMLElement>('[data-autofocus]:not(:disabled)')?.focus();
  }, [step]);

  // Portalled: a dialog opened from inside a form must not submit that form on Enter.
  return createPortal(
    <dialog ref={ref} className={wide ? 'dialog dialog-wide' : 'dialog'} aria-labelledby={titleId}>
      <header className="dialog-header">
        <h2 id={titleId}>{title}</h2>
        <button type="button" className="icon-button" aria-label="Fechar" onClick={onClose} disabled={busy}>
          ×
        </button>
      </header>
      <div className="dialog-body">{children}</div>
      {footer && <footer className="dialog-footer">{footer}</footer>}
    </dialog>,
    document.body,
  );
}
