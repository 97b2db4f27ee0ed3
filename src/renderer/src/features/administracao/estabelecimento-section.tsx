import type { FormEvent } from 'react';
import type { RespTecDto } from '../../../../shared/api/index';
import { call } from '../../api';
import { Field } from '../../components/field';
import { Notice } from '../../components/notice';
import { useEditable } from '../../hooks/use-editable';
import { documentoDigits, formatDocumento, formatTelefone, telefoneDigits } from '../../../../shared/format';
import { EMPTY_ESTABLISHMENT, EstablishmentFields } from './establishment-fields';

const NO_RESP_TEC: RespTecDto = { cnpj: '', contato: '', email: '', fone: '', idCSRT: null, csrt: null };

const EMPTY = EMPTY_ESTABLISHMENT;

export function EstabelecimentoSection() {
  const e = useEditable(async () => (await call('establishment.get')) ?? EMPTY, (v) => call('establishment.save', v), 'o estabelecimento', EMPTY);
  const v = e.value;
  const err = (f: string) => (e.errorField === f || e.errorField === `endereco.${f}` ? (e.saveError ?? undefined) : undefined);
  const rt: RespTecDto = v?.respTec ?? NO_RESP_TEC;
  const setRt = (p: Partial<RespTecDto>) => v && e.set({ respTec: { ...rt, ...p } });
  const rtErr = (f: keyof RespTecDto) => (e.errorField === `respTec.${f}` ? e.saveError : undefined);
  const submit = (ev: FormEvent) => {
    ev.preventDefault();
    void e.save();
  };
  return (
    <form className="card" onSubmit={submit} noValidate aria-labelledby="estab-title">
      <h2 id="estab-title">Estabelecimento emitente</h2>
      {e.loadError && <Notice kind="error">{e.loadError}</Notice>}
      {v && (
        <EstablishmentFields v={v} set={e.set} err={err} />
      )}
      {v && (
        <fieldset className="subsection" aria-labelledby="resp-tec-title">
          <h3 id="resp-tec-title">Responsável técnico pelo sistema (infRespTec)</h3>
          <p className="muted">
            Vai em toda NF-e emitida. O CSRT só é informado onde a SEFAZ da UF do emitente o fornece à empresa do sistema; com ele, cada nota leva o idCSRT e o hashCSRT.
          </p>
          <div className="form-grid cols-4">
            <Field label="CNPJ do responsável técnico" error={rtErr('cnpj')}>
              {(p) => <input {...p} placeholder="00.000.000/0000-00" value={formatDocumento(rt.cnpj)} onChange={(x) => setRt({ cnpj: documentoDigits(x.target.value) })} />}
            </Field>
            <Field label="Contato" error={rtErr('contato')}>
              {(p) => <input {...p} maxLength={60} value={rt.contato} onChange={(x) => setRt({ contato: x.target.value })} />}
            </Field>
            <Field label="E-mail do responsável técnico" error={rtErr('email')}>
              {(p) => <input {...p} type="email" maxLength={60} value={rt.email} onChange={(x) => setRt({ email: x.target.value })} />}
            </Field>
            <Field label="Telefone do responsável técnico" error={rtErr('fone')}>
              {(p) => <input {...p} inputMode="tel" placeholder="(00) 0000-0000" value={formatTelefone(rt.fone)} onChange={(x) => setRt({ fone: telefoneDigits(x.target.value) })} />}
            </Field>
            <Field label="Identificador do CSRT (idCSRT)" error={rtErr('idCSRT')} hint="2 dígitos; vazio onde a UF não exige">
              {(p) => <input {...p} inputMode="numeric" maxLength={2} value={rt.idCSRT ?? ''} onChange={(x) => setRt({ idCSRT: x.target.value.replace(/\D/g, '') || null })} />}
            </Field>
            <Field label="CSRT" className="span-2" error={rtErr('csrt')} hint={rt.csrtInformado ? 'Um CSRT está guardado; deixe em branco para mantê-lo.' : 'Fornecido pela SEFAZ (16 a 36 caracteres); não é exibido depois de salvo.'}>
              {(p) => <input {...p} type="password" autoComplete="off" maxLength={36} value={rt.csrt ?? ''} onChange={(x) => setRt({ csrt: x.target.value || null })} />}
            </Field>
          </div>
        </fieldset>
      )}
      {e.saveError && <Notice kind="error">{e.saveError}</Notice>}
      {e.saved && <Notice kind="ok">{e.saved}</Notice>}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={!v || e.saving}>
          {e.saving ? 'Salvando…' : 'Salvar estabelecimento'}
        </button>
      </div>
    </form>
  );
}
