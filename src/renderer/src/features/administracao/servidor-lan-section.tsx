import { useState, type FormEvent } from 'react';
import type { LanConfigDto } from '../../../../shared/api/index';
import { call } from '../../api';
import { Field } from '../../components/field';
import { Notice } from '../../components/notice';
import { useEditable } from '../../hooks/use-editable';
import { formatDateTime } from '../../lib/dates';
import { useAppStore } from '../../stores/app-store';

export function ServidorLanSection() {
  const e = useEditable<LanConfigDto>(() => call('lan.config.get'), (v) => call('lan.config.save', v), 'a conexão com o servidor LAN');
  const status = useAppStore((s) => s.status);
  const [showToken, setShowToken] = useState(false);
  const v = e.value;
  const err = (f: string) => (e.errorField === f ? e.saveError : undefined);
  const submit = (ev: FormEvent) => {
    ev.preventDefault();
    void e.save();
  };
  return (
    <form className="card" onSubmit={submit} noValidate aria-labelledby="lan-title">
      <h2 id="lan-title">Servidor LAN</h2>
      {status && (
        <dl className="facts">
          <dt>Estado</dt>
          <dd data-testid="lan-state">
            {status.lanServer.label}
            {status.lanServer.detail ? ` — ${status.lanServer.detail}` : ''}
          </dd>
          <dt>Desde</dt>
          <dd>{formatDateTime(status.lanServer.since)}</dd>
          <dt>Sincronização</dt>
          <dd>
            {status.sync.online ? 'online' : 'offline'} · {status.sync.pending} pendente(s) · última {formatDateTime(status.sync.lastSyncAt)}
          </dd>
        </dl>
      )}
      <p className="muted small-text">Deixe o endereço vazio para usar o servidor embutido nesta estação (instalação com um só computador).</p>
      {e.loadError && <Notice kind="error">{e.loadError}</Notice>}
      {v && (
        <div className="form-grid cols-4">
          <Field label="Endereço do servidor" error={err('host')} className="span-2" hint="Nome ou IP, ex.: 192.168.0.10">
            {(p) => <input {...p} value={v.host} onChange={(x) => e.set({ host: x.target.value.trim() })} />}
          </Field>
          <Field label="Porta" required error={err('port')}>
            {(p) => <input {...p} className="num" inputMode="numeric" value={v.port || ''} onChange={(x) => e.set({ port: Number(x.target.value.replace(/\D/g, '').slice(0, 5)) || 0 })} />}
          </Field>
          <Field label="Nome desta estação" required error={err('workstation')}>
            {(p) => <input {...p} value={v.workstation} onChange={(x) => e.set({ workstation: x.target.value })} />}
          </Field>
          <Field
            label="Código de cadastro"
            error={err('code')}
            className="span-3"
            hint={v.enrolled ? 'Estação já cadastrada; informe um código novo só para cadastrá-la de novo.' : 'Código de uso único mostrado pelo servidor ou em Administração > Estações.'}
          >
            {(p) => <input {...p} type={showToken ? 'text' : 'password'} autoComplete="off" className="mono" value={v.code ?? ''} onChange={(x) => e.set({ code: x.target.value.trim() })} />}
          </Field>
          <label className="checkbox">
            <input type="checkbox" checked={showToken} onChange={(x) => setShowToken(x.target.checked)} />
            Mostrar código
          </label>
          <label className="checkbox span-4">
            <input type="checkbox" checked={v.tls} onChange={(x) => e.set({ tls: x.target.checked })} />
            Conexão cifrada (TLS) — desmarque só para um servidor iniciado com --insecure
          </label>
          {v.fingerprint && (
            <p className="muted small-text span-4" data-testid="lan-fingerprint">
              Certificado do servidor fixado no cadastro (SHA-256): <span className="mono">{v.fingerprint}</span>. Confira com o mostrado pelo servidor.
            </p>
          )}
        </div>
      )}
      {e.saveError && <Notice kind="error">{e.saveError}</Notice>}
      {e.saved && <Notice kind="ok">{e.saved}</Notice>}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={!v || e.saving}>
          {e.saving ? 'Salvando…' : 'Salvar e reconectar'}
        </button>
      </div>
    </form>
  );
}
