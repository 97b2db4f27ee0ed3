import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { CteCst, CteDraftDto, CteEmitParams, CustomerDto, FinalizeResult } from '../../../../../shared/api/index';
import { call } from '../../../api';
import { Dialog } from '../../../components/dialog';
import { Field } from '../../../components/field';
import { Notice } from '../../../components/notice';
import { ShortcutHint } from '../../../components/shortcut-hint';
import { useDialogShortcut } from '../../../hooks/use-shortcut';
import { formatDocumento } from '../../../lib/fiscal-options';
import { CustomerPicker } from '../orders/customer-picker';
import { StatusBadge } from '../../../components/status-badge';
import { apiErrorOf, errorText } from '../../../lib/errors';
import { formatCentavos, parseCentavos } from '../../../lib/money';
import { newRequestId } from '../../../lib/request-id';
import { useFaturamentoView } from '../view-store';
import { PrintToChoice, usePrintPreference } from '../orders/print-preference';

const CST_OPTIONS: [CteCst, string][] = [
  ['00', '00 – Tributação normal'],
  ['20', '20 – Com redução da base de cálculo'],
  ['40', '40 – Isenta'],
  ['41', '41 – Não tributada'],
  ['51', '51 – Diferida'],
  ['60', '60 – Cobrada por substituição tributária'],
  ['90', '90 – Outras'],
  ['SN', 'Simples Nacional'],
];
const NEEDS_RATE = new Set<CteCst>(['00', '20', '90']);
const STATUS_COLOR = { autorizada: 'green', rejeitada: 'red', denegada: 'red', cancelada: 'grey' } as const;

type Errors = Partial<Record<'frete' | 'pedagio' | 'aliquota' | 'reducao' | 'rntrc' | 'placa' | 'cpf' | 'add' | 'party', string>>;

type Tomador = CteEmitParams['tomador'];
const TOMADOR_OPTIONS: [Tomador, string][] = [
  ['remetente', 'Remetente (frete CIF)'],
  ['destinatario', 'Destinatário (frete FOB)'],
  ['expedidor', 'Expedidor'],
  ['recebedor', 'Recebedor'],
  ['outro', 'Outros (terceiro com os próprios dados)'],
];
/** The party of the cadastro the tomador choice needs, and its label on screen. */
const PARTY_OF: Partial<Record<Tomador, string>> = { expedidor: 'Expedidor', recebedor: 'Recebedor', outro: 'Tomador (outros)' };

/**
 * "Emitir CT-e" for the freight of one or more billed NF-e: parties, cargo, litres, keys and
 * vehicle come from the notes (never retyped); the faturista adds the price, the ICMS of the
 * service and the carrier's RNTRC. The number is the LAN server's, allocated on confirm.
 */
