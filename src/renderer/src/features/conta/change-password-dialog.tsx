import { useState } from 'react';
import { call } from '../../api';
import { Field } from '../../components/field';
import { FormDialog } from '../../components/form-dialog';
import { Notice } from '../../components/notice';
import { errorText } from '../../lib/errors';

/** The signed-in user's own password: the server checks the current one first. */
export function ChangePasswordDialog({ onClose }: { onClose(): void }) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [fe, setFe] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    const e: Record<string, string> = {};
    if (!current) e.current = 'Informe a senha atual.';
    if (next.length < 8) e.next = 'A nova senha precisa de pelo menos 8 caracteres.';
    else if (next === current) e.next = 'A nova senha deve ser diferente da atual.';
    if (again !== next) e.again = 'As duas senhas novas não conferem.';
    setFe(e);
    if (Object.keys(e).length) return;
    setBusy(true);
    setError(null);
    try {
      await call('auth.changePassword', { current, next });
      setDone(true);
    } catch (err) {
      setError(errorText(err, 'Senha não alterada'));
    } finally {
      setBusy(false);
    }
  };

  if (done) {
    return (
      <FormDialog title="Trocar minha senha" onClose={onClose} onSubmit={onClose} submitLabel="Fechar" dismissLabel="Voltar">
        <Notice kind="ok">Senha alterada. Use a nova senha na próxima entrada, nesta e nas outras estações.</Notice>
      </FormDialog>
    );
  }
  return (
    <FormDialog title="Trocar minha senha" onClose={onClose} onSubmit={() => void submit()} submitLabel={busy ? 'Alterando…' : 'Alterar senha'} busy={busy}>
      <div className="form-grid">
        <Field label="Senha atual" required error={fe.current} className="span-3">
          {(p) => <input {...p} type="password" data-autofocus autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} />}
        </Field>
        <Field label="Nova senha" required error={fe.next} hint="Pelo menos 8 caracteres" className="span-3">
          {(p) => <input {...p} type="password" autoComplete="new-password" value={next} onChange={(e) => setNext(e.target.value)} />}
        </Field>
        <Field label="Repita a nova senha" required error={fe.again} className="span-3">
          {(p) => <input {...p} type="password" autoComplete="new-password" value={again} onChange={(e) => setAgain(e.target.value)} />}
        </Field>
      </div>
      {error && <Notice kind="error">{error}</Notice>}
    </FormDialog>
  );
}
