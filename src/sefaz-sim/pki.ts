import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTestCa, makeTestCertificate, makeTestServerCertificate, type KeyPairPem, type TestCertificate } from '../core/fiscal/certificate';

export interface SimulatorPki {
  ca: KeyPairPem;
  server: KeyPairPem;
  /** DIR/ca.pem: what clients add to their trusted roots to talk to this simulator. */
  caFile: string;
  caKeyFile: string;
}

function writeSecret(file: string, text: string): void {
  writeFileSync(file, text, { mode: 0o600 });
  chmodSync(file, 0o600);
}

/**
 * The simulator's own CA and server certificate, created on first start and reused after,
 * so clients configured with DIR/ca.pem keep working across restarts. The CA also issues
 * client certificates for training (its key stays in DIR, never shipped).
 */
export function ensurePki(dataDir: string, hostnames: string[] = ['localhost', '127.0.0.1', '::1']): SimulatorPki {
  mkdirSync(dataDir, { recursive: true });
  const caFile = join(dataDir, 'ca.pem');
  const caKeyFile = join(dataDir, 'ca-key.pem');
  const serverFile = join(dataDir, 'server.pem');
  const serverKeyFile = join(dataDir, 'server-key.pem');
  let ca: KeyPairPem;
  if (existsSync(caFile) && existsSync(caKeyFile)) {
    ca = { certPem: readFileSync(caFile, 'utf8'), keyPem: readFileSync(caKeyFile, 'utf8') };
  } else {
    ca = makeTestCa({ commonName: 'Comboio Simulador SEFAZ AC Raiz' });
    writeSecret(caKeyFile, ca.keyPem);
    writeFileSync(caFile, ca.certPem);
  }
  let server: KeyPairPem;
  if (existsSync(serverFile) && existsSync(serverKeyFile)) {
    server = { certPem: readFileSync(serverFile, 'utf8'), keyPem: readFileSync(serverKeyFile, 'utf8') };
  } else {
    server = makeTestServerCertificate({ hostnames, issuer: ca, notAfter: new Date(Date.now() + 3650 * 86_400_000) });
    writeSecret(serverKeyFile, server.keyPem);
    writeFileSync(serverFile, server.certPem);
  }
  return { ca, server, caFile, caKeyFile };
}

/**
 * A test A1 issued by the simulator's CA, which the simulator accepts as a client
 * certificate with no extra trust: one per emitente (the establishment, the group's
 * transport company…) for training and tests. Same as
 * `comboio cert make-test --ca-cert DIR/ca.pem --ca-key DIR/ca-key.pem`.
 */
export function issueTestA1(dataDir: string, opts: { cnpj: string; password: string; razaoSocial?: string; notAfter?: Date }): TestCertificate {
  const pki = ensurePki(dataDir);
  return makeTestCertificate({ ...opts, issuer: pki.ca });
}
