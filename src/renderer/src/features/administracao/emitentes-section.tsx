import { useState } from 'react';
import type { EmitenteDto, EmitenteInfoDto } from '../../../../shared/api/index';
import { certificateHolder } from '../../../../shared/format';
import { call } from '../../api';
import { Field } from '../../components/field';
import { FormDialog } from '../../components/form-dialog';
import { Notice } from '../../components/notice';
import { useApiQuery } from '../../hooks/use-api-query';
import { formatDate } from '../../lib/dates';
import { apiErrorOf, errorText } from '../../lib/errors';
import { formatDocumento } from '../../lib/fiscal-options';
import { readFileBase64 } from '../../lib/files';
import { EMPTY_ESTABLISHMENT, EstablishmentFields } from './establishment-fields';

const EMPTY: EmitenteDto = { ...EMPTY_ESTABLISHMENT, rntrc: null };

function certificateText(e: EmitenteInfoDto): string {
  const c = e.certificate;
  if (!c.installed || !c.notAfter) return c.warning ?? 'Certificado não instalado nesta estação.';
  const left = c.daysLeft !== null && c.daysLeft <= 0 ? ' — vencido' : c.daysLeft !== null ? ` — faltam ${c.daysLeft} dias` : '';
  return `${certificateHolder(c.subject, c.cnpj)}, válido até ${formatDate(c.notAfter)}${left}`;
}

/**
 * The other emitentes of the group — typically the distributor's own transport company,
 * which emits the CT-e of the deliveries with its own CNPJ, A1 and série. Its data is
 * shared by every station; its certificate is installed (sealed) on each station that emits.
 */
export function EmitentesSection() {
  const list = useApiQuery(() => call('emitentes.list'), '', 'Não foi possível ler os emitentes');
  const [editing, setEditing] = useState<EmitenteDto | null>(null);
  const [ok, setOk] = useState<string | null>(null);
  const others = (list.data ?? []).filter((e) => !e.principal);
  return (
    <section className="card" aria-labelledby="emitentes-title">
      <h2 id="emitentes-title">Outros emitentes (transportadora do grupo)</h2>
      <p className="muted">A transportadora própria emite o CT-e do frete com o CNPJ, o certificado A1 e a série de CT-e dela. Cadastre a série em Séries com o CNPJ da transportadora.</p>
      {list.error && <Notice kind="error">{list.error}</Notice>}
      {others.length === 0 ? (
        <p data-testid="emitentes-empty">Nenhum outro emitente: o CT-e sai com o CNPJ do estabelecimento.</p>
      ) : (
        <table className="grid" aria-label="Outros emitentes">
          <thead>
            <tr>
              <th>CNPJ</th>
              <th>Razão social</th>
              <th>RNTRC</th>
              <th>Certificado A1 nesta estação</th>
              <th aria-label="Ações" />
            </tr>
          </thead>
          <tbody>
            {others.map((e) => (
              <tr key={e.cnpj} data-testid={`emitente-${e.cnpj}`}>
                <td className="mono nowrap">{formatDocumento(e.cnpj)}</td>
                <td>{e.razaoSocial}</td>
                <td className="mono">{e.rntrc ?? '—'}</td>
                <td data-testid="emitente-certificate" className={e.certificate.notAfter ? undefined : 'cert-warn'}>
                  {certificateText(e)}
                </td>
                <td>
                  <button type="button" onClick={() => setEditing(e)}>
                    Editar…
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {ok && <Notice kind="ok">{ok}</Notice>}
      <div className="form-actions">
        <button type="button" onClick={() => setEditing(EMPTY)}>
          Novo emitente…
        </button>
      </div>
      {editing && (
        <EmitenteDialog
          initial={editing}
          isNew={editing === EMPTY}
          onClose={() => setEditing(null)}
          onSaved={(message) => {
            setEditing(null);
            setOk(message);
            void list.reload();
          }}
        />
      )}
    </section>
  );
}

/** Data of the emitente and, optionally in the same step, its A1 (.pfx and password). */
function EmitenteDialog({ initial, isNew, onClose, onSaved }: { initial: EmitenteDto; isNew: boolean; onClose(): void; onSaved(message: string): void }) {
  const [v, setV] = useState<EmitenteDto>(initial);
  const [file, setFile] = useState<File | null>(null);
  const [password, setPassword] = useState('');
  const [error, setError] = useState<{ message: string; field: string | null } | null>(null);
  const [busy, setBusy] = useState(false);
  const err = (f: string) => (error && (error.field === f || error.field === `endereco.${f}`) ? error.message : undefined);

  const submit = async () => {
    setBusy(true);
    setError(null);
    let saved: EmitenteInfoDto;
    try {
      saved = await call('emitentes.save', v);
    } catch (e) {
      setError({ message: errorText(e, 'Emitente não salvo'), field: apiErrorOf(e).field ?? null });
      setBusy(false);
      return;
    }
    if (!file) return onSaved(`Emitente ${saved.razaoSocial} salvo.`);
    try {
      const r = await call('emitentes.installCertificate', { cnpj: saved.cnpj, pfxBase64: await readFileBase64(file), password });
      onSaved(`Emitente ${saved.razaoSocial} salvo. Certificado instalado: ${certificateText(r)}.`);
    } catch (e) {
      // The data is saved; the certificate (file or password) is what to fix.
      setError({ message: errorText(e, 'Emitente salvo; certificado não instalado'), field: 'pfx' });
      setBusy(false);
    }
  };

  return (
    <FormDialog title={isNew ? 'Novo emitente' : `Emitente ${initial.razaoSocial}`} onClose={onClose} onSubmit={() => void submit()} submitLabel={busy ? 'Salvando…' : 'Salvar emitente'} busy={busy} wide>
      <EstablishmentFields v={v} set={(p) => setV((x) => ({ ...x, ...p }))} err={err} cnpjReadOnly={!isNew} />
      <div className="form-grid cols-4">
        <Field label="RNTRC" error={err('rntrc')} hint="Registro da transportadora na ANTT (8 dígitos)">
          {(p) => <input {...p} inputMode="numeric" value={v.rntrc ?? ''} onChange={(x) => setV({ ...v, rntrc: x.target.value.replace(/\D/g, '').slice(0, 8) || null })} />}
        </Field>
        <Field label="Certificado A1 do emitente (.pfx)" error={err('pfx')} className="span-2" hint={isNew ? 'Pode ser instalado depois' : 'Escolha para instalar ou trocar o certificado'}>
          {(p) => <input {...p} type="file" accept=".pfx,.p12,application/x-pkcs12" onChange={(x) => setFile(x.target.files?.[0] ?? null)} />}
        </Field>
        <Field label="Senha do certificado do emitente" error={err('password')}>
          {(p) => <input {...p} type="password" autoComplete="off" value={password} onChange={(x) => setPassword(x.target.value)} />}
        </Field>
      </div>
      <p className="muted small-text">O certificado e a senha ficam cifrados nesta estação; os dados do emitente valem para todas as estações.</p>
      {error && !['cnpj', 'ie', 'razaoSocial', 'rntrc', 'pfx'].includes(error.field ?? '') && !error.field?.startsWith('endereco.') && <Notice kind="error">{error.message}</Notice>}
    </FormDialog>
  );
}
