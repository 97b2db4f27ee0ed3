import { X509Certificate } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { makeTestServerCertificate } from '../../core/fiscal/certificate';

export const TLS_CERT_FILE = 'tls-certificado.pem';
export const TLS_KEY_FILE = 'tls-chave.pem';

export interface ServerTls {
  certPem: string;
  keyPem: string;
  /** SHA-256 of the certificate (AA:BB:…), what stations pin at enrollment. */
  fingerprint: string;
  certFile: string;
  created: boolean;
}

export function fingerprintOf(certPem: string): string {
  return new X509Certificate(certPem).fingerprint256;
}

/**
 * The server's own certificate, made on first start (10 years, self-signed). Nobody has to
 * buy or install a CA: each station pins this certificate's fingerprint when it is
 * enrolled, as SSH does with host keys. Given files (--tls-cert/--tls-key) take precedence.
 */
export function loadOrCreateServerTls(dataDir: string, given?: { certFile: string; keyFile: string }): ServerTls {
  if (given) {
    const certPem = readFileSync(given.certFile, 'utf8');
    return { certPem, keyPem: readFileSync(given.keyFile, 'utf8'), fingerprint: fingerprintOf(certPem), certFile: given.certFile, created: false };
  }
  const certFile = join(dataDir, TLS_CERT_FILE);
  const keyFile = join(dataDir, TLS_KEY_FILE);
  if (existsSync(certFile) && existsSync(keyFile)) {
    const certPem = readFileSync(certFile, 'utf8');
    return { certPem, keyPem: readFileSync(keyFile, 'utf8'), fingerprint: fingerprintOf(certPem), certFile, created: false };
  }
  const addresses = Object.values(networkInterfaces())
    .flat()
    .filter((a) => !!a && !a.internal)
    .map((a) => a!.address);
  const now = Date.now();
  const made = makeTestServerCertificate({
    hostnames: [hostname(), 'localhost', '127.0.0.1', ...addresses],
    notBefore: new Date(now - 24 * 3600 * 1000),
    notAfter: new Date(now + 3650 * 24 * 3600 * 1000),
  });
  writeFileSync(keyFile, made.keyPem, { mode: 0o600 });
  writeFileSync(certFile, made.certPem);
  try {
    chmodSync(keyFile, 0o600);
  } catch {
    // Windows: the folder's ACL protects it.
  }
  return { certPem: made.certPem, keyPem: made.keyPem, fingerprint: fingerprintOf(made.certPem), certFile, created: true };
}
