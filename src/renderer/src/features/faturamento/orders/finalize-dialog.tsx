import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { FinalizeResult, OrderDto, SeriesOption } from '../../../../../shared/api/index';
import { orderLabel } from '../../../../../shared/format';
import { call } from '../../../api';
import { Dialog } from '../../../components/dialog';
import { Field } from '../../../components/field';
import { Notice } from '../../../components/notice';
import { ShortcutHint } from '../../../components/shortcut-hint';
import { useDialogShortcut } from '../../../hooks/use-shortcut';
import { StatusBadge } from '../../../components/status-badge';
import { apiErrorOf, errorText } from '../../../lib/errors';
import { newRequestId } from '../../../lib/request-id';
import { useFaturamentoView } from '../view-store';
import { LOCK_HELD, lockHeldMessage } from './lock-message';
import { PrintToChoice, usePrintPreference } from './print-preference';

type Phase = 'locking' | 'ready' | 'blocked' | 'finalizing' | 'done';

const STATUS_COLOR = { autorizada: 'green', rejeitada: 'red', denegada: 'red', cancelada: 'grey' } as const;

/** "O número 15 foi usado por outro faturista; esta nota recebeu o número 16" */
export function numberChangedMessage(suggested: number | null, number: number): string {
  return `O número ${suggested ?? '?'} foi usado por outro faturista; esta nota recebeu o número ${number}`;
}

/**
 * Lock on the LAN server first (someone else may be billing this order), then choose the
 * série and confirm. The number shown is only a suggestion: the server allocates on confirm.
 */
