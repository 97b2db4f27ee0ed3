import { useState } from 'react';
import type { EnrollmentCodeDto, StationDto } from '../../../../shared/api/index';
import { call } from '../../api';
import { Dialog } from '../../components/dialog';
import { Field } from '../../components/field';
import { FormDialog } from '../../components/form-dialog';
import { Notice } from '../../components/notice';
import { useApiQuery } from '../../hooks/use-api-query';
import { formatDateTime } from '../../lib/dates';
import { errorText } from '../../lib/errors';

function EnrollDialog({ code, onClose }: { code: EnrollmentCodeDto; onClose(): void }) {
  return (
    <Dialog
      title="Cadastrar estação"
      onClose={onClose}
      footer={
        <button type="button" className="primary" data-autofocus onClick={onClose}>
          Pronto
        </button>
      }
    >
      <p>Na estação nova, em Administração › Servidor LAN, informe este código (vale uma vez só):</p>
      <p className="enroll-code mono" data-testid="enroll-code">
        {code.code}
      </p>
      <p className="muted small-text">Válido até {formatDateTime(code.expiresAt)}.</p>
      {code.fingerprint ? (
        <>
          <p>A estação vai mostrar a impressão digital do certificado do servidor. Confira que é esta, antes de confiar nela:</p>
          <p className="mono small-text fingerprint" data-testid="enroll-fingerprint">
            {code.fingerprint}
          </p>
        </>
      ) : (
        <Notice kind="warn">O servidor roda sem TLS (--insecure): a conexão da estação nova não será cifrada.</Notice>
      )}
    </Dialog>
  );
}

function RevokeDialog({ station, onClose, onDone }: { station: StationDto; onClose(): void; onDone(msg: string): void }) {
  const [reason, setReason] = useState('');
  const [fe, setFe] = useState<string | undefined>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    if (reason.trim().length < 5) return setFe('Informe o motivo (ao menos 5 caracteres).');
    setFe(undefined);
    setBusy(true);
    try {
      await call('stations.revoke', { stationId: station.id, reason: reason.trim() });
      onDone(`Estação ${station.name} revogada: as conexões dela foram encerradas.`);
    } catch (err) {
      setError(errorText(err, 'Estação não revogada'));
      setBusy(false);
    }
  };
  return (
    <FormDialog title={`Revogar a estação ${station.name}`} onClose={onClose} onSubmit={() => void submit()} submitLabel={busy ? 'Revogando…' : 'Revogar'} danger busy={busy} dismissLabel="Voltar">
      <p>A estação perde o acesso ao servidor na hora. Para voltar a usá-la, cadastre-a de novo com um código.</p>
      <Field label="Motivo" required error={fe}>
        {(p) => <input {...p} data-autofocus value={reason} onChange={(e) => setReason(e.target.value)} placeholder="ex.: notebook roubado" />}
      </Field>
      {error && <Notice kind="error">{error}</Notice>}
    </FormDialog>
  );
}

/** Administração › Estações: who may connect to the LAN server. */
export function EstacoesSection() {
  const stations = useApiQuery(() => call('stations.list'), '', 'Não foi possível carregar as estações');
  const [code, setCode] = useState<EnrollmentCodeDto | null>(null);
  const [revoking, setRevoking] = useState<StationDto | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const enroll = async () => {
    setError(null);
    try {
      setCode(await call('stations.enroll'));
    } catch (err) {
      setError(errorText(err, 'Código não gerado'));
    }
  };
  return (
    <div>
      <div className="toolbar">
        <p className="muted small-text">Cada estação é cadastrada uma vez com um código de uso único e pode ser revogada a qualquer momento.</p>
        <span className="spacer" />
        <button type="button" className="primary" onClick={() => void enroll()}>
          Cadastrar estação
        </button>
      </div>
      {(stations.error || error) && <Notice kind="error">{stations.error ?? error}</Notice>}
      {notice && (
        <Notice kind="ok" onDismiss={() => setNotice(null)}>
          {notice}
        </Notice>
      )}
      <table className="grid" aria-label="Estações">
        <thead>
          <tr>
            <th scope="col">Nome</th>
            <th scope="col">IP</th>
            <th scope="col">Último contato</th>
            <th scope="col">Cadastrada em</th>
            <th scope="col">Situação</th>
            <th scope="col">
              <span className="sr-only">Ações</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {stations.data?.map((s) => (
            <tr key={s.id}>
              <td>
                {s.name}
                {s.current && <span className="muted small-text"> (esta estação)</span>}
              </td>
              <td className="mono">{s.lastIp ?? '—'}</td>
              <td className="nowrap">{s.lastSeenAt ? formatDateTime(s.lastSeenAt) : '—'}</td>
              <td className="nowrap">
                {formatDateTime(s.enrolledAt)}
              </td>
              <td>{s.revokedAt ? <span className="pill">Revogada em {formatDateTime(s.revokedAt)}</span> : 'Ativa'}</td>
              <td>
                {!s.revokedAt && !s.current && (
                  <button type="button" className="small" onClick={() => setRevoking(s)} aria-label={`Revogar ${s.name}`}>
                    Revogar
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {code && (
        <EnrollDialog
          code={code}
          onClose={() => {
            setCode(null);
            void stations.reload();
          }}
        />
      )}
      {revoking && (
        <RevokeDialog
          station={revoking}
          onClose={() => setRevoking(null)}
          onDone={(m) => {
            setRevoking(null);
            setNotice(m);
            void stations.reload();
          }}
        />
      )}
    </div>
  );
}
