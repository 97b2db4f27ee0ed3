import { createHash, X509Certificate } from 'node:crypto';
import { AppError } from '../errors';

/**
 * The ICP-Brasil root certificates (AC Raiz, published by ITI), pinned by the SHA-256 of
 * their DER encoding. A CA bundle is installed only when every CA in it chains to one of
 * these (or to a root an administrator accepted by its fingerprint, audited).
 *
 * Source of the values: ITI's repository (acraiz.icpbrasil.gov.br/credenciadas/RAIZ/) could
 * not be reached from the machines this was written on; the fingerprints below are the ones
 * several independent public projects record for ITI's files, and they agree with each other.
 * Re-check them against ITI's published files when a root is added.
 *
 * v6 (Ed448) and v7 (a post-quantum key type) sign no TLS server or e-CNPJ certificate
 * today, and Node cannot check signatures made with them: they are recognised (so ITI's
 * bundle is accepted) but neither they nor the CAs below them are installed for TLS.
 */
export const ICP_BRASIL_ROOTS: readonly { name: string; sha256: string; tls: boolean }[] = [
  { name: 'Autoridade Certificadora Raiz Brasileira v5', sha256: 'CA:A5:3F:C6:09:1C:69:51:88:7C:97:6E:37:8F:6E:F8:9A:A6:37:7C:55:D9:7B:64:75:42:2B:71:ED:7E:9B:17', tls: true },
  { name: 'Autoridade Certificadora Raiz Brasileira v10', sha256: '6E:0B:FF:06:9A:26:99:4C:15:DE:2C:48:88:CC:54:AF:84:88:2E:54:95:B7:FB:F6:6B:E9:CC:FF:EC:74:89:F6', tls: true },
  { name: 'Autoridade Certificadora Raiz Brasileira v11', sha256: '14:06:71:00:58:18:0F:A4:08:1A:AB:3F:24:6F:17:02:42:9C:55:2A:11:FA:31:43:B8:4C:88:CB:3A:B8:E5:E7', tls: true },
  { name: 'Autoridade Certificadora Raiz Brasileira v12', sha256: 'D8:47:8E:37:CE:19:C6:90:CF:65:73:81:E6:8F:E6:00:E4:E1:A0:42:53:68:30:F0:68:47:E0:3E:55:4C:4B:01', tls: true },
  { name: 'Autoridade Certificadora Raiz Brasileira v6', sha256: '3B:DB:9B:50:93:52:F1:D3:D7:1C:2B:F6:4D:9A:38:A4:E6:CE:BD:A2:78:09:D7:7F:7A:C4:76:CB:DE:6E:31:4A', tls: false },
  { name: 'Autoridade Certificadora Raiz Brasileira v7', sha256: '56:57:E7:05:80:EB:67:89:83:F3:ED:7D:FC:E0:91:D8:4C:AE:65:49:38:9A:47:FC:CD:A8:D0:E4:DC:2C:F5:76', tls: false },
];

export type PinnedRoot = (typeof ICP_BRASIL_ROOTS)[number];

export const IcpErrors = { UNKNOWN_ROOT: 'ICP_ROOT_UNKNOWN', UNTRUSTED: 'ICP_CHAIN_UNTRUSTED', EMPTY: 'ICP_BUNDLE_EMPTY' } as const;

/** SHA-256 of a DER certificate, as X509Certificate.fingerprint256 writes it. */
export function derFingerprint(der: Buffer): string {
  return createHash('sha256').update(der).digest('hex').toUpperCase().match(/../g)!.join(':');
}

/** Certificates in a file: PEM blocks (one or many), else the whole file as DER. */
export function certificatesIn(content: Buffer): Buffer[] {
  const text = content.toString('latin1');
  const pems = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g);
  if (pems) return pems.map((p) => Buffer.from(p.replace(/-----(BEGIN|END) CERTIFICATE-----|\s/g, ''), 'base64'));
  return content.length > 0 && content[0] === 0x30 ? [content] : [];
}

function cn(subject: string): string {
  return /(?:^|\n)CN=([^\n]+)/.exec(subject)?.[1] ?? subject.replace(/\n/g, ', ');
}

export interface CheckedCa {
  name: string;
  fingerprint: string;
  pem: string;
  root: boolean;
  /** The pinned (or administrator-accepted) root it chains to. */
  anchor: string;
  validTo: string;
}

export interface CaBundleCheck {
  /** CAs to trust for TLS (roots and intermediates), each chaining to a pinned root. */
  installed: CheckedCa[];
  /** Recognised but not installed: expired, or under a root that issues no TLS certificate. */
  skipped: { name: string; reason: string }[];
  /** Roots outside the pinned list that the administrator accepted (to be audited). */
  acceptedRoots: { name: string; fingerprint: string }[];
}

interface Parsed {
  der: Buffer;
  fingerprint: string;
  x509: X509Certificate | null;
}

/**
 * Checks an ICP-Brasil CA bundle (ITI's ACcompactado.zip unpacked, or any set of CA
 * certificates). Every certificate must be a CA that chains, signature by signature, to a
 * pinned root; a self-signed certificate that is not pinned is refused, showing its
 * fingerprint, unless `acceptRoots` (confirmed by an administrator) holds it. One failure
 * refuses the whole bundle: nothing is installed from a bundle that does not check out.
 */
