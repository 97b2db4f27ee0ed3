import { documentoDigits, formatDocumento } from '../../../../../shared/format';
import { useEffect, useState } from 'react';
import type { SeriesAdminDto } from '../../../../../shared/api/index';
import { call } from '../../../api';
import { Field } from '../../../components/field';
import { FormDialog } from '../../../components/form-dialog';
import { Notice } from '../../../components/notice';
import { errorText } from '../../../lib/errors';

export function SeriesEditDialog({ series, onClose, onSaved }: { series: SeriesAdminDto | null; onClose(): void; onSaved(message: string): void }) {
  const [model, setModel] = useState<55 | 57>(series?.model ?? 55);
  const [serie, setSerie] = useState(series ? String(series.serie) : '');
  const [cnpj, setCnpj] = useState(series?.cnpj ?? '');
  const [description, setDescription] = useState(series?.description ?? '');
  const [emissaoPropria, setEmissaoPropria] = useState(series?.emissaoPropria ?? true);
  const [active, setActive] = useState(series?.active ?? true);
  const [nextNumber, setNextNumber] = useState('1');
  const [fe, setFe] = useState<{ serie?: string; cnpj?: string }>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (series) return;
    call('establishment.get')
      .then((e) => e && setCnpj((c) => c || e.cnpj))
      .catch(() => undefined);
  }, [series]);

  const submit = async () => {
    const e: typeof fe = {};
    if (!/^\d{1,3}$/.test(serie) || Number(serie) > 999) e.serie = 'Série de 0 a 999.';
    if (!/^[0-9A-Z]{12}\d{2}$/.test(cnpj)) e.cnpj = 'CNPJ do estabelecimento (14 caracteres).';
    setFe(e);
    if (Object.keys(e).length) return;
    setBusy(true);
    setError(null);
    try {
      const s = await call('series.save', {
        ...(series ? { id: series.id } : { nextNumber: Number(nextNumber) || 1 }),
        cnpj,
        model,
        serie: Number(serie),
        emissaoPropria,
        active,
        description: description.trim() || null,
      });
      onSaved(`Série ${s.serie} salva.`);
    } catch (err) {
      setError(errorText(err, 'Série não salva'));
      setBusy(false);
    }
  };

  return (
    <FormDialog title={series ? `Série ${series.serie}` : 'Nova série'} onClose={onClose} onSubmit={() => void submit()} submitLabel={busy ? 'Salvando…' : 'Salvar'} busy={busy}>
      <div className="form-grid">
        <Field label="Modelo" required>
          {(p) => (
            <select {...p} value={model} disabled={!!series} onChange={(e) => setModel(Number(e.target.value) as 55 | 57)}>
              <option value={55}>NF-e (55)</option>
              <option value={57}>CT-e (57)</option>
            </select>
          )}
        </Field>
        <Field label="Série" required error={fe.serie}>
          {(p) => <input {...p} className="num" inputMode="numeric" readOnly={!!series} data-autofocus value={serie} onChange={(e) => setSerie(e.target.value.replace(/\D/g, '').slice(0, 3))} />}
        </Field>
        <Field label="CNPJ do estabelecimento" required error={fe.cnpj}>
          {(p) => <input {...p} readOnly={!!series} value={formatDocumento(cnpj)} onChange={(e) => setCnpj(documentoDigits(e.target.value))} />}
        </Field>
        <Field label="Descrição" className="span-2">
          {(p) => <input {...p} value={description} onChange={(e) => setDescription(e.target.value)} />}
        </Field>
        {!series && (
          <Field label="Primeiro número">
            {(p) => <input {...p} className="num" inputMode="numeric" value={nextNumber} onChange={(e) => setNextNumber(e.target.value.replace(/\D/g, '').slice(0, 9))} />}
          </Field>
        )}
        <label className="checkbox span-3">
          <input type="checkbox" checked={emissaoPropria} onChange={(e) => setEmissaoPropria(e.target.checked)} />
          Emissão própria (o número é controlado pelo servidor e não pode ser digitado no faturamento)
        </label>
        <label className="checkbox span-3">
          <input type="checkbox" checked={active} onChange={(e) => setActive(e.target.checked)} />
          Ativa
        </label>
      </div>
      {error && <Notice kind="error">{error}</Notice>}
    </FormDialog>
  );
}
