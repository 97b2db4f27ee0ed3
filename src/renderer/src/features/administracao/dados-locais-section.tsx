import { useState } from 'react';
import { call } from '../../api';
import { Dialog } from '../../components/dialog';
import { Notice } from '../../components/notice';
import { formatTime } from '../../lib/dates';
import { errorText } from '../../lib/errors';

/**
 * Esta estação › Dados locais: "Reconstruir dados locais" (README, Solução de problemas): the
 * station's copy of the shared records is built again from the LAN server (#22 item 17).
 */
export function DadosLocaisSection() {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const rebuild = async () => {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const r = await call('sync.rebuild');
      setDone(
        `Dados locais reconstruídos às ${formatTime(r.at)}: ${r.records.toLocaleString('pt-BR')} registros vieram do servidor.` +
          (r.pending > 0 ? ` ${r.pending} alterações desta estação ainda não enviadas foram mantidas e serão enviadas.` : ''),
      );
      setAsking(false);
    } catch (err) {
      setError(errorText(err, 'Dados locais não reconstruídos'));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="card">
      <h2>Dados locais</h2>
      <p className="muted">
        Se esta estação mostra dados estranhos ou antigos (cópia danificada, backup restaurado à mão), reconstrua a cópia local a partir do servidor LAN. A estação continua
        consultando durante a reconstrução; alterações ainda não enviadas e as recusadas são mantidas.
      </p>
      <button type="button" onClick={() => setAsking(true)}>
        Reconstruir dados locais
      </button>
      {done && (
        <Notice kind="ok" onDismiss={() => setDone(null)}>
          {done}
        </Notice>
      )}
      {error && !asking && <Notice kind="error">{error}</Notice>}
      {asking && (
        <Dialog
          title="Reconstruir dados locais"
          onClose={() => setAsking(false)}
          busy={busy}
          footer={
            <>
              <button type="button" onClick={() => setAsking(false)} disabled={busy}>
                Voltar
              </button>
              <button type="button" className="primary" data-autofocus disabled={busy} onClick={() => void rebuild()}>
                {busy ? 'Reconstruindo…' : 'Reconstruir'}
              </button>
            </>
          }
        >
          <p>A cópia local de clientes, produtos, pedidos e documentos será montada de novo a partir do servidor LAN e trocada de uma vez.</p>
          <p>Alterações desta estação ainda não enviadas são mantidas e enviadas depois.</p>
          {error && <Notice kind="error">{error}</Notice>}
        </Dialog>
      )}
    </div>
  );
}
