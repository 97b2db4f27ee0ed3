import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Encrypts small secrets (the A1 certificate and its password) at rest. */
export interface SecretBox {
  kind: string;
  seal(plain: Buffer): string;
  open(sealed: string): Buffer;
}

/**
 * AES-256-GCM with a random key kept in a file beside the data (browser host and CLI:
 * <dados>/chave-local.bin, readable by its owner only). It stops a copied database from
 * leaking the certificate. Electron keeps the same key wrapped by the OS instead
 * (src/main/seal-key.ts: safeStorage, DPAPI on Windows), so no key lies beside the database.
 */
export function fileKeySecretBox(keyFile: string): SecretBox {
  if (!existsSync(keyFile)) {
    mkdirSync(dirname(keyFile), { recursive: true, mode: 0o700 });
    writeFileSync(keyFile, randomBytes(32), { mode: 0o600, flag: 'wx' });
  }
  // A key file left readable by others (copied, restored from a backup) is closed again.
  // Windows has no POSIX modes: there the user profile's ACL protects the data folder.
  if (process.platform !== 'win32' && (statSync(keyFile).mode & 0o077) !== 0) chmodSync(keyFile, 0o600);
  return aesGcmSecretBox(readFileSync(keyFile), 'arquivo-chave');
}

/** AES-256-GCM with `key` (32 bytes): the format every box seals in (`v1.iv.tag.body`). */
export function aesGcmSecretBox(key: Buffer, kind: string): SecretBox {
  if (key.length !== 32) throw new Error('seal key must be 32 bytes');
  return {
    kind,
    seal(plain) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([c.update(plain), c.final()]);
      return ['v1', iv.toString('base64'), c.getAuthTag().toString('base64'), body.toString('base64')].join('.');
    },
    open(sealed) {
      const [v, iv, tag, body] = sealed.split('.');
      if (v !== 'v1' || !iv || !tag || !body) throw new Error('sealed secret format');
      const d = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
      d.setAuthTag(Buffer.from(tag, 'base64'));
      return Buffer.concat([d.update(Buffer.from(body, 'base64')), d.final()]);
    },
  };
}
