import { Field } from '../../../components/field';
import { UFS } from '../../../lib/fiscal-options';
import { FISCAL_FIELDS, MODALIDADES_ST, rowSections, useOrderEditor, type FiscalKey, type ItemRow } from './editor-store';

interface Props {
  row: ItemRow;
  index: number;
  readOnly: boolean;
}

/**
 * "Impostos e encargos" of one item: what its CST and product call for — own ICMS rate,
 * ICMS-ST charged here (CST 10/30/70/90, CSOSN 201/202/900), ST retained earlier (CST 60,
 * CSOSN 500), the fuel group (qTemp, CIDE, origem; GLP shares), the item's CFOP and charges.
 */
export function ItemFiscalPanel({ row, index, readOnly }: Props) {
  const errors = useOrderEditor((s) => s.errors);
  const naturezaId = useOrderEditor((s) => s.naturezaId);
  const patchRowFiscal = useOrderEditor((s) => s.patchRowFiscal);
  const n = index + 1;
  const sections = rowSections(row, naturezaId);
  const f = row.fiscal;
  const err = (k: string) => errors[`items[${index}].${k}`];
  const input = (k: FiscalKey, opts: { label?: string; placeholder?: string } = {}) => (
    // The group names the item ("Impostos e encargos do item 2"); labels stay short enough for 1366 px.
    <Field key={k} label={opts.label ?? (k === 'cfop' ? 'CFOP do item' : FISCAL_FIELDS[k].label)} error={err(k)}>
      {(p) => (
        <input
          {...p}
          className={k === 'cfop' ? undefined : 'num'}
          inputMode="decimal"
          maxLength={k === 'cfop' ? 4 : 20}
          placeholder={opts.placeholder ?? (k === 'cfop' ? 'da natureza' : '')}
          readOnly={readOnly}
          value={f.values[k] ?? ''}
          onChange={(e) => patchRowFiscal(row.key, { values: { [k]: k === 'cfop' ? e.target.value.replace(/\D/g, '') : e.target.value } })}
        />
      )}
    </Field>
  );
  return (
    <div className="item-fiscal" role="group" aria-label={`Impostos e encargos do item ${n}`} data-testid={`item-fiscal-${n}`}>
      <div className="item-fiscal-group">
        <h4>ICMS</h4>
        <div className="form-grid cols-4">
          {sections.ownRate && input('aliquotaICMS')}
          {sections.reduction && input('reducaoBaseICMS')}
          {sections.credit && input('creditoSimples')}
          {input('cfop')}
        </div>
      </div>
      {sections.st && (
        <div className="item-fiscal-group">
          <h4>ICMS-ST cobrado nesta nota</h4>
          <div className="form-grid cols-4">
            <Field label="Modalidade da base do ICMS-ST" error={err('icmsSt.modalidade')} className="span-2">
              {(p) => (
                <select {...p} disabled={readOnly} value={f.modalidadeST} onChange={(e) => patchRowFiscal(row.key, { modalidadeST: e.target.value })}>
                  <option value="">Escolha…</option>
                  {MODALIDADES_ST.map((m) => (
                    <option key={m.code} value={m.code}>
                      {m.label}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            {f.modalidadeST === '4' && input('icmsSt.mva')}
            {['0', '1', '2', '3', '5'].includes(f.modalidadeST) && input('icmsSt.valorPorUnidade')}
            {input('icmsSt.aliquota')}
            {input('icmsSt.reducaoBase')}
            {input('icmsSt.fcp')}
          </div>
          {err('icmsSt') && <p className="field-error">{err('icmsSt')}</p>}
        </div>
      )}
      {sections.retido && (
        <div className="item-fiscal-group">
          <h4>ICMS-ST retido anteriormente</h4>
          <div className="form-grid cols-4">
            {input('icmsRetido.basePorUnidade')}
            {input('icmsRetido.aliquota')}
            {input('icmsRetido.icmsSubstitutoPorUnidade')}
            {input('icmsRetido.fcp')}
          </div>
        </div>
      )}
      {sections.fuel && (
        <div className="item-fiscal-group">
          <h4>Combustível</h4>
          <div className="form-grid cols-4">
            {input('qTemp', { placeholder: 'se faturado a 20 °C' })}
            {input('cide')}
            {sections.glp && (
              <>
                {input('glp.pGLP')}
                {input('glp.pGNn')}
                {input('glp.pGNi')}
                {input('glp.vPart')}
              </>
            )}
          </div>
          {err('glp') && <p className="field-error">{err('glp')}</p>}
          <OrigemRows row={row} index={index} readOnly={readOnly} />
        </div>
      )}
      <div className="item-fiscal-group">
        <h4>Encargos do item</h4>
        <div className="form-grid cols-4">
          {input('frete')}
          {input('seguro')}
          {input('outrasDespesas')}
        </div>
      </div>
    </div>
  );
}

/** origComb: where the fuel came from (UF, national or imported, share). */
function OrigemRows({ row, index, readOnly }: Props) {
  const errors = useOrderEditor((s) => s.errors);
  const patchRowFiscal = useOrderEditor((s) => s.patchRowFiscal);
  const origem = row.fiscal.origem;
  const set = (j: number, p: Partial<(typeof origem)[number]>) => patchRowFiscal(row.key, { origem: origem.map((o, k) => (k === j ? { ...o, ...p } : o)) });
  return (
    <div className="origem-rows">
      {origem.map((o, j) => (
        <div className="form-grid cols-4" key={j}>
          <Field label={`UF de origem ${j + 1}`} error={errors[`items[${index}].origem[${j}].uf`]}>
            {(p) => (
              <select {...p} disabled={readOnly} value={o.uf} onChange={(e) => set(j, { uf: e.target.value })}>
                <option value="">—</option>
                {UFS.map((uf) => (
                  <option key={uf}>{uf}</option>
                ))}
              </select>
            )}
          </Field>
          <Field label={`Procedência ${j + 1}`}>
            {(p) => (
              <select {...p} disabled={readOnly} value={o.importado ? '1' : '0'} onChange={(e) => set(j, { importado: e.target.value === '1' })}>
                <option value="0">Nacional</option>
                <option value="1">Importado</option>
              </select>
            )}
          </Field>
          <Field label={`% da origem ${j + 1}`} error={errors[`items[${index}].origem[${j}].percentual`]}>
            {(p) => <input {...p} className="num" inputMode="decimal" readOnly={readOnly} value={o.percentual} onChange={(e) => set(j, { percentual: e.target.value })} />}
          </Field>
          {!readOnly && (
            <button type="button" className="small origem-remove" onClick={() => patchRowFiscal(row.key, { origem: origem.filter((_, k) => k !== j) })}>
              Remover origem {j + 1}
            </button>
          )}
        </div>
      ))}
      {!readOnly && origem.length < 30 && (
        <button type="button" className="small" onClick={() => patchRowFiscal(row.key, { origem: [...origem, { importado: false, uf: '', percentual: '' }] })}>
          + Origem do combustível
        </button>
      )}
    </div>
  );
}