export function EmitCteDialog({ nfeIds: initial, onClose }: { nfeIds: string[]; onClose(): void }) {
  const showDocument = useFaturamentoView((s) => s.showDocument);
  const [nfeIds, setNfeIds] = useState(initial);
  const [draft, setDraft] = useState<CteDraftDto | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [emitenteCnpj, setEmitenteCnpj] = useState('');
  const [seriesId, setSeriesId] = useState('');
  const [tomador, setTomador] = useState<Tomador>('remetente');
  const [party, setParty] = useState<CustomerDto | null>(null);
  const [frete, setFrete] = useState('');
  const [pedagio, setPedagio] = useState('');
  const [cst, setCst] = useState<CteCst>('00');
  const [aliquota, setAliquota] = useState('12');
  const [reducao, setReducao] = useState('');
  const [rntrc, setRntrc] = useState('');
  const [placa, setPlaca] = useState('');
  const [ufPlaca, setUfPlaca] = useState('');
  const [motorista, setMotorista] = useState('');
  const [cpf, setCpf] = useState('');
  const [add, setAdd] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<FinalizeResult | null>(null);
  const [printTo, setPrintTo, printError] = usePrintPreference();
  const requestId = useRef<string | null>(null);
  const vehicleTouched = useRef(false);
  const rntrcTouched = useRef(false);
  const addRef = useRef<HTMLInputElement | null>(null);

  useEffect(() => {
    let gone = false;
    call('cte.draft', { nfeIds })
      .then((d) => {
        if (gone) return;
        setDraft(d);
        setLoadError(null);
        // The default emitente comes first: the group's transport company when its A1 is here.
        const first = d.emitentes.find((e) => e.aviso === null) ?? d.emitentes[0];
        setEmitenteCnpj((cur) => cur || first?.cnpj || '');
        setSeriesId((cur) => cur || first?.series[0]?.id || '');
        if (!rntrcTouched.current && first?.rntrc) setRntrc(first.rntrc);
        if (!vehicleTouched.current) {
          setPlaca(d.placa);
          setUfPlaca(d.ufPlaca);
        }
      })
      .catch((err) => !gone && setLoadError(errorText(err, 'Não foi possível ler as NF-e')));
    requestId.current = null;
    return () => {
      gone = true;
    };
  }, [nfeIds]);

  const emitente = draft?.emitentes.find((e) => e.cnpj === emitenteCnpj) ?? null;
  const chosen = emitente?.series.find((s) => s.id === seriesId) ?? null;
  const chooseEmitente = (cnpj: string) => {
    const e = draft?.emitentes.find((x) => x.cnpj === cnpj);
    setEmitenteCnpj(cnpj);
    setSeriesId(e?.series[0]?.id ?? '');
    if (!rntrcTouched.current) setRntrc(e?.rntrc ?? '');
    requestId.current = null;
  };
  const partyLabel = PARTY_OF[tomador];
  const FIX = 'Corrija os campos destacados.';
  // A corrected field loses its message at once; the summary goes with the last one.
  const clear = (k: keyof Errors) =>
    setErrors((e) => {
      if (!e[k]) return e;
      const next = { ...e, [k]: undefined };
      if (Object.values(next).every((v) => !v)) setMessage((m) => (m === FIX ? null : m));
      return next;
    });

  // Another NF-e of the same delivery, by its number or a scanned chave.
  const addNfe = async () => {
    const t = add.replace(/\s/g, '');
    if (!t) return;
    try {
      const found = await call('documents.list', /^\d{44}$/.test(t) ? { chave: t, model: 55 } : { number: Number(t.replace(/\D/g, '')), model: 55 });
      const nfe = found.find((d) => d.status === 'autorizada');
      if (!nfe) {
        setErrors((e) => ({ ...e, add: `Nenhuma NF-e autorizada com ${t.length === 44 ? 'esta chave' : `o número ${t}`}.` }));
        return;
      }
      if (!nfeIds.includes(nfe.id)) setNfeIds([...nfeIds, nfe.id]);
      setAdd('');
      setErrors((e) => ({ ...e, add: undefined }));
    } catch (err) {
      setErrors((e) => ({ ...e, add: errorText(err, 'Busca não realizada') }));
    }
  };

  const validate = (): CteEmitParams | null => {
    const e: Errors = {};
    const freteC = parseCentavos(frete);
    const pedagioC = parseCentavos(pedagio);
    if (freteC === null || freteC <= 0) e.frete = 'Informe o valor do frete (maior que zero), ex.: 1.850,00.';
    if (pedagioC === null) e.pedagio = 'Valor inválido: use reais com até 2 casas, ex.: 96,40.';
    if (NEEDS_RATE.has(cst) && !/^\d{1,3}(,\d{1,2})?$/.test(aliquota.trim())) e.aliquota = 'Informe a alíquota, ex.: 12 ou 7,5.';
    if (cst === '20' && !/^\d{1,3}(,\d{1,2})?$/.test(reducao.trim())) e.reducao = 'Informe o percentual de redução, ex.: 20.';
    if (!/^\d{8}$/.test(rntrc)) e.rntrc = 'O RNTRC tem 8 dígitos (registro na ANTT).';
    if (placa && !/^[A-Z]{3}\d[A-Z0-9]\d{2}$/.test(placa)) e.placa = 'Placa inválida, ex.: ABC1D23.';
    if (motorista.trim() && !/^\d{11}$/.test(cpf)) e.cpf = 'O CPF do motorista tem 11 dígitos.';
    if (partyLabel && !party) e.party = `Escolha o ${partyLabel.toLowerCase()} no cadastro de clientes.`;
    setErrors(e);
    if (Object.keys(e).length > 0 || !chosen) return null;
    const componentes = [{ nome: 'FRETE PESO', valorCentavos: freteC! }, ...(pedagioC ? [{ nome: 'PEDAGIO', valorCentavos: pedagioC }] : [])];
    return {
      nfeIds,
      seriesId: chosen.id,
      suggested: chosen.suggested,
      requestId: '',
      printTo,
      tomador,
      ...(party && tomador === 'expedidor' ? { expedidorId: party.id } : {}),
      ...(party && tomador === 'recebedor' ? { recebedorId: party.id } : {}),
      ...(party && tomador === 'outro' ? { tomadorId: party.id } : {}),
      componentes,
      icms: { cst, ...(NEEDS_RATE.has(cst) ? { aliquota: aliquota.trim().replace(',', '.') } : {}), ...(cst === '20' ? { reducaoBase: reducao.trim().replace(',', '.') } : {}) },
      rntrc,
      ...(placa ? { placa, ...(ufPlaca ? { ufPlaca } : {}) } : {}),
      ...(motorista.trim() ? { motorista: { nome: motorista.trim(), cpf } } : {}),
    };
  };

  const confirm = async (ev?: FormEvent) => {
    ev?.preventDefault();
    if (busy || !draft || draft.impedimentos.length > 0) return;
    const params = validate();
    if (!params) {
      setMessage(FIX);
      return;
    }
    requestId.current ??= newRequestId();
    setBusy(true);
    setMessage(null);
    try {
      setResult(await call('cte.emit', { ...params, requestId: requestId.current }));
    } catch (err) {
      const e = apiErrorOf(err);
      if (e.code !== 'UNAVAILABLE' && e.code !== 'REQUEST_TIMEOUT') requestId.current = null;
      setMessage(errorText(err, 'O CT-e não foi emitido'));
    }
    setBusy(false);
  };

  const canEmit = !busy && !result && !!draft && draft.impedimentos.length === 0 && !!chosen;
  // The same keys as the order screen: F9 emits (finalizar), F3 adds another NF-e (incluir item).
  useDialogShortcut('F9', () => void confirm(), canEmit);
  useDialogShortcut('F3', () => addRef.current?.focus(), !busy && !result && !!draft);

  const footer = result ? (
    <>
      <button type="button" onClick={onClose}>
        Fechar
      </button>
      <button type="button" className="primary" data-autofocus onClick={() => {
          onClose();
          showDocument(result.documentId);
        }}>
        Ver CT-e
      </button>
    </>
  ) : (
    <>
      <button type="button" onClick={onClose} disabled={busy}>
        Cancelar
      </button>
      <button type="submit" form="emit-cte-form" className="primary" disabled={!canEmit} aria-keyshortcuts="F9">
        {busy ? 'Emitindo…' : 'Emitir CT-e'}
        <ShortcutHint keys="F9" />
      </button>
    </>
  );

  const total = (parseCentavos(frete) ?? 0) + (parseCentavos(pedagio) ?? 0);
  return (
    <Dialog title="Emitir CT-e do frete" onClose={onClose} busy={busy} footer={footer} step={result ? 'done' : draft ? 'ready' : 'loading'} wide>
      {loadError && <Notice kind="error">{loadError}</Notice>}
      {!draft && !loadError && <p className="muted">Lendo as NF-e…</p>}
      {draft && !result && (
        <form id="emit-cte-form" className="form-grid cols-4" onSubmit={confirm} noValidate>
          <div className="span-4 cte-facts" data-testid="cte-nfes">
            <strong>NF-e transportadas:</strong>{' '}
            {draft.nfes.map((n) => `nº ${n.number} série ${n.serie} (${formatCentavos(n.totalCentavos)})`).join(', ')}
            <br />
            <strong>Remetente:</strong> {draft.remetente.nome} – {draft.remetente.municipio}/{draft.remetente.uf} · <strong>Destinatário:</strong> {draft.destinatario.nome} – {draft.destinatario.municipio}/{draft.destinatario.uf}
            <br />
            <strong>Carga:</strong> {draft.produtoPredominante} · {formatCentavos(draft.cargaCentavos)}
            {draft.litros ? ` · ${Number(draft.litros).toLocaleString('pt-BR')} L` : ''} · CFOP {draft.cfop}
          </div>
          {draft.impedimentos.length > 0 && (
            <div className="span-4">
              <Notice kind="error">
                <span data-testid="cte-impedimentos">{draft.impedimentos.join(' ')}</span>
              </Notice>
            </div>
          )}
          <Field label="Adicionar NF-e (número ou chave)" error={errors.add} className="span-2" hint="Outra NF-e da mesma entrega (F3); Enter adiciona">
            {(p) => (
              <input
                {...p}
                ref={addRef}
                aria-keyshortcuts="F3"
                className="mono"
                inputMode="numeric"
                value={add}
                onChange={(e) => setAdd(e.target.value.replace(/[^\d ]/g, ''))}
                onKeyDown={(e) => {
                  if (e.key === 'Enter') {
                    e.preventDefault();
                    void addNfe();
                  }
                }}
              />
            )}
          </Field>
          <Field label="Transportadora emitente" required className="span-2" error={emitente?.aviso ?? undefined} hint="Quem emite e assina o CT-e (CNPJ, certificado e série dele)">
            {(p) => (
              <select {...p} value={emitenteCnpj} disabled={busy} onChange={(e) => chooseEmitente(e.target.value)}>
                {draft.emitentes.map((e) => (
                  <option key={e.cnpj} value={e.cnpj}>
                    {e.nome} · {formatDocumento(e.cnpj)}
                    {e.principal ? ' (estabelecimento)' : ''}
                    {e.aviso ? ' — indisponível nesta estação' : ''}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Série do CT-e" required>
            {(p) => (
              <select {...p} value={seriesId} disabled={busy} onChange={(e) => { setSeriesId(e.target.value); requestId.current = null; }}>
                {(emitente?.series.length ?? 0) === 0 && <option value="">Nenhuma série de CT-e</option>}
                {(emitente?.series ?? []).map((s) => (
                  <option key={s.id} value={s.id}>
                    Série {s.serie}
                    {s.description ? ` – ${s.description}` : ''}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Número do CT-e" hint="Sugerido; reservado pelo servidor ao emitir">
            {(p) => <input {...p} className="num" readOnly data-testid="cte-number" value={chosen ? String(chosen.suggested) : ''} />}
          </Field>
          <Field label="Tomador do serviço" required>
            {(p) => (
              <select
                {...p}
                value={tomador}
                disabled={busy}
                onChange={(e) => {
                  setTomador(e.target.value as Tomador);
                  setParty(null);
                  clear('party');
                }}
              >
                {TOMADOR_OPTIONS.map(([v, l]) => (
                  <option key={v} value={v}>
                    {l}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {partyLabel && (
            <div className="span-3" data-testid="cte-party">
              <CustomerPicker
                customer={party}
                label={partyLabel}
                testId="cte-party-card"
                error={errors.party}
                disabled={busy}
                onChange={(c) => {
                  setParty(c);
                  clear('party');
                }}
              />
            </div>
          )}
          <Field label="Valor do frete (R$)" required error={errors.frete}>
            {(p) => <input {...p} className="num" inputMode="decimal" data-autofocus value={frete} onChange={(e) => { clear('frete'); setFrete(e.target.value); }} />}
          </Field>
          <Field label="Pedágio (R$)" error={errors.pedagio}>
            {(p) => <input {...p} className="num" inputMode="decimal" value={pedagio} onChange={(e) => { clear('pedagio'); setPedagio(e.target.value); }} />}
          </Field>
          <div className="field">
            <div className="field-label">Total da prestação</div>
            <output className="num" data-testid="cte-total">{formatCentavos(total)}</output>
          </div>
          <Field label="CST do ICMS" required className="span-2">
            {(p) => (
              <select {...p} value={cst} disabled={busy} onChange={(e) => setCst(e.target.value as CteCst)}>
                {CST_OPTIONS.map(([v, l]) => (
                  <option key={v} value={v}>
                    {l}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {NEEDS_RATE.has(cst) && (
            <Field label="Alíquota do ICMS (%)" required error={errors.aliquota}>
              {(p) => <input {...p} className="num" inputMode="decimal" value={aliquota} onChange={(e) => { clear('aliquota'); setAliquota(e.target.value); }} />}
            </Field>
          )}
          {cst === '20' && (
            <Field label="Redução da base (%)" required error={errors.reducao}>
              {(p) => <input {...p} className="num" inputMode="decimal" value={reducao} onChange={(e) => { clear('reducao'); setReducao(e.target.value); }} />}
            </Field>
          )}
          <Field label="RNTRC" required error={errors.rntrc} hint="Registro do transportador na ANTT (8 dígitos)" className={NEEDS_RATE.has(cst) && cst !== '20' ? undefined : 'span-2'}>
            {(p) => <input {...p} inputMode="numeric" value={rntrc} onChange={(e) => { rntrcTouched.current = true; clear('rntrc'); setRntrc(e.target.value.replace(/\D/g, '').slice(0, 8)); }} />}
          </Field>
          <Field label="Placa do caminhão-tanque" error={errors.placa} hint="Da NF-e; confira">
            {(p) => (
              <input
                {...p}
                value={placa}
                onChange={(e) => {
                  vehicleTouched.current = true;
                  clear('placa');
                  setPlaca(e.target.value.toUpperCase().replace(/[^A-Z0-9]/g, '').slice(0, 7));
                }}
              />
            )}
          </Field>
          <Field label="UF da placa do caminhão">
            {(p) => <input {...p} value={ufPlaca} maxLength={2} onChange={(e) => setUfPlaca(e.target.value.toUpperCase().replace(/[^A-Z]/g, ''))} />}
          </Field>
          <Field label="Motorista">
            {(p) => <input {...p} value={motorista} maxLength={60} onChange={(e) => setMotorista(e.target.value)} />}
          </Field>
          <Field label="CPF do motorista" error={errors.cpf}>
            {(p) => <input {...p} inputMode="numeric" value={cpf} onChange={(e) => { clear('cpf'); setCpf(e.target.value.replace(/\D/g, '').slice(0, 11)); }} />}
          </Field>
          <div className="span-2">
            <PrintToChoice value={printTo} onChange={setPrintTo} disabled={busy} what="DACTE" />
            {printError && <p className="field-hint">{printError}</p>}
          </div>
          {busy && <p className="muted span-4">Emitindo o CT-e: numerando, assinando e enviando à SEFAZ…</p>}
          {message && (
            <div className="span-4">
              <Notice kind="error">
                <span data-testid="cte-message">{message}</span>
              </Notice>
            </div>
          )}
        </form>
      )}
      {result && (
        <div className="finalize-result">
          {result.numberChanged && <Notice kind="warn">O número {result.suggested} foi usado por outro faturista; este CT-e recebeu o número {result.number}.</Notice>}
          <p>
            CT-e <strong data-testid="cte-emitted-number">{result.number}</strong>, série {result.serie}
            {emitente ? ` · ${emitente.nome}` : ''}
          </p>
          <StatusBadge color={STATUS_COLOR[result.status as keyof typeof STATUS_COLOR] ?? 'yellow'} label={result.message} testId="cte-emit-status" />
          <p className="muted small-text">
            Chave <code data-testid="cte-chave">{result.chave}</code>
          </p>
        </div>
      )}
    </Dialog>
  );
}
