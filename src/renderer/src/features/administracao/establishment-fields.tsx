import type { EstablishmentDto } from '../../../../shared/api/index';
import { Field } from '../../components/field';
import { UFS } from '../../lib/fiscal-options';
import { cepDigits, documentoDigits, formatCep, formatDocumento, formatTelefone, telefoneDigits } from '../../../../shared/format';

export const EMPTY_ESTABLISHMENT: EstablishmentDto = {
  cnpj: '',
  razaoSocial: '',
  nomeFantasia: '',
  ie: '',
  crt: 3,
  endereco: { logradouro: '', numero: '', bairro: '', cMun: '', municipio: '', uf: 'SP', cep: '', fone: null },
};

/**
 * The fields of an emitente (CNPJ, IE, CRT, names, address): the establishment and the
 * other emitentes of the group (the transport company) share them. `err(field)` is the
 * message the core gave for that field.
 */
export function EstablishmentFields<T extends EstablishmentDto>({ v, set, err, cnpjReadOnly }: { v: T; set(patch: Partial<T>): void; err(field: string): string | undefined; cnpjReadOnly?: boolean }) {
  const setAddr = (p: Partial<EstablishmentDto['endereco']>) => set({ endereco: { ...v.endereco, ...p } } as Partial<T>);
  const e = { set: (p: Partial<EstablishmentDto>) => set(p as Partial<T>) };
  return (
    <div className="form-grid cols-4">
      <Field label="CNPJ" required error={err('cnpj')}>
        {(p) => <input {...p} placeholder="00.000.000/0000-00" readOnly={cnpjReadOnly} value={formatDocumento(v.cnpj)} onChange={(x) => e.set({ cnpj: documentoDigits(x.target.value) })} />}
      </Field>
      <Field label="Inscrição estadual" required error={err('ie')}>
        {(p) => <input {...p} value={v.ie} onChange={(x) => e.set({ ie: x.target.value.replace(/[^0-9A-Za-z]/g, '').toUpperCase() })} />}
      </Field>
      <Field label="Regime tributário (CRT)" required className="span-2">
        {(p) => (
          <select {...p} value={v.crt} onChange={(x) => e.set({ crt: Number(x.target.value) as 1 | 2 | 3 })}>
            <option value={1}>1 – Simples Nacional</option>
            <option value={2}>2 – Simples Nacional, excesso de sublimite</option>
            <option value={3}>3 – Regime normal</option>
          </select>
        )}
      </Field>
      <Field label="Razão social" required error={err('razaoSocial')} className="span-2">
        {(p) => <input {...p} value={v.razaoSocial} onChange={(x) => e.set({ razaoSocial: x.target.value })} />}
      </Field>
      <Field label="Nome fantasia" className="span-2">
        {(p) => <input {...p} value={v.nomeFantasia} onChange={(x) => e.set({ nomeFantasia: x.target.value })} />}
      </Field>
      <Field label="Logradouro" required error={err('logradouro')} className="span-2">
        {(p) => <input {...p} value={v.endereco.logradouro} onChange={(x) => setAddr({ logradouro: x.target.value })} />}
      </Field>
      <Field label="Número" required error={err('numero')}>
        {(p) => <input {...p} value={v.endereco.numero} onChange={(x) => setAddr({ numero: x.target.value })} />}
      </Field>
      <Field label="Bairro" required error={err('bairro')}>
        {(p) => <input {...p} value={v.endereco.bairro} onChange={(x) => setAddr({ bairro: x.target.value })} />}
      </Field>
      <Field label="Município" required error={err('municipio')}>
        {(p) => <input {...p} value={v.endereco.municipio} onChange={(x) => setAddr({ municipio: x.target.value })} />}
      </Field>
      <Field label="Código IBGE do município" required error={err('cMun')}>
        {(p) => <input {...p} inputMode="numeric" value={v.endereco.cMun} onChange={(x) => setAddr({ cMun: x.target.value.replace(/\D/g, '').slice(0, 7) })} />}
      </Field>
      <Field label="UF" required>
        {(p) => (
          <select {...p} value={v.endereco.uf} onChange={(x) => setAddr({ uf: x.target.value })}>
            {UFS.map((u) => (
              <option key={u}>{u}</option>
            ))}
          </select>
        )}
      </Field>
      <Field label="CEP" required error={err('cep')}>
        {(p) => <input {...p} inputMode="numeric" placeholder="00000-000" value={formatCep(v.endereco.cep)} onChange={(x) => setAddr({ cep: cepDigits(x.target.value) })} />}
      </Field>
      <Field label="Telefone">
        {(p) => <input {...p} inputMode="tel" placeholder="(00) 0000-0000" value={formatTelefone(v.endereco.fone)} onChange={(x) => setAddr({ fone: telefoneDigits(x.target.value) || null })} />}
      </Field>
    </div>
  );
}
