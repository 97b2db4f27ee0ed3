import type { TransportDto, VeiculoDto, VolumeDto } from '../../../../../shared/api/index';
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
          <Field label="RNTC do veículo" error={errors['transporte.rntc']}>
            {(p) => <input {...p} readOnly={readOnly} maxLength={20} value={t.rntc ?? ''} onChange={(e) => patchTransport({ rntc: e.target.value })} />}
          </Field>
          <Reboques readOnly={readOnly} />
        </>
      )}
      <VolumeFields readOnly={readOnly} />
    </div>
  );
}

const MAX_REBOQUES = 5;
const NO_REBOQUES: VeiculoDto[] = [];

/** Semirreboques of a bitrem/rodotrem: plate, UF, RNTC (left out of interstate notes, rejeição 868). */
function Reboques({ readOnly }: { readOnly: boolean }) {
  // Outside the selector: a fresh [] on every read would re-render forever.
  const reboques = useOrderEditor((s) => s.transporte.reboques) ?? NO_REBOQUES;
  const errors = useOrderEditor((s) => s.errors);
  const patchTransport = useOrderEditor((s) => s.patchTransport);
  const set = (i: number, p: Partial<VeiculoDto>) => patchTransport({ reboques: reboques.map((r, j) => (j === i ? { ...r, ...p } : r)) });
  return (
    <div className="span-3 reboques" role="group" aria-label="Reboques">
      {reboques.map((r, i) => (
        <div className="form-grid cols-4" key={i}>
          <Field label={`Placa do reboque ${i + 1}`} error={errors[`transporte.reboques[${i}].placa`]}>
            {(p) => <input {...p} readOnly={readOnly} maxLength={7} placeholder="ABC1D23" value={r.placa} onChange={(e) => set(i, { placa: e.target.value.replace(/[^0-9A-Za-z]/g, '').toUpperCase() })} />}
          </Field>
          <Field label={`UF do reboque ${i + 1}`} error={errors[`transporte.reboques[${i}].uf`]}>
            {(p) => (
              <select {...p} disabled={readOnly} value={r.uf ?? ''} onChange={(e) => set(i, { uf: e.target.value || null })}>
                <option value="">—</option>
                {UFS.map((uf) => (
                  <option key={uf}>{uf}</option>
                ))}
              </select>
            )}
          </Field>
          <Field label={`RNTC do reboque ${i + 1}`} error={errors[`transporte.reboques[${i}].rntc`]}>
            {(p) => <input {...p} readOnly={readOnly} maxLength={20} value={r.rntc ?? ''} onChange={(e) => set(i, { rntc: e.target.value })} />}
          </Field>
          {!readOnly && (
            <button type="button" className="small reboque-remove" onClick={() => patchTransport({ reboques: reboques.filter((_, j) => j !== i) })}>
              Remover reboque {i + 1}
            </button>
          )}
        </div>
      ))}
      {errors['transporte.reboques'] && <p className="field-error">{errors['transporte.reboques']}</p>}
      {!readOnly && reboques.length < MAX_REBOQUES && (
        <button type="button" className="small" onClick={() => patchTransport({ reboques: [...reboques, { placa: '', uf: null, rntc: null }] })}>
          + Reboque
        </button>
      )}
    </div>
  );
}

const NO_VOLUME: VolumeDto = { quantidade: null, especie: null, pesoLiquido: null, pesoBruto: null, lacres: [] };

/** The load as one volume: quantity, kind, weights and the seals (lacres) of the tanker's compartments. */
function VolumeFields({ readOnly }: { readOnly: boolean }) {
  const v = useOrderEditor((s) => s.transporte.volume) ?? NO_VOLUME;
  const errors = useOrderEditor((s) => s.errors);
  const patchTransport = useOrderEditor((s) => s.patchTransport);
  const set = (p: Partial<VolumeDto>) => patchTransport({ volume: { ...v, ...p } });
  const count = v.lacres.filter((l) => l.trim()).length;
  return (
    <>
      <Field label="Quantidade de volumes" error={errors['transporte.volume.quantidade']}>
        {(p) => <input {...p} className="num" inputMode="numeric" readOnly={readOnly} value={v.quantidade ?? ''} onChange={(e) => set({ quantidade: e.target.value.replace(/\D/g, '') || null })} />}
      </Field>
      <Field label="Espécie" error={errors['transporte.volume.especie']}>
        {(p) => <input {...p} readOnly={readOnly} maxLength={60} placeholder="GRANEL" value={v.especie ?? ''} onChange={(e) => set({ especie: e.target.value || null })} />}
      </Field>
      <Field label="Peso líquido (kg)" error={errors['transporte.volume.pesoLiquido']}>
        {(p) => <input {...p} className="num" inputMode="decimal" readOnly={readOnly} value={v.pesoLiquido ?? ''} onChange={(e) => set({ pesoLiquido: e.target.value || null })} />}
      </Field>
      <Field label="Peso bruto (kg)" error={errors['transporte.volume.pesoBruto']}>
        {(p) => <input {...p} className="num" inputMode="decimal" readOnly={readOnly} value={v.pesoBruto ?? ''} onChange={(e) => set({ pesoBruto: e.target.value || null })} />}
      </Field>
      <Field label="Lacres" className="span-2" error={errors['transporte.volume.lacres']} hint={`Um por linha (ou separados por vírgula) · ${count} ${count === 1 ? 'lacre' : 'lacres'}`}>
        {(p) => (
          <textarea
            {...p}
            rows={2}
            readOnly={readOnly}
            value={v.lacres.join('\n')}
            onChange={(e) => set({ lacres: e.target.value.split(/[\n,;]/).map((l) => l.replace(/^\s+/, '')) })}
          />
        )}
      </Field>
    </>
  );
}
