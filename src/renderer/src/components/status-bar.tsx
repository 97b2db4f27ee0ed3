import { useState } from 'react';
import type { ServiceStatus, SyncStatus } from '../../../shared/api/index';
import { formatTime } from '../lib/dates';
import { useAppStore } from '../stores/app-store';
import { SyncRejectionsDialog } from './sync-rejections-dialog';

function tone(s: ServiceStatus): 'ok' | 'warn' | 'bad' | 'idle' {
  if (s.state === 'online' || s.state === 'ok' || s.state === 'embedded') return 'ok';
  if (s.state === 'connecting' || s.state === 'idle') return 'warn';
  if (s.state === 'unconfigured') return 'idle';
  return 'bad';
}

function Item({ s, testId, className }: { s: ServiceStatus; testId: string; className?: string }) {
  return (
    <span className={`status-item status-${tone(s)}${className ? ` ${className}` : ''}`} data-testid={testId} title={s.detail ?? s.label}>
      <span className="dot" aria-hidden="true" />
      {s.label}
    </span>
  );
}

function SyncItem({ sync, onShowRejected }: { sync: SyncStatus; onShowRejected(): void }) {
  const cls = sync.online ? (sync.pending > 0 ? 'status-warn' : 'status-ok') : 'status-bad';
  // "Sincronizado" only when nothing is waiting; otherwise say what is still going up.
  const label = !sync.online ? 'Sem conexão (offline)' : sync.pending > 0 ? `Sincronizando · ${sync.pending} pendente${sync.pending > 1 ? 's' : ''}` : 'Sincronizado';
  return (
    <>
      <span className={`status-item ${cls}`} data-testid="status-sync">
        <span className="dot" aria-hidden="true" />
        {label}
        {!sync.online && sync.pending > 0 && ` · ${sync.pending} pendente${sync.pending > 1 ? 's' : ''}`}
        {sync.lastSyncAt && <span className="muted"> · última {formatTime(sync.lastSyncAt)}</span>}
      </span>
      {sync.rejected > 0 && (
        <button type="button" className="status-alert" onClick={onShowRejected} data-testid="status-rejected">
          {sync.rejected} alteraç{sync.rejected > 1 ? 'ões recusadas' : 'ão recusada'} — ver
        </button>
      )}
    </>
  );
}

export function StatusBar() {
  const status = useAppStore((s) => s.status);
  const info = useAppStore((s) => s.info);
  const error = useAppStore((s) => s.error);
  const session = useAppStore((s) => s.session);
  const refreshStatus = useAppStore((s) => s.refreshStatus);
  const [showRejected, setShowRejected] = useState(false);
  return (
    <footer className="status-bar" role="status" aria-label="Estado da estação">
      {status ? (
        <>
          <Item s={status.lanServer} testId="status-lan" />
          <Item s={status.sefaz} testId="status-sefaz" />
          {status.contingencia && <Item s={status.contingencia} testId="status-contingencia" className="status-contingencia" />}
          <Item s={status.printer} testId="status-printer" />
          {status.sync && <SyncItem sync={status.sync} onShowRejected={() => setShowRejected(true)} />}
        </>
      ) : (
        <span>{error ?? 'Carregando…'}</span>
      )}
      <span className="spacer" />
      {info && <span className="muted">Comboio {info.version}</span>}
      {showRejected && session && (
        <SyncRejectionsDialog
          onClose={() => {
            setShowRejected(false);
            void refreshStatus();
          }}
        />
      )}
    </footer>
  );
}
