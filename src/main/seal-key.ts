import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../core/errors';
import { aesGcmSecretBox, fileKeySecretBox, type SecretBox } from '../core/workstation/secrets';

/** What of Electron's `safeStorage` the seal key needs (a stand-in replaces it in tests). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only: 'basic_text' means a hard-coded password, no real protection. */
  getSelectedStorageBackend?(): string;
}

/** The browser host's (and older versions') key in clear, readable by its owner only. */
export const PLAIN_KEY_FILE = 'chave-local.bin';
/** The same 32-byte key, wrapped by the OS (DPAPI on Windows, Keychain on macOS, libsecret/kwallet on Linux). */
export const WRAPPED_KEY_FILE = 'chave-local.safestorage';

export interface SealKey {
  box: SecretBox;
  /** 'safeStorage' when the OS protects the key; 'arquivo-chave' for the file fallback. */
  protection: 'safeStorage' | 'arquivo-chave';
  /** Why the fallback was taken (for the log), or what was migrated. */
  note: string | null;
}

function osProtects(s: SafeStorageLike, platform: NodeJS.Platform): boolean {
  if (!s.isEncryptionAvailable()) return false;
  if (platform !== 'linux' || !s.getSelectedStorageBackend) return true;
  const backend = s.getSelectedStorageBackend();
  return backend !== 'basic_text' && backend !== 'unknown';
}

function writeOwnerOnly(file: string, data: Buffer): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, data, { mode: 0o600 });
  if (process.platform !== 'win32') chmodSync(tmp, 0o600);
  renameSync(tmp, file);
}

/**
 * The key that seals the A1, its password and the station's LAN credential (AES-256-GCM,
 * src/core/workstation/secrets.ts). Where the OS can protect it, the key is kept only wrapped
 * by `safeStorage` (DPAPI on Windows: another Windows user, or the files copied to another
 * machine, cannot unwrap it); a key file left in clear by the browser host or an older
 * version is wrapped and then deleted, so what it sealed still opens. Without OS protection
 * (Linux without a keyring) the owner-only key file is used, as in the browser host.
 *
 * `legacy`: secrets sealed one by one with safeStorage by earlier versions still open.
 */
export function openSealKey(dataDir: string, safeStorage: SafeStorageLike, platform: NodeJS.Platform = process.platform): SealKey {
  const plainFile = join(dataDir, PLAIN_KEY_FILE);
  const wrappedFile = join(dataDir, WRAPPED_KEY_FILE);
  if (!osProtects(safeStorage, platform)) {
    if (existsSync(wrappedFile)) {
      throw new AppError(
        'SEAL_KEY_UNAVAILABLE',
        'A chave que protege o certificado A1 está guardada pelo sistema (safeStorage), que não está disponível agora. Entre com o mesmo usuário do Windows (ou destrave o chaveiro) e abra o Comboio de novo.',
      );
    }
    return { box: fileKeySecretBox(plainFile), protection: 'arquivo-chave', note: 'safeStorage indisponível: chave em arquivo só do dono' };
  }
  let key: Buffer;
  let note: string | null = null;
  if (existsSync(wrappedFile)) {
    try {
      key = Buffer.from(safeStorage.decryptString(readFileSync(wrappedFile)), 'base64');
    } catch {
      throw new AppError(
        'SEAL_KEY_UNAVAILABLE',
        'O sistema não abriu a chave que protege o certificado A1 (outro usuário do Windows ou pasta copiada de outra máquina). Instale o certificado de novo em Administração.',
      );
    }
  } else {
    const migrating = existsSync(plainFile);
    key = migrating ? readFileSync(plainFile) : randomBytes(32);
    if (key.length !== 32) throw new AppError('SEAL_KEY_UNAVAILABLE', `Arquivo ${PLAIN_KEY_FILE} inválido (esperados 32 bytes).`);
    const wrapped = safeStorage.encryptString(key.toString('base64'));
    // Only once the wrapped copy is on disk and unwraps to the same key is the clear one removed.
    writeOwnerOnly(wrappedFile, wrapped);
    if (!Buffer.from(safeStorage.decryptString(readFileSync(wrappedFile)), 'base64').equals(key)) {
      rmSync(wrappedFile, { force: true });
      throw new AppError('SEAL_KEY_UNAVAILABLE', 'O safeStorage não devolveu a mesma chave: nada foi alterado.');
    }
    if (migrating) {
      rmSync(plainFile, { force: true });
      note = `chave de ${PLAIN_KEY_FILE} passou para o safeStorage e o arquivo foi apagado`;
    }
  }
  if (key.length !== 32) throw new AppError('SEAL_KEY_UNAVAILABLE', 'Chave protegida pelo safeStorage inválida.');
  const aes = aesGcmSecretBox(key, 'safeStorage');
  return {
    protection: 'safeStorage',
    note,
    box: {
      kind: 'safeStorage',
      seal: (plain) => aes.seal(plain),
      open: (sealed) =>
        sealed.startsWith('v1.')
          ? aes.open(sealed)
          : // Sealed one by one by safeStorage (versions before the wrapped key).
            Buffer.from(safeStorage.decryptString(Buffer.from(sealed, 'base64')), 'base64'),
    },
  };
}
