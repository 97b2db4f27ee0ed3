import type { TransportDto } from '../../../../../shared/api/index';
import { Field } from '../../../components/field';
import { MOD_FRETE, UFS } from '../../../lib/fiscal-options';
import { useOrderEditor } from './editor-store';
import { documentoDigits, formatDocumento } from '../../../../../shared/format';
import type { CarrierDto, VehicleDto } from '../../../../../shared/api/index';
import { call } from '../../../api';
import { useApiQuery } from '../../../hooks/use-api-query';

/**
 * The order's carrier and vehicle picked from Cadastros (#22 item 17); the fields below stay
 * editable for a one-off carrier not in the registry. Bounded reads: the first 100 of each.
 */
function RegistryPickers({ readOnly }: { readOnly: boolean }) {
  const t = useOrderEditor((s) => s.transporte);
  const patchTransport = useOrderEditor((s) => s.patchTransport);
  const carriers = useApiQuery(() => call('registry.list', { kind: 'transportadoras', limit: 100 }), '', 'Não foi possível carregar as transportadoras');
  const list = (carriers.data?.rows ?? []) as CarrierDto[];
  const chosen = list.find((c) => c.documento === t.transportadorDocumento) ?? null;
  const vehicles = useApiQuery(
    () => call('registry.list', { kind: 'veiculos', limit: 100, ...(chosen ? { carrierId: chosen.id } : {}) }),
    chosen?.id ?? '',
    'Não foi possível carregar os veículos',
  );
  const vlist = (vehicles.data?.rows ?? []) as VehicleDto[];
  const vchosen = vlist.find((v) => v.placa === t.placa) ?? null;
  return (
    <>
      <Field label="Transportadora cadastrada" className="span-2" hint={carriers.error ?? 'Preenche o CNPJ/CPF e o nome abaixo (Faturamento › Cadastros)'}>
        {(p) => (
          <select
            {...p}
            disabled={readOnly}
            value={chosen?.id ?? ''}
            onChange={(e) => {
              const c = list.find((x) => x.id === e.target.value);
              if (c) patchTransport({ transportadorDocumento: c.documento, transportadorNome: c.nome });
            }}
          >
            <option value="">{t.transportadorNome && !chosen ? 'Outra (digitada abaixo)' : 'Escolha…'}</option>
            {list.map((c) => (
              <option key={c.id} value={c.id}>
                {c.nome} – {formatDocumento(c.documento)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Veículo cadastrado" hint={vehicles.error ?? undefined}>
        {(p) => (
          <select
            {...p}
            disabled={readOnly}
            value={vchosen?.id ?? ''}
            onChange={(e) => {
              const v = vlist.find((x) => x.id === e.target.value);
              if (v) patchTransport({ placa: v.placa, ufPlaca: v.uf });
            }}
          >
            <option value="">{t.placa && !vchosen ? 'Outro (digitado abaixo)' : 'Escolha…'}</option>
            {vlist.map((v) => (
              <option key={v.id} value={v.id}>
                {v.placa}/{v.uf}
                {v.descricao ? ` – ${v.descricao}` : ''}
              </option>
            ))}
          </select>
        )}
      </Field>
    </>
  );
}

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
          <RegistryPickers readOnly={readOnly} />
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
