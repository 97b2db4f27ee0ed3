import type { ServiceStatus } from '../../../shared/api/index';
import { useAppStore } from '../stores/app-store';

function tone(s: ServiceStatus): 'ok' | 'warn' | 'bad' | 'idle' {
  if (s.state === 'online' || s.state === 'ok' || s.state === 'embedded') return 'ok';
  if (s.state === 'connecting' || s.state === 'idle') return 'warn';
  if (s.state === 'unconfigured') return 'idle';
  return 'bad';
}

function Item({ s, testId }: { s: ServiceStatus; testId: string }) {
  return (
    <span className={`status-item status-${tone(s)}`} data-testid={testId} title={s.detail ?? s.label}>
      <span className="dot" aria-hidden="true" />
      {s.label}
    </span>
  );
}

export function StatusBar() {
  const status = useAppStore((s) => s.status);
  const info = useAppStore((s) => s.info);
  const error = useAppStore((s) => s.error);
  return (
    <footer className="status-bar" role="status">
      {status ? (
        <>
          <Item s={status.lanServer} testId="status-lan" />
          <Item s={status.sefaz} testId="status-sefaz" />
          <Item s={status.printer} testId="status-printer" />
        </>
      ) : (
        <span>{error ?? 'Carregando…'}</span>
      )}
      <span className="spacer" />
      {info && <span className="muted">Comboio {info.version}</span>}
    </footer>
  );
}