export function FinalizeDialog({ order, onClose }: { order: OrderDto; onClose(): void }) {
  const showDocument = useFaturamentoView((s) => s.showDocument);
  const [phase, setPhase] = useState<Phase>('locking');
  const [message, setMessage] = useState<string | null>(null);
  const [series, setSeries] = useState<SeriesOption[]>([]);
  const [seriesId, setSeriesId] = useState('');
  const [numberText, setNumberText] = useState('');
  const [result, setResult] = useState<FinalizeResult | null>(null);
  const [printTo, setPrintTo, printError] = usePrintPreference();
  const locked = useRef(false);
  // One id per confirmation: a retry after a lost answer must not allocate another number.
  const requestId = useRef<string | null>(null);

  useEffect(() => {
    let gone = false;
    (async () => {
      try {
        await call('billing.lock', { orderId: order.id });
        locked.current = true;
      } catch (err) {
        if (gone) return;
        const e = apiErrorOf(err);
        setMessage(e.code === LOCK_HELD ? lockHeldMessage(e) : errorText(err, 'Não foi possível reservar o pedido para faturamento'));
        setPhase('blocked');
        return;
      }
      try {
        const options = await call('billing.series', { model: 55 });
        if (gone) return;
        setSeries(options);
        const first = options[0];
        if (first) {
          setSeriesId(first.id);
          setNumberText(String(first.suggested));
        }
        setPhase('ready');
      } catch (err) {
        if (!gone) {
          setMessage(errorText(err, 'Não foi possível carregar as séries'));
          setPhase('blocked');
        }
      }
    })();
    return () => {
      gone = true;
      if (locked.current) {
        locked.current = false;
        // Closing without finishing hands the order back; a finished one is released by the core.
        void call('billing.unlock', { orderId: order.id }).catch(() => undefined);
      }
    };
  }, [order.id]);

  const chosen = series.find((s) => s.id === seriesId) ?? null;
  const chooseSeries = (id: string) => {
    setSeriesId(id);
    const s = series.find((x) => x.id === id);
    setNumberText(s ? String(s.suggested) : '');
    requestId.current = null;
  };

  const confirm = async (e?: FormEvent) => {
    e?.preventDefault();
    if (phase !== 'ready' || !chosen) return;
    const suggested = /^\d{1,9}$/.test(numberText) ? Number(numberText) : null;
    if (!chosen.emissaoPropria && suggested === null) {
      setMessage('Informe o número da nota (até 9 dígitos).');
      return;
    }
    requestId.current ??= newRequestId();
    setPhase('finalizing');
    setMessage(null);
    try {
      const r = await call('billing.finalize', { orderId: order.id, seriesId: chosen.id, suggested, requestId: requestId.current, printTo });
      locked.current = false;
      setResult(r);
      setPhase('done');
    } catch (err) {
      const e = apiErrorOf(err);
      // Only a lost answer is retried with the same id; anything else was a real refusal.
      if (e.code !== 'UNAVAILABLE' && e.code !== 'REQUEST_TIMEOUT') requestId.current = null;
      setMessage(e.code === LOCK_HELD ? lockHeldMessage(e) : errorText(err, 'A nota não foi emitida'));
      setPhase('ready');
    }
  };

  const busy = phase === 'finalizing';
  // F9 finalizes on the order screen, and F9 again confirms here (as Enter does), as in the CT-e dialog.
  useDialogShortcut('F9', () => void confirm(), phase === 'ready' && !!chosen);
  const footer =
    phase === 'done' && result ? (
      <>
        <button type="button" onClick={onClose}>
          Fechar
        </button>
        <button type="button" className="primary" data-autofocus onClick={() => showDocument(result.documentId)}>
          Ver documento
        </button>
      </>
    ) : (
      <>
        <button type="button" onClick={onClose} disabled={busy}>
          Cancelar
        </button>
        <button type="submit" form="finalize-form" className="primary" disabled={phase !== 'ready' || !chosen} data-autofocus aria-keyshortcuts="F9">
          {busy ? 'Emitindo…' : 'Confirmar e emitir'}
          <ShortcutHint keys="F9" />
        </button>
      </>
    );

  return (
    <Dialog title={`Finalizar ${orderLabel(order.numeroPedido).toLowerCase()}`} onClose={onClose} busy={busy} footer={footer} step={phase}>
      {phase === 'locking' && <p className="muted">Reservando o pedido no servidor…</p>}
      {phase === 'blocked' && message && (
        <Notice kind="error">
          <span data-testid="lock-message">{message}</span>
        </Notice>
      )}
      {(phase === 'ready' || phase === 'finalizing') && (
        <form id="finalize-form" className="form-grid" onSubmit={confirm} noValidate>
          <Field label="Série" required className="span-2">
            {(p) => (
              <select {...p} value={seriesId} disabled={busy} onChange={(e) => chooseSeries(e.target.value)}>
                {series.length === 0 && <option value="">Nenhuma série ativa</option>}
                {series.map((s) => (
                  <option key={s.id} value={s.id}>
                    Série {s.serie}
                    {s.description ? ` – ${s.description}` : ''}
                    {s.emissaoPropria ? '' : ' (emissão de terceiros)'}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field
            label="Número da nota"
            required
            hint={chosen?.emissaoPropria ? 'Sugerido pelo servidor; o número definitivo é reservado ao confirmar.' : 'Série de terceiros: informe o número do documento.'}
          >
            {(p) => (
              <input
                {...p}
                className="num"
                data-testid="finalize-number"
                readOnly={chosen?.emissaoPropria ?? true}
                value={numberText}
                onChange={(e) => setNumberText(e.target.value.replace(/\D/g, '').slice(0, 9))}
              />
            )}
          </Field>
          <PrintToChoice value={printTo} onChange={setPrintTo} disabled={busy} />
          {printError && <p className="field-hint span-2">{printError}</p>}
          {busy && <p className="muted span-2">Emitindo a NF-e: numerando, assinando e enviando à SEFAZ…</p>}
          {message && (
            <div className="span-2">
              <Notice kind="error">{message}</Notice>
            </div>
          )}
        </form>
      )}
      {phase === 'done' && result && (
        <div className="finalize-result">
          {result.numberChanged && (
            <Notice kind="warn">
              <span data-testid="number-changed">{numberChangedMessage(result.suggested ?? (Number(numberText) || null), result.number)}</span>
            </Notice>
          )}
          <p>
            NF-e <strong data-testid="finalized-number">{result.number}</strong>, série {result.serie}
          </p>
          <StatusBadge color={STATUS_COLOR[result.status as keyof typeof STATUS_COLOR] ?? 'yellow'} label={result.message} testId="finalize-status" />
          <p className="muted small-text">
            Chave <code>{result.chave}</code>
          </p>
        </div>
      )}
    </Dialog>
  );
}
