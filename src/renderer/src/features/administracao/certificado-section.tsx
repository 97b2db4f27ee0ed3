import { certificateHolder } from '../../../../shared/format';
import { useState, type FormEvent } from 'react';
import { call } from '../../api';
import { Field } from '../../components/field';
import { Notice } from '../../components/notice';
import { useApiQuery } from '../../hooks/use-api-query';
import { formatDate } from '../../lib/dates';
import { errorText } from '../../lib/errors';
import { formatDocumento } from '../../lib/fiscal-options';
import { readFileBase64 } from '../../lib/files';

export function CertificadoSection() {
  const info = useApiQuery(() => call('certificate.info'), '', 'Não foi possível ler o certificado');
  const [file, setFile] = useState<File | null>(null);
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [ok, setOk] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const install = async (e: FormEvent) => {
    e.preventDefault();
    if (!file) {
      setError('Escolha o arquivo .pfx do certificado A1.');
      return;
    }
    setBusy(true);
    setError(null);
    setOk(null);
    try {
      const r = await call('certificate.install', { pfxBase64: await readFileBase64(file), password });
      setOk(`Certificado instalado: ${certificateHolder(r.subject, r.cnpj)}, válido até ${formatDate(r.notAfter)}.`);
      setPassword('');
      await info.reload();
    } catch (err) {
      setError(errorText(err, 'Certificado não instalado'));
    }
    setBusy(false);
  };

  const c = info.data;
  const tone = !c?.installed ? 'warn' : c.daysLeft !== null && c.daysLeft <= 0 ? 'error' : c.warning ? 'warn' : 'ok';
  return (
    <section className="card" aria-labelledby="cert-title">
      <h2 id="cert-title">Certificado digital A1</h2>
      {info.error && <Notice kind="error">{info.error}</Notice>}
      {c && (
        <div className={`cert-status cert-${tone}`} data-testid="certificate-status">
          {c.installed ? (
            <dl className="facts">
              <dt>Titular</dt>
              <dd data-testid="certificate-holder" title={c.subject ?? undefined}>{certificateHolder(c.subject) || "—"}</dd>
              <dt>CNPJ</dt>
              <dd>{c.cnpj ? formatDocumento(c.cnpj) : '—'}</dd>
              <dt>Validade</dt>
              <dd>
                {formatDate(c.notBefore)} a {formatDate(c.notAfter)}
                {c.daysLeft !== null && (
                  <strong className="days-left">{c.daysLeft > 0 ? ` — faltam ${c.daysLeft} dia${c.daysLeft > 1 ? 's' : ''}` : ' — vencido'}</strong>
                )}
              </dd>
            </dl>
          ) : (
            <p>Nenhum certificado instalado: as notas não podem ser assinadas.</p>
          )}
          {c.warning && <p className="cert-warning">{c.warning}</p>}
        </div>
      )}
      <form className="form-grid" onSubmit={install} noValidate>
        <Field label="Arquivo do certificado (.pfx)" required className="span-2">
          {(p) => <input {...p} type="file" accept=".pfx,.p12,application/x-pkcs12" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />}
        </Field>
        <Field label="Senha do certificado" required>
          {(p) => <input {...p} type="password" autoComplete="off" value={password} onChange={(e) => setPassword(e.target.value)} />}
        </Field>
        <div className="form-actions span-3">
          <span className="muted small-text">A senha e o certificado ficam cifrados nesta estação.</span>
          <button type="submit" className="primary" disabled={busy}>
            {busy ? 'Instalando…' : 'Instalar certificado'}
          </button>
        </div>
      </form>
      {error && <Notice kind="error">{error}</Notice>}
      {ok && <Notice kind="ok">{ok}</Notice>}
    </section>
  );
}
