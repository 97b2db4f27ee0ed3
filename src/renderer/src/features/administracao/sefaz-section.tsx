import type { FormEvent } from 'react';
import type { SefazConfigDto, SefazEnvironment } from '../../../../shared/api/index';
import { call } from '../../api';
import { Field } from '../../components/field';
import { Notice } from '../../components/notice';
import { useEditable } from '../../hooks/use-editable';
import { UFS } from '../../lib/fiscal-options';
import { useAppStore } from '../../stores/app-store';

const ENVIRONMENTS: { id: SefazEnvironment; label: string; hint: string }[] = [
  { id: 'simulador', label: 'Simulador local', hint: 'Treinamento e testes: nada vai para a SEFAZ.' },
  { id: 'homologacao', label: 'Homologação', hint: 'SEFAZ real, notas sem valor fiscal (tpAmb 2).' },
  { id: 'producao', label: 'Produção', hint: 'Notas com valor fiscal (tpAmb 1).' },
];

export function SefazSection() {
  const e = useEditable<SefazConfigDto>(() => call('sefaz.config.get'), (v) => call('sefaz.config.save', v), 'a configuração da SEFAZ');
  const sefaz = useAppStore((s) => s.status?.sefaz);
  const v = e.value;
  const submit = (ev: FormEvent) => {
    ev.preventDefault();
    void e.save();
  };
  return (
    <form className="card" onSubmit={submit} noValidate aria-labelledby="sefaz-title">
      <h2 id="sefaz-title">SEFAZ</h2>
      {sefaz && (
        <p>
          Estado atual: <strong data-testid="sefaz-state">{sefaz.label}</strong>
          {sefaz.detail ? <span className="muted"> — {sefaz.detail}</span> : null}
        </p>
      )}
      {e.loadError && <Notice kind="error">{e.loadError}</Notice>}
      {v && (
        <>
          <fieldset className="radio-group">
            <legend>Ambiente</legend>
            {ENVIRONMENTS.map((env) => (
              <label key={env.id} className="radio">
                <input type="radio" name="sefaz-env" value={env.id} checked={v.environment === env.id} onChange={() => e.set({ environment: env.id })} />
                <span>
                  {env.label} <span className="muted small-text">— {env.hint}</span>
                </span>
              </label>
            ))}
          </fieldset>
          {v.environment === 'producao' && <Notice kind="warn">Em produção as notas têm valor fiscal. Confirme o certificado e as séries antes de salvar.</Notice>}
          <div className="form-grid cols-4">
            <Field label="UF do emitente" required>
              {(p) => (
                <select {...p} value={v.uf} onChange={(x) => e.set({ uf: x.target.value })}>
                  {UFS.map((u) => (
                    <option key={u}>{u}</option>
                  ))}
                </select>
              )}
            </Field>
            {v.environment === 'simulador' && (
              <Field label="Endereço do simulador" className="span-3" hint="Vazio: o simulador embutido">
                {(p) => <input {...p} value={v.simulatorUrl ?? ''} onChange={(x) => e.set({ simulatorUrl: x.target.value.trim() || null })} />}
              </Field>
            )}
            <Field label="Pasta dos schemas XSD" className="span-4" hint="Pasta com os schemas oficiais (PL_009 NF-e 4.00)">
              {(p) => <input {...p} className="mono" value={v.schemasDir ?? ''} onChange={(x) => e.set({ schemasDir: x.target.value.trim() || null })} />}
            </Field>
          </div>
        </>
      )}
      {e.saveError && <Notice kind="error">{e.saveError}</Notice>}
      {e.saved && <Notice kind="ok">{e.saved}</Notice>}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={!v || e.saving}>
          {e.saving ? 'Salvando…' : 'Salvar'}
        </button>
      </div>
    </form>
  );
}
