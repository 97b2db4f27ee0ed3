import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrollStation } from '../../src/core/numbering/index';
import { launchChromium, screenshot } from '../helpers/browser';
import { startOffice, type Client, type Office, type Station } from '../helpers/office';
import { tempDir } from '../helpers/tmp';

// Issue #16, Administração › Estações and › Usuários, in Chromium against real processes:
// the LAN server over TLS (`comboio server`), the simulator and one `comboio web` station.
const tmp = tempDir('comboio-e2e-identity-');
let office: Office;
let a: Station;
let admin: Client;
let browser: Browser;
let page: Page;

async function signInAs(login: string, password: string) {
  await page.goto(a.url);
  // A reload keeps the tab's session: whoever is signed in leaves first.
  const signIn = page.getByLabel('Usuário', { exact: true });
  await Promise.race([signIn.waitFor(), page.getByTestId('session-user').waitFor()]);
  if (!(await signIn.isVisible())) await page.getByRole('button', { name: 'Sair' }).click();
  await signIn.fill(login);
  await page.getByLabel('Senha', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Entrar', exact: true }).click();
  await page.getByTestId('session-user').waitFor();
}

async function openAdminTab(tab: string) {
  await page.getByRole('button', { name: /^Administração/ }).click();
  await page.getByRole('tab', { name: tab, exact: true }).click();
}

/** The station's Api as the browser would call it, without retries (a refused password is the answer). */
async function tryLogin(login: string, password: string): Promise<{ ok: boolean; error?: { code: string } }> {
  const res = await fetch(new URL('/api/auth.login', a.url), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ login, password }) });
  return (await res.json()) as { ok: boolean; error?: { code: string } };
}

beforeAll(async () => {
  office = await startOffice(tmp.dir);
  a = await office.addStation('estacao-a');
  admin = await a.login('admin', 'admin123');
  await admin.call('users.save', { login: 'ana', name: 'Ana Faturista', roles: ['faturista'], active: true, password: 'senha-da-ana-1' });
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1366, height: 768 } })).newPage();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await office?.close();
  tmp.cleanup();
});

describe('Administração › Estações', () => {
  it('lists stations (name, IP, last seen), enrolls one with a one-time code and the server fingerprint, and revokes it', async () => {
    await signInAs('admin', 'admin123');
    await openAdminTab('Estações');
    const table = page.getByRole('table', { name: 'Estações' });
    const own = table.getByRole('row', { name: /estacao-a \(esta estação\)/ });
    await own.waitFor();
    expect(await own.textContent()).toMatch(/127\.0\.0\.1.*\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}.*Ativa/);
    // Its own station cannot be revoked from here.
    expect(await own.getByRole('button', { name: /Revogar/ }).count()).toBe(0);

    await page.getByRole('button', { name: 'Cadastrar estação' }).click();
    const dialog = page.getByRole('dialog', { name: 'Cadastrar estação' });
    const code = (await dialog.getByTestId('enroll-code').textContent())!.trim();
    const fingerprint = (await dialog.getByTestId('enroll-fingerprint').textContent())!.trim();
    expect(fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    // The same fingerprint the server printed at start (what the new station compares).
    expect(office.server.stdout()).toContain(fingerprint);
    await screenshot(page, 'admin-estacoes-cadastrar');
    await dialog.getByRole('button', { name: 'Pronto' }).click();

    // A new station uses the code over a real socket; it pins that same fingerprint.
    const e = await enrollStation({ url: office.lan.url, code, workstation: 'FAT09' });
    expect(e.pin).toBe(fingerprint);
    await expect(enrollStation({ url: office.lan.url, code, workstation: 'FAT10' })).rejects.toMatchObject({ message: expect.stringMatching(/código/i) });

    await openAdminTab('Usuários');
    await openAdminTab('Estações');
    const fat09 = table.getByRole('row', { name: /FAT09/ });
    await fat09.waitFor();
    await fat09.getByRole('button', { name: 'Revogar FAT09' }).click();
    const revoke = page.getByRole('dialog', { name: 'Revogar a estação FAT09' });
    await revoke.getByRole('button', { name: 'Revogar' }).click();
    expect(await revoke.getByText('Informe o motivo').count()).toBe(1);
    await revoke.getByLabel('Motivo').fill('notebook roubado');
    await revoke.getByRole('button', { name: 'Revogar' }).click();
    await page.getByText('Estação FAT09 revogada').waitFor();
    await fat09.getByText(/Revogada em/).waitFor();
    await screenshot(page, 'admin-estacoes-revogada');
  });
});

