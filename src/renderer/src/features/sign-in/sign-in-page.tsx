import { useState, type FormEvent } from 'react';
import { call } from '../../api';
import { Field } from '../../components/field';
import { Notice } from '../../components/notice';
import { useApiQuery } from '../../hooks/use-api-query';
import { errorText } from '../../lib/errors';
import { useAppStore } from '../../stores/app-store';
import { DemoUsers } from './demo-users';

export function SignInPage() {
  const login = useAppStore((s) => s.login);
  const notice = useAppStore((s) => s.notice);
  const [user, setUser] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const hints = useApiQuery(() => call('auth.hints'), '', 'Usuários de demonstração indisponíveis');

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!user.trim() || !password) {
      setError('Informe usuário e senha.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await login(user.trim(), password);
    } catch (err) {
      setError(errorText(err, 'Não foi possível entrar'));
      setBusy(false);
    }
  };

  return (
    <div className="sign-in">
      <form className="sign-in-card" onSubmit={submit} aria-labelledby="sign-in-title" noValidate>
        <div className="brand brand-dark">
          <span className="brand-mark" aria-hidden="true">▰▰▰</span> Comboio
        </div>
        <h1 id="sign-in-title">Entrar</h1>
        {notice && <Notice kind="info">{notice}</Notice>}
        <Field label="Usuário" required>
          {(p) => <input {...p} autoFocus autoComplete="username" value={user} onChange={(e) => setUser(e.target.value)} />}
        </Field>
        <Field label="Senha" required>
          {(p) => <input {...p} type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />}
        </Field>
        {error && <Notice kind="error">{error}</Notice>}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Entrando…' : 'Entrar'}
        </button>
        {hints.data?.demo && (
          <DemoUsers
            users={hints.data.users}
            onPick={(u) => {
              setUser(u.login);
              setPassword(u.password);
            }}
          />
        )}
      </form>
    </div>
  );
}
