import type { ReactNode } from 'react';

type Kind = 'error' | 'warn' | 'ok' | 'info';

/** Inline message box; errors are announced (role=alert), the rest politely. */
export function Notice({ kind, children, onDismiss }: { kind: Kind; children: ReactNode; onDismiss?: () => void }) {
  return (
    <div className={`notice notice-${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      <div className="notice-text">{children}</div>
      {onDismiss && (
        <button type="button" className="icon-button" aria-label="Dispensar mensagem" onClick={onDismiss}>
          ×
        </button>
      )}
    </div>
  );
}
