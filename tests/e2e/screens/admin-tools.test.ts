import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, fillNewOrder, openDemoHost, signIn, type DemoHost } from './pages';

// Issue #22 item 17: the administrator's everyday tools — releasing a stuck order lock
// (Travas de pedidos, audited with the reason) and "Reconstruir dados locais" (README).
let host: DemoHost;
let faturista: Page;
let admin: Page;

beforeAll(async () => {
  host = await openDemoHost('admin-tools');
  faturista = host.page;
  const browser = faturista.context().browser()!;
  admin = await (await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'pt-BR' })).newPage();
});
afterAll(async () => {
  await host?.close();
});

/** The station's own SQLite file under the host's data folder. */
function stationDb(dir: string): string {
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (e === 'comboio.db') return p;
    if (statSync(p).isDirectory()) {
      try {
        return stationDb(p);
      } catch {
        // not under this one
      }
    }
  }
  throw new Error(`no comboio.db under ${dir}`);
}

async function adminTab(name: string): Promise<void> {
  await admin.getByRole('button', { name: /Administração/ }).click();
  await admin.getByRole('tab', { name }).click();
}

describe('administração', () => {
  it('Travas de pedidos: the administrator sees who holds an order and releases it with a reason, audited', async () => {
    await signIn(faturista, host.url, DEMO.faturista);
    await fillNewOrder(faturista, '5000');
    await faturista.getByTestId('order-total').filter({ hasText: /R\$ [1-9]/ }).waitFor();
    await faturista.getByRole('button', { name: 'Finalizar…' }).click();
    const finalize = faturista.getByRole('dialog', { name: /Finalizar pedido \d+/ });
    await finalize.getByRole('button', { name: 'Confirmar e emitir' }).and(faturista.locator(':enabled')).waitFor();
    const numero = ((await faturista.getByRole('heading', { level: 2 }).first().textContent()) ?? '').match(/Pedido (\d+)/)?.[1];
    expect(numero).toMatch(/^\d+$/);

    await signIn(admin, host.url, DEMO.admin);
    await adminTab('Travas de pedidos');
    const row = admin.getByTestId('lock-row').filter({ hasText: numero! });
    await row.waitFor();
    await expect(row.textContent()).resolves.toContain('Faturista de demonstração');
    await admin.screenshot({ path: join('tests', '.artifacts', 'admin-tools-travas.png') });
    await row.getByRole('button', { name: `Liberar a trava do pedido ${numero}` }).click();
    const ask = admin.getByRole('dialog', { name: `Liberar a trava do pedido ${numero}` });
    await ask.getByRole('button', { name: 'Liberar a trava' }).click();
    await expect(ask.getByText(/ao menos 5 caracteres/).count()).resolves.toBe(1);
    await ask.getByLabel('Motivo').fill('estação do faturista travou');
    await admin.screenshot({ path: join('tests', '.artifacts', 'admin-tools-liberar.png') });
    await ask.getByRole('button', { name: 'Liberar a trava' }).click();
    await admin.getByText(new RegExp(`Trava do pedido ${numero} liberada \\(era de Faturista de demonstração`)).waitFor();
    await admin.getByText('Nenhum pedido travado agora.').waitFor();

    const db = new Database(stationDb(host.dataDir), { readonly: true });
    try {
      const line = db.prepare("SELECT user, detail FROM audit_log WHERE action = 'locks.release' ORDER BY id DESC LIMIT 1").get() as { user: string; detail: string } | undefined;
      expect(line?.user).toBe('admin');
      expect(line?.detail).toContain(`Trava do pedido ${numero} liberada`);
      expect(line?.detail).toContain('estação do faturista travou');
    } finally {
      db.close();
    }
    await faturista.keyboard.press('Escape');
  });

  it('the series audit says what was done in Portuguese ("Próximo número alterado", never series.setNext) (item 6)', async () => {
    await adminTab('Séries');
    await admin.getByRole('button', { name: 'Alterar próximo número da NF-e série 1', exact: true }).click();
    const next = admin.getByLabel('Novo próximo número');
    await next.fill(String(Number(await next.inputValue()) + 2));
    await admin.getByLabel('Motivo').fill('Notas emitidas no sistema antigo');
    await admin.keyboard.press('Enter');
    await admin.getByTestId('series-gaps').waitFor();
    await admin.getByRole('button', { name: 'Auditoria da NF-e série 1', exact: true }).click();
    const actions = admin.getByTestId('series-audit-action');
    await expect.poll(() => actions.allTextContents()).toContain('Próximo número alterado');
    const all = await actions.allTextContents();
    expect(all.filter((a) => /^[a-z]+\.[a-zA-Z.]+$/.test(a))).toEqual([]);
    await admin.screenshot({ path: join('tests', '.artifacts', 'admin-tools-auditoria-serie.png') });
  });

  it('Reconstruir dados locais brings back a record the station had lost', async () => {
    // Damage the station's copy: a customer vanishes from it (a backup restored by hand…).
    const file = stationDb(host.dataDir);
    const db = new Database(file);
    try {
      const gone = db.prepare("DELETE FROM sync_records WHERE collection = 'customers' AND json_extract(data, '$.nome') LIKE 'POSTO MINEIRO%'").run();
      expect(gone.changes).toBe(1);
    } finally {
      db.close();
    }
    const searchMineiro = async () => {
      await faturista.getByRole('button', { name: '← Pedidos' }).click().catch(() => undefined);
      const discard = faturista.getByRole('button', { name: 'Descartar alterações' });
      if (await discard.isVisible().catch(() => false)) await discard.click();
      await faturista.getByRole('button', { name: 'Novo pedido' }).click();
      await faturista.getByRole('combobox', { name: 'Cliente' }).fill('mineiro');
      await faturista.waitForTimeout(600);
      return faturista.getByRole('option', { name: /POSTO MINEIRO/ }).count();
    };
    await expect(searchMineiro()).resolves.toBe(0);

    await adminTab('Esta estação');
    await admin.getByRole('button', { name: 'Reconstruir dados locais' }).click();
    const ask = admin.getByRole('dialog', { name: 'Reconstruir dados locais' });
    await admin.screenshot({ path: join('tests', '.artifacts', 'admin-tools-reconstruir.png') });
    await ask.getByRole('button', { name: 'Reconstruir' }).click();
    await admin.getByText(/Dados locais reconstruídos às \d\d:\d\d: [\d.]+ registros vieram do servidor\./).waitFor({ timeout: 60_000 });
    await admin.screenshot({ path: join('tests', '.artifacts', 'admin-tools-reconstruido.png') });

    await expect.poll(searchMineiro, { timeout: 20_000 }).toBe(1);
  });
});