describe('Administração › Usuários and the own password', () => {
  it('an administrator unlocks a locked-out user and resets a password; a user changes their own with the old one', async () => {
    // Locked in the server's database directly: the real lockout (10 wrong passwords with a
    // growing delay) is covered by tests/unit/server/identity.test.ts; this is the screen.
    const db = new Database(join(office.lan.dataDir, 'servidor.sqlite'));
    db.prepare('UPDATE auth_users SET failures = 10, locked = 1 WHERE login = ?').run('ana');
    db.close();
    expect((await tryLogin('ana', 'senha-da-ana-1')).error?.code).toBe('SIGN_IN_LOCKED');

    await signInAs('admin', 'admin123');
    await openAdminTab('Usuários');
    const row = page.getByRole('table', { name: 'Usuários' }).getByRole('row', { name: /ana/ });
    await row.getByText('Bloqueado (senha errada)').waitFor();
    await screenshot(page, 'admin-usuarios-bloqueado');
    await row.getByRole('button', { name: 'Desbloquear ana' }).click();
    await page.getByText('Usuário ana desbloqueado').waitFor();
    expect(await row.getByText('Bloqueado').count()).toBe(0);
    expect((await tryLogin('ana', 'senha-da-ana-1')).ok).toBe(true);

    // Administrator reset.
    await row.getByRole('button', { name: 'Editar ana' }).click();
    const edit = page.getByRole('dialog', { name: 'Usuário ana' });
    await edit.getByLabel('Redefinir a senha').fill('redefinida-pelo-admin');
    await edit.getByRole('button', { name: 'Salvar' }).click();
    await page.getByText('Usuário ana salvo.').waitFor();
    expect((await tryLogin('ana', 'senha-da-ana-1')).ok).toBe(false);
    expect((await tryLogin('ana', 'redefinida-pelo-admin')).ok).toBe(true);
    await page.getByRole('button', { name: 'Sair' }).click();

    // Ana changes her own password: the old one is required and checked by the server.
    await signInAs('ana', 'redefinida-pelo-admin');
    await page.getByRole('button', { name: 'Trocar senha' }).click();
    const dlg = page.getByRole('dialog', { name: 'Trocar minha senha' });
    await dlg.getByLabel('Senha atual').fill('chute-errado');
    await dlg.getByLabel('Nova senha', { exact: true }).fill('nova-senha-da-ana');
    await dlg.getByLabel('Repita a nova senha').fill('nova-senha-da-ana');
    await dlg.getByRole('button', { name: 'Alterar senha' }).click();
    await dlg.getByRole('alert').waitFor();
    // The refusal is an answer, not a lost session: the dialog stays, she stays signed in.
    expect(await dlg.getByRole('alert').textContent()).toContain('Senha atual incorreta');
    await screenshot(page, 'trocar-senha-atual-errada');
    await dlg.getByLabel('Senha atual').fill('redefinida-pelo-admin');
    await dlg.getByRole('button', { name: 'Alterar senha' }).click();
    await dlg.getByText('Senha alterada').waitFor();
    await screenshot(page, 'trocar-senha-ok');
    expect((await tryLogin('ana', 'redefinida-pelo-admin')).ok).toBe(false);
    expect((await tryLogin('ana', 'nova-senha-da-ana')).ok).toBe(true);
  });
});
