import { useState } from 'react';
import type { LockHolderDto } from '../../../../shared/api/index';
import { call } from '../../api';
import { Field } from '../../components/field';
import { FormDialog } from '../../components/form-dialog';
import { Notice } from '../../components/notice';
import { useApiQuery } from '../../hooks/use-api-query';
import { formatDateTime } from '../../lib/dates';
import { errorText } from '../../lib/errors';

type HeldLock = LockHolderDto & { disconnected: boolean };

const orderName = (l: HeldLock) => (l.numeroPedido ? `pedido ${l.numeroPedido}` : `pedido ${l.orderId ?? '?'}`);

function ReleaseDialog({ lock, onClose, onDone }: { lock: HeldLock; onClose(): void; onDone(msg: string): void }) {
  const [reason, setReason] = useState('');
  const [fe, setFe] = useState<string | undefined>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    if (reason.trim().length < 5) return setFe('Informe o motivo (ao menos 5 caracteres): ele fica na auditoria.');
    setFe(undefined);
    setBusy(true);
    try {
      const r = await call('locks.release', { orderId: lock.orderId!, reason: reason.trim() });
      onDone(r.released ? `Trava do ${orderName(lock)} liberada (era de ${lock.name} em ${lock.workstation}). Registrado na auditoria.` : `O ${orderName(lock)} já estava livre.`);
    } catch (err) {
      setError(errorText(err, 'Trava não liberada'));
      setBusy(false);
    }
  };
  return (
    <FormDialog title={`Liberar a trava do ${orderName(lock)}`} onClose={onClose} onSubmit={() => void submit()} submitLabel={busy ? 'Liberando…' : 'Liberar a trava'} danger busy={busy} dismissLabel="Voltar">
      <p>
        {lock.name} ({lock.user}) está com este pedido em {lock.workstation}, IP {lock.ip}, desde {formatDateTime(lock.since)}.
        {lock.disconnected ? ' A estação dela está sem conexão.' : ' A estação dela ainda está conectada: confirme com a pessoa antes.'}
      </p>
      <p className="muted small-text">Se uma emissão estava em andamento, a estação que a fazia a retoma ou a abandona pelo diário; o número já dado continua registrado.</p>
      <Field label="Motivo" required error={fe}>
        {(p) => <input {...p} data-autofocus value={reason} onChange={(e) => setReason(e.target.value)} placeholder="ex.: estação travada, faturista ausente" />}
      </Field>
      {error && <Notice kind="error">{error}</Notice>}
    </FormDialog>
  );
}

/** Administração › Travas de pedidos: orders held now, and releasing a stuck one (#22 item 17). */
export function TravasSection() {
  const locks = useApiQuery(() => call('locks.list'), '', 'Não foi possível carregar as travas', { intervalMs: 10_000 });
  const [releasing, setReleasing] = useState<HeldLock | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  return (
    <div>
      <div className="toolbar">
        <p className="muted small-text">Pedidos que alguém está faturando agora. Libere só uma trava presa (estação travada ou desligada): a liberação fica na auditoria com o motivo.</p>
        <span className="spacer" />
        <button type="button" onClick={() => void locks.reload()}>
          Atualizar
        </button>
      </div>
      {locks.error && <Notice kind="error">{locks.error}</Notice>}
      {notice && (
        <Notice kind="ok" onDismiss={() => setNotice(null)}>
          {notice}
        </Notice>
      )}
      <table className="grid" aria-label="Travas de pedidos">
        <thead>
          <tr>
            <th scope="col">Pedido</th>
            <th scope="col">Com</th>
            <th scope="col">Estação</th>
            <th scope="col">IP</th>
            <th scope="col">Desde</th>
            <th scope="col">Conexão</th>
            <th scope="col">
              <span className="sr-only">Ações</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {locks.data?.map((l) => (
            <tr key={`${l.orderId}-${l.since}`} data-testid="lock-row">
              <td>{l.numeroPedido ?? l.orderId}</td>
              <td>{l.name}</td>
              <td>{l.workstation}</td>
              <td className="mono">{l.ip}</td>
              <td className="nowrap">{formatDateTime(l.since)}</td>
              <td>{l.disconnected ? <span className="pill">Sem conexão</span> : 'Conectada'}</td>
              <td>
                {l.orderId && (
                  <button type="button" className="small danger" aria-label={`Liberar a trava do ${orderName(l)}`} onClick={() => setReleasing(l)}>
                    Liberar
                  </button>
                )}
              </td>
            </tr>
          ))}
          {locks.data && locks.data.length === 0 && (
            <tr>
              <td colSpan={7} className="empty">
                Nenhum pedido travado agora.
              </td>
            </tr>
          )}
        </tbody>
      </table>
      {releasing && (
        <ReleaseDialog
          lock={releasing}
          onClose={() => setReleasing(null)}
          onDone={(m) => {
            setReleasing(null);
            setNotice(m);
            void locks.reload();
          }}
        />
      )}
    </div>
  );
}
