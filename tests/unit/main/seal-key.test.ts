import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fileKeySecretBox } from '../../../src/core/workstation/secrets';
import { openSealKey, PLAIN_KEY_FILE, WRAPPED_KEY_FILE, type SafeStorageLike } from '../../../src/main/seal-key';
import { tempDir } from '../../helpers/tmp';

// Electron cannot run here (no Electron binary, no DPAPI): `safeStorage` is replaced by a
// stand-in that really encrypts with a key of its own, as DPAPI does with the Windows
// user's. Each test says so in its name. What runs for real: the key files, the wrapping,
// the migration from the clear key file, the AES-GCM sealing.
function safeStorageStandIn(opts: { available?: boolean; backend?: string } = {}): SafeStorageLike & { userKey: Buffer } {
  const userKey = randomBytes(32);
  return {
    userKey,
    isEncryptionAvailable: () => opts.available ?? true,
    ...(opts.backend ? { getSelectedStorageBackend: () => opts.backend! } : {}),
    encryptString(plain) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', userKey, iv);
      const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return Buffer.concat([Buffer.from('DPAPI'), iv, c.getAuthTag(), body]);
    },
    decryptString(enc) {
      if (enc.subarray(0, 5).toString() !== 'DPAPI') throw new Error('not protected data');
      const d = createDecipheriv('aes-256-gcm', userKey, enc.subarray(5, 17));
      d.setAuthTag(enc.subarray(17, 33));
      return Buffer.concat([d.update(enc.subarray(33)), d.final()]).toString('utf8');
    },
  };
}

let tmp: ReturnType<typeof tempDir>;
afterEach(() => tmp?.cleanup());

describe('A1 seal key through safeStorage (src/main/seal-key.ts)', () => {
  it('[safeStorage stand-in] keeps only the wrapped key: no key in clear beside the database, and secrets reopen after a restart', () => {
    tmp = tempDir('comboio-seal-');
    const ss = safeStorageStandIn();
    const first = openSealKey(tmp.dir, ss, 'win32');
    expect(first.protection).toBe('safeStorage');
    const sealed = first.box.seal(Buffer.from('conteúdo do pfx'));
    expect(existsSync(join(tmp.dir, PLAIN_KEY_FILE))).toBe(false);
    expect(existsSync(join(tmp.dir, WRAPPED_KEY_FILE))).toBe(true);
    // The file on disk is what the OS wrapped, not a 32-byte key.
    expect(readFileSync(join(tmp.dir, WRAPPED_KEY_FILE)).subarray(0, 5).toString()).toBe('DPAPI');
    if (process.platform !== 'win32') expect(statSync(join(tmp.dir, WRAPPED_KEY_FILE)).mode & 0o077).toBe(0);
    const again = openSealKey(tmp.dir, ss, 'win32');
    expect(again.box.open(sealed).toString()).toBe('conteúdo do pfx');
  });

  it('[safeStorage stand-in] another Windows user (another DPAPI key) cannot open the copied folder, and nothing is overwritten', () => {
    tmp = tempDir('comboio-seal-');
    openSealKey(tmp.dir, safeStorageStandIn(), 'win32');
    const before = readFileSync(join(tmp.dir, WRAPPED_KEY_FILE));
    expect(() => openSealKey(tmp.dir, safeStorageStandIn(), 'win32')).toThrow(expect.objectContaining({ code: 'SEAL_KEY_UNAVAILABLE' }));
    expect(readFileSync(join(tmp.dir, WRAPPED_KEY_FILE)).equals(before)).toBe(true);
  });

  it('[safeStorage stand-in] a clear key file (browser host, older version) is wrapped and deleted; what it sealed still opens', () => {
    tmp = tempDir('comboio-seal-');
    const old = fileKeySecretBox(join(tmp.dir, PLAIN_KEY_FILE));
    const sealed = old.seal(Buffer.from('senha do A1'));
    const k = openSealKey(tmp.dir, safeStorageStandIn(), 'win32');
    expect(k.note).toContain('apagado');
    expect(existsSync(join(tmp.dir, PLAIN_KEY_FILE))).toBe(false);
    expect(k.box.open(sealed).toString()).toBe('senha do A1');
  });

  it('[safeStorage stand-in] secrets sealed one by one by safeStorage (earlier Electron builds) still open', () => {
    tmp = tempDir('comboio-seal-');
    const ss = safeStorageStandIn();
    const legacy = ss.encryptString(Buffer.from('credencial').toString('base64')).toString('base64');
    expect(openSealKey(tmp.dir, ss, 'win32').box.open(legacy).toString()).toBe('credencial');
  });

  it('[safeStorage stand-in] without OS protection (unavailable, or Linux basic_text) falls back to the owner-only key file', () => {
    tmp = tempDir('comboio-seal-');
    const k = openSealKey(tmp.dir, safeStorageStandIn({ backend: 'basic_text' }), 'linux');
    expect(k.protection).toBe('arquivo-chave');
    expect(existsSync(join(tmp.dir, PLAIN_KEY_FILE))).toBe(true);
    if (process.platform !== 'win32') expect(statSync(join(tmp.dir, PLAIN_KEY_FILE)).mode & 0o077).toBe(0);
    const sealed = k.box.seal(Buffer.from('x'));
    expect(openSealKey(tmp.dir, safeStorageStandIn({ available: false }), 'linux').box.open(sealed).toString()).toBe('x');
    // With a keyring later, the same key moves under safeStorage.
    const protectedNow = openSealKey(tmp.dir, safeStorageStandIn({ backend: 'gnome_libsecret' }), 'linux');
    expect(protectedNow.protection).toBe('safeStorage');
    expect(protectedNow.box.open(sealed).toString()).toBe('x');
  });

  it('[safeStorage stand-in] a wrapped key and no safeStorage now: refuses with a clear message instead of making a new key', () => {
    tmp = tempDir('comboio-seal-');
    openSealKey(tmp.dir, safeStorageStandIn(), 'win32');
    expect(() => openSealKey(tmp.dir, safeStorageStandIn({ available: false }), 'win32')).toThrow(/safeStorage/);
    expect(existsSync(join(tmp.dir, PLAIN_KEY_FILE))).toBe(false);
  });
});
