import type { FormEvent } from 'react';
import { call } from '../../api';
import { Notice } from '../../components/notice';
import { useEditable } from '../../hooks/use-editable';
import { EMPTY_ESTABLISHMENT, EstablishmentFields } from './establishment-fields';

const EMPTY = EMPTY_ESTABLISHMENT;

export function EstabelecimentoSection() {
  const e = useEditable(async () => (await call('establishment.get')) ?? EMPTY, (v) => call('establishment.save', v), 'o estabelecimento', EMPTY);
  const v = e.value;
  const err = (f: string) => (e.errorField === f || e.errorField === `endereco.${f}` ? (e.saveError ?? undefined) : undefined);
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
