import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../../src/core/clock';
import { offlineVerifierInput, OfflineVerifiers } from '../../../src/core/session/offline-verifiers';
import { hashPassword } from '../../../src/core/session/password';
import { migrateStore } from '../../../src/core/store/migrate';
import { openStore, type Store } from '../../../src/core/store/open';
import { SettingsRepo } from '../../../src/core/store/settings-repo';
import { fileKeySecretBox } from '../../../src/core/workstation/secrets';
import { repoRoot } from '../../helpers/proc';
import { tempDir } from '../../helpers/tmp';

// The station's side of offline sign-in, on a real SQLite store: it only checks the verifier
// the server issued to this station id (the server's side is in tests/unit/server/identity.test.ts).
let tmp: ReturnType<typeof tempDir>;
let store: Store;
afterEach(() => {
  store?.close();
  tmp?.cleanup();
});

async function setup() {
  tmp = tempDir('comboio-offline-');
  store = openStore(join(tmp.dir, 'comboio.db'));
  migrateStore(store, join(repoRoot, 'drizzle'));
  const settings = new SettingsRepo(store.db, systemClock);
  return { settings, v: new OfflineVerifiers(settings, fileKeySecretBox(join(tmp.dir, 'chave-local.bin'))) };
}

const grant = async (stationId: string, login: string, password: string) => ({
  verifier: await hashPassword(offlineVerifierInput(stationId, login, password), 10),
  issuedAt: '2026-12-07T10:00:00-03:00',
});

describe('offline verifiers at the station', () => {
  it('accepts the right password of a user the server issued a verifier for, refuses a wrong one and users without one', async () => {
    const { v, settings } = await setup();
    v.remember('ana', 'st-A', await grant('st-A', 'ana', 'senha-certa'), { name: 'Ana', roles: ['faturista'] });
    expect(await v.check('ana', 'senha-certa', 'st-A', 0)).toEqual({ login: 'ana', name: 'Ana', roles: ['faturista'] });
    expect(await v.check('ana', 'senha-errada', 'st-A', 0)).toBeNull();
    expect(await v.check('bia', 'senha-certa', 'st-A', 0)).toBeNull();
    // Kept sealed: the settings row does not carry the verifier in clear.
    expect(JSON.stringify(settings.get('auth.offline.ana', null))).not.toContain('scrypt$');
  });

  it('a verifier issued to another station (or kept after re-enrollment under a new id) opens nothing', async () => {
    const { v } = await setup();
    v.remember('ana', 'st-A', await grant('st-B', 'ana', 'senha-certa'), { name: 'Ana', roles: ['faturista'] });
    expect(await v.check('ana', 'senha-certa', 'st-A', 0)).toBeNull();
    v.remember('bia', 'st-A', await grant('st-A', 'bia', 'senha-certa'), { name: 'Bia', roles: ['faturista'] });
    expect(await v.check('bia', 'senha-certa', 'st-NOVO', 0)).toBeNull();
    expect(await v.check('bia', 'senha-certa', null, 0)).toBeNull();
  });

  it('keeps only what the server still lists, and slows down repeated wrong passwords', async () => {
    const { v } = await setup();
    for (const l of ['ana', 'bia', 'caio']) v.remember(l, 'st-A', await grant('st-A', l, 'senha-certa'), { name: l, roles: ['faturista'] });
    expect(v.keepOnly(['bia']).sort()).toEqual(['ana', 'caio']);
    expect(v.logins()).toEqual(['bia']);
    expect(await v.check('ana', 'senha-certa', 'st-A', 0)).toBeNull();
    for (let i = 0; i < 3; i++) await v.check('bia', 'x', 'st-A', 1000);
    expect(await v.check('bia', 'senha-certa', 'st-A', 1000)).toBe('throttled');
    expect(await v.check('bia', 'senha-certa', 'st-A', 1000 + 61_000)).toMatchObject({ login: 'bia' });
  });
});
