import { useState } from 'react';
import { call } from '../api';
import { useApiQuery } from '../hooks/use-api-query';
import { formatDateTime } from '../lib/dates';
import { errorText } from '../lib/errors';
import { Dialog } from './dialog';
import { Notice } from './notice';

/** Local changes the LAN server refused: the user reads why, then dismisses each one. */
export function SyncRejectionsDialog({ onClose }: { onClose(): void }) {
  const list = useApiQuery(() => call('sync.rejections'), '', 'Não foi possível ler as alterações recusadas');
  const [error, setError] = useState<string | null>(null);
  const dismiss = async (mutationId: string) => {
    try {
      await call('sync.dismiss', { mutationId });
      await list.reload();
    } catch (err) {
      setError(errorText(err, 'Não foi possível dispensar'));
    }
  };
  return (
    <Dialog title="Alterações recusadas pelo servidor" onClose={onClose} wide footer={<button type="button" onClick={onClose} data-autofocus>Fechar</button>}>
      <p className="muted">Estas alterações desta estação não foram aceitas pelo servidor LAN. Os dados do servidor prevalecem.</p>
      {list.error && <Notice kind="error">{list.error}</Notice>}
      {error && <Notice kind="error">{error}</Notice>}
      {list.data && list.data.length === 0 && <p className="muted">Nenhuma alteração recusada.</p>}
      {list.data && list.data.length > 0 && (
        <table className="grid" aria-label="Alterações recusadas">
          <thead>
            <tr>
              <th scope="col">Quando</th>
              <th scope="col">Registro</th>
              <th scope="col">Motivo</th>
              <th scope="col">
                <span className="sr-only">Ação</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.data.map((r) => (
              <tr key={r.mutationId}>
                <td className="nowrap">{formatDateTime(r.at)}</td>
                <td data-testid="rejection-what">{r.what ?? 'Registro compartilhado'}</td>
                <td>{r.message}</td>
                <td>
                  <button type="button" className="small" onClick={() => void dismiss(r.mutationId)}>
                    Dispensar
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Dialog>
  );
}