export function checkCaBundle(ders: Buffer[], o: { now: Date; pinnedRoots?: readonly PinnedRoot[]; acceptRoots?: string[] }): CaBundleCheck {
  const pinned = o.pinnedRoots ?? ICP_BRASIL_ROOTS;
  const accepted = new Set((o.acceptRoots ?? []).map((f) => f.toUpperCase()));
  const seen = new Map<string, Parsed>();
  for (const der of ders) {
    const fingerprint = derFingerprint(der);
    if (seen.has(fingerprint)) continue;
    let x509: X509Certificate | null = null;
    try {
      x509 = new X509Certificate(der);
      void x509.publicKey; // v7's key type cannot be loaded: treated as unparsable below
    } catch {
      x509 = null;
    }
    seen.set(fingerprint, { der, fingerprint, x509 });
  }
  if (seen.size === 0) throw new AppError(IcpErrors.EMPTY, 'O pacote não traz nenhum certificado de AC ICP-Brasil (esperado icp-brasil/*.crt ou o ACcompactado.zip do ITI).');
  const all = [...seen.values()];
  const pinnedBy = new Map(pinned.map((r) => [r.sha256.toUpperCase(), r]));
  const installed: CheckedCa[] = [];
  const skipped: { name: string; reason: string }[] = [];
  const acceptedRoots: { name: string; fingerprint: string }[] = [];

  const isSelfSigned = (c: X509Certificate) => {
    try {
      return c.subject === c.issuer && c.checkIssued(c) && c.verify(c.publicKey);
    } catch {
      return false;
    }
  };
  const issuerOf = (c: X509Certificate): Parsed | undefined =>
    all.find((p) => {
      if (!p.x509 || p.x509 === c) return false;
      try {
        return c.checkIssued(p.x509) && c.verify(p.x509.publicKey);
      } catch {
        return false;
      }
    });
  // A CA whose issuer is a pinned root that signs no TLS certificate (v6, v7: keys Node
  // cannot check) is recognised by name and left out; it is never installed.
  const underNonTlsRoot = (issuerName: string) =>
    pinned.some((r) => !r.tls && cn(issuerName) === r.name) || all.some((q) => pinnedBy.get(q.fingerprint)?.tls === false && q.x509?.subject === issuerName);

  for (const p of all) {
    const root = pinnedBy.get(p.fingerprint);
    if (!p.x509) {
      if (root && !root.tls) {
        skipped.push({ name: root.name, reason: 'raiz que não emite certificados TLS' });
        continue;
      }
      throw new AppError(IcpErrors.UNTRUSTED, `Certificado ilegível no pacote (SHA-256 ${p.fingerprint}). Baixe de novo o pacote do ITI.`);
    }
    const c = p.x509;
    const name = cn(c.subject);
    if (!c.ca) throw new AppError(IcpErrors.UNTRUSTED, `${name} não é uma autoridade certificadora (SHA-256 ${p.fingerprint}); o pacote deve ter só ACs.`);
    if (new Date(c.validTo) < o.now) {
      skipped.push({ name, reason: `vencido em ${new Date(c.validTo).toISOString().slice(0, 10)}` });
      continue;
    }
    // Walk up to a self-signed certificate, checking each signature.
    let cur: Parsed = p;
    let anchor: string | null = null;
    let underNonTls = false;
    for (let depth = 0; depth < 10 && !anchor && !underNonTls; depth++) {
      const x = cur.x509!;
      if (isSelfSigned(x)) {
        const r = pinnedBy.get(cur.fingerprint);
        if (r && !r.tls) underNonTls = true;
        else if (r) anchor = r.name;
        else if (accepted.has(cur.fingerprint)) {
          anchor = cn(x.subject);
          if (cur === p) acceptedRoots.push({ name: anchor, fingerprint: cur.fingerprint });
        } else {
          throw new AppError(
            IcpErrors.UNKNOWN_ROOT,
            `A raiz "${cn(x.subject)}" não é uma das raízes ICP-Brasil conhecidas desta versão (SHA-256 ${cur.fingerprint}). Confira a impressão digital no site do ITI; um administrador pode aceitá-la com --aceitar-raiz ${cur.fingerprint}.`,
          );
        }
        break;
      }
      const up = issuerOf(x);
      if (!up) {
        if (underNonTlsRoot(x.issuer)) {
          underNonTls = true;
          break;
        }
        throw new AppError(IcpErrors.UNTRUSTED, `${name} (SHA-256 ${p.fingerprint}) não se encadeia a uma raiz do pacote: falta a AC "${cn(x.issuer)}" ou a assinatura não confere.`);
      }
      cur = up;
    }
    if (underNonTls) {
      skipped.push({ name, reason: 'sob uma raiz que não emite certificados TLS' });
      continue;
    }
    if (!anchor) throw new AppError(IcpErrors.UNTRUSTED, `${name} (SHA-256 ${p.fingerprint}): cadeia longa demais.`);
    installed.push({ name, fingerprint: p.fingerprint, pem: c.toString(), root: isSelfSigned(c), anchor, validTo: c.validTo });
  }
  if (!installed.some((c) => c.root)) throw new AppError(IcpErrors.UNTRUSTED, 'O pacote não traz nenhuma raiz ICP-Brasil válida para TLS.');
  return { installed, skipped, acceptedRoots };
}
