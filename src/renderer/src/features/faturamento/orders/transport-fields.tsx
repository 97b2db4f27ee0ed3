import type { TransportDto } from '../../../../../shared/api/index';
import { Field } from '../../../components/field';
import { MOD_FRETE, UFS } from '../../../lib/fiscal-options';
import { useOrderEditor } from './editor-store';
import { documentoDigits, formatDocumento } from '../../../../../shared/format';

export function TransportFields({ readOnly }: { readOnly: boolean }) {
  const t = useOrderEditor((s) => s.transporte);
  const errors = useOrderEditor((s) => s.errors);
  const patchTransport = useOrderEditor((s) => s.patchTransport);
  return (
    <div className="form-grid">
      <Field label="Modalidade do frete" required error={errors['transporte.modFrete']} className="span-2">
        {(p) => (
          <select {...p} disabled={readOnly} value={t.modFrete} onChange={(e) => patchTransport({ modFrete: Number(e.target.value) as TransportDto['modFrete'] })}>
            {MOD_FRETE.map((m) => (
              <option key={m.code} value={m.code}>
                {m.label}
              </option>
            ))}
          </select>
        )}
      </Field>
      {t.modFrete !== 9 && (
        <>
          <Field label="CNPJ/CPF do transportador" error={errors['transporte.transportadorDocumento']}>
            {(p) => (
              <input {...p} readOnly={readOnly} value={formatDocumento(t.transportadorDocumento)} onChange={(e) => patchTransport({ transportadorDocumento: documentoDigits(e.target.value) })} />
            )}
          </Field>
          <Field label="Transportador" error={errors['transporte.transportadorNome']} className="span-2">
            {(p) => <input {...p} readOnly={readOnly} value={t.transportadorNome ?? ''} onChange={(e) => patchTransport({ transportadorNome: e.target.value })} />}
          </Field>
          <Field label="Placa do veículo" error={errors['transporte.placa']}>
            {(p) => (
              <input {...p} readOnly={readOnly} maxLength={7} placeholder="ABC1D23" value={t.placa ?? ''} onChange={(e) => patchTransport({ placa: e.target.value.replace(/[^0-9A-Za-z]/g, '').toUpperCase() })} />
            )}
          </Field>
          <Field label="UF da placa" error={errors['transporte.ufPlaca']}>
            {(p) => (
              <select {...p} disabled={readOnly} value={t.ufPlaca ?? ''} onChange={(e) => patchTransport({ ufPlaca: e.target.value || null })}>
                <option value="">—</option>
                {UFS.map((uf) => (
                  <option key={uf}>{uf}</option>
                ))}
              </select>
            )}
          </Field>
        </>
      )}
    </div>
  );
}
