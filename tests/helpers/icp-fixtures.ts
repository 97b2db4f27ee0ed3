import { X509Certificate } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join, relative } from 'node:path';
import { zipSync } from 'fflate';
import { makeTestCa, makeTestServerCertificate, type KeyPairPem } from '../../src/core/fiscal/certificate';
import type { PinnedRoot } from '../../src/core/setup/icp-brasil';

const YEAR = 365 * 24 * 3600 * 1000;
const der = (k: KeyPairPem) => new X509Certificate(k.certPem).raw;

/**
 * A stand-in ICP-Brasil: a test root (pinned only through the test-only override), an
 * intermediate, an expired intermediate, a TLS certificate for a local "SEFAZ" under the
 * intermediate; and a rogue root + intermediate that no pin covers.
 */
export function testIcp() {
  const root = makeTestCa({ commonName: 'AC Raiz de Teste v1' });
  const inter = makeTestCa({ commonName: 'AC Intermediaria de Teste SSL', issuer: root });
  const expired = makeTestCa({ commonName: 'AC Vencida de Teste', issuer: root, notBefore: new Date(Date.now() - 2 * YEAR), notAfter: new Date(Date.now() - YEAR) });
  const sefaz = makeTestServerCertificate({ hostnames: ['127.0.0.1', 'localhost'], issuer: inter });
  const rogueRoot = makeTestCa({ commonName: 'AC Raiz Falsa' });
  const rogueInter = makeTestCa({ commonName: 'AC Falsa SSL', issuer: rogueRoot });
  const rogueSefaz = makeTestServerCertificate({ hostnames: ['127.0.0.1'], issuer: rogueInter });
  const pinned: PinnedRoot[] = [{ name: 'AC Raiz de Teste v1', sha256: new X509Certificate(root.certPem).fingerprint256, tls: true }];
  return { root, inter, expired, sefaz, rogueRoot, rogueInter, rogueSefaz, pinned, der };
}

/** A folder tree as zip entries (`prefix/relative/path`). */
export function zipEntriesOf(dir: string, prefix: string): Record<string, Uint8Array> {
  const out: Record<string, Uint8Array> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[`${prefix}/${relative(dir, p).split('\\').join('/')}`] = readFileSync(p);
    }
  };
  walk(dir);
  return out;
}

/** ITI's ACcompactado.zip shape: a flat zip of .crt files (DER). */
export function itiZip(cas: KeyPairPem[]): Buffer {
  return Buffer.from(zipSync(Object.fromEntries(cas.map((c, i) => [`AC${i}.crt`, new Uint8Array(der(c))]))));
}

export { zipSync };

/** A local HTTPS server (its own test CA) serving `files` by path; returns its base URL and CA. */
export async function serveFiles(files: Record<string, Buffer>): Promise<{ url: string; caPem: string; server: Server; close(): Promise<void> }> {
  const ca = makeTestCa({ commonName: 'AC do servidor de pacotes (teste)' });
  const tls = makeTestServerCertificate({ hostnames: ['127.0.0.1'], issuer: ca });
  const server = createServer({ cert: tls.certPem, key: tls.keyPem }, (req, res) => {
    const body = files[req.url ?? ''];
    if (!body) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/zip', 'content-length': body.length }).end(body);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    caPem: ca.certPem,
    server,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}
