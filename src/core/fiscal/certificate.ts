import { generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';
import { FiscalErrors, fiscalError } from './errors';

/**
 * ICP-Brasil puts the company's CNPJ in subjectAltName as an otherName with this OID
 * (DOC-ICP-04, "dados da pessoa jurídica": 2.16.76.1.3.3 = CNPJ). The CN also carries
 * "RAZAO SOCIAL:CNPJ", which older tools read instead.
 */
export const OID_ICP_CNPJ = '2.16.76.1.3.3';
/** 2.16.76.1.3.2: name of the person responsible for the company certificate. */
export const OID_ICP_RESPONSAVEL = '2.16.76.1.3.2';

export const EXPIRY_WARNING_DAYS = 30;

export interface CertWarning {
  code: 'CERT_EXPIRING';
  message: string;
  daysLeft: number;
}

/** An A1 certificate opened in memory; the key never touches the disk from here. */
export interface A1Certificate {
  /** The leaf certificate (the one that signs), PEM. */
  certPem: string;
  /** RSA private key, PEM (PKCS#1). Keep in memory only. */
  keyPem: string;
  /** Other certificates found in the file (intermediates), PEM. */
  chainPems: string[];
  /** CNPJ of the holder (14 characters, numeric or alphanumeric), or null if absent. */
  cnpj: string | null;
  notBefore: Date;
  notAfter: Date;
  /** "CN=EMPRESA:11222333000181, OU=..., O=ICP-Brasil, C=BR". */
  subject: string;
  issuer: string;
  serialNumber: string;
  warnings: CertWarning[];
}

export interface LoadA1Options {
  now?: Date;
  /** Emitente CNPJ; only its base (first 8 characters) must match, as SEFAZ checks (rejection 213). */
  expectedCnpj?: string;
  warnDays?: number;
}

const DAY_MS = 86_400_000;

function toBinary(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('binary');
}

function formatDateBr(d: Date): string {
  return d.toLocaleDateString('pt-BR', { timeZone: 'America/Sao_Paulo' });
}

function dnToString(dn: forge.pki.Certificate['subject']): string {
  return dn.attributes
    .slice()
    .reverse()
    .map((a) => `${a.shortName ?? a.name ?? a.type}=${String(a.value)}`)
    .join(', ');
}

/** Reads the CNPJ of an ICP-Brasil certificate: SAN otherName first, CN suffix as fallback. */
export function cnpjFromCertificate(cert: forge.pki.Certificate): string | null {
  const san = cert.getExtension('subjectAltName') as { altNames?: Array<{ type: number; value: unknown }> } | undefined;
  for (const alt of san?.altNames ?? []) {
    if (alt.type !== 0 || !Array.isArray(alt.value)) continue;
    const [oidNode, wrapped] = alt.value as forge.asn1.Asn1[];
    if (!oidNode || !wrapped || oidNode.type !== forge.asn1.Type.OID) continue;
    if (forge.asn1.derToOid(oidNode.value as string) !== OID_ICP_CNPJ) continue;
    const inner = Array.isArray(wrapped.value) ? wrapped.value[0] : undefined;
    if (inner && typeof inner.value === 'string') {
      const text = inner.value.trim().toUpperCase();
      if (/^[0-9A-Z]{12}[0-9]{2}$/.test(text)) return text;
    }
  }
  const cn = cert.subject.getField('CN') as { value?: string } | null;
  const m = cn?.value?.toUpperCase().match(/:([0-9A-Z]{12}[0-9]{2})$/);
  return m?.[1] ?? null;
}

function openPkcs12(pfx: Uint8Array, password: string): forge.pkcs12.Pkcs12Pfx {
  let asn1: forge.asn1.Asn1;
  try {
    asn1 = forge.asn1.fromDer(toBinary(pfx));
  } catch (err) {
    throw fiscalError(FiscalErrors.CERT_INVALID, 'O arquivo não é um certificado A1 (PKCS#12, .pfx/.p12) válido.', 'certificado', err);
  }
  try {
    return forge.pkcs12.pkcs12FromAsn1(asn1, false, password);
  } catch (err) {
    const text = String((err as Error)?.message ?? err);
    // forge reports a bad MAC as "Invalid password?"; files without MAC fail while decrypting.
    if (/password|MAC|PBE|decrypt|Too few bytes|parse/i.test(text)) {
      throw fiscalError(FiscalErrors.CERT_WRONG_PASSWORD, 'Senha do certificado incorreta.', 'senha', err);
    }
    throw fiscalError(FiscalErrors.CERT_INVALID, `Não foi possível abrir o certificado A1: ${text}`, 'certificado', err);
  }
}

function bagsOf(p12: forge.pkcs12.Pkcs12Pfx, bagType: string): forge.pkcs12.Bag[] {
  return p12.getBags({ bagType })[bagType] ?? [];
}

/**
 * Opens an A1 certificate (PKCS#12) with node-forge, which also reads the RC2-40 files
 * older tools still produce and Node 20's OpenSSL refuses. Checks validity at `now` and,
 * if given, that the certificate belongs to the emitente.
 */
export function loadA1(pfx: Uint8Array, password: string, opts: LoadA1Options = {}): A1Certificate {
  const now = opts.now ?? new Date();
  const p12 = openPkcs12(pfx, password);
  const keyBag = [...bagsOf(p12, forge.pki.oids.pkcs8ShroudedKeyBag!), ...bagsOf(p12, forge.pki.oids.keyBag!)].find((b) => b.key);
  const key = keyBag?.key as forge.pki.rsa.PrivateKey | undefined;
  if (!key) throw fiscalError(FiscalErrors.CERT_INVALID, 'O arquivo do certificado não contém a chave privada (RSA).', 'certificado');
  const certs = bagsOf(p12, forge.pki.oids.certBag!)
    .map((b) => b.cert)
    .filter((c): c is forge.pki.Certificate => !!c);
  const leaf = certs.find((c) => {
    const pub = c.publicKey as forge.pki.rsa.PublicKey;
    return pub.n !== undefined && pub.n.equals(key.n) && pub.e.equals(key.e);
  });
  if (!leaf) throw fiscalError(FiscalErrors.CERT_INVALID, 'O arquivo não contém o certificado correspondente à chave privada.', 'certificado');

  const notBefore = leaf.validity.notBefore;
  const notAfter = leaf.validity.notAfter;
  if (now.getTime() > notAfter.getTime()) {
    throw fiscalError(FiscalErrors.CERT_EXPIRED, `Certificado vencido em ${formatDateBr(notAfter)}. Instale um certificado A1 válido.`, 'certificado');
  }
  if (now.getTime() < notBefore.getTime()) {
    throw fiscalError(
      FiscalErrors.CERT_NOT_YET_VALID,
      `Certificado ainda não é válido (válido a partir de ${formatDateBr(notBefore)}). Confira a data e a hora do computador.`,
      'certificado',
    );
  }
  const cnpj = cnpjFromCertificate(leaf);
  if (opts.expectedCnpj !== undefined) {
    const expected = opts.expectedCnpj.replace(/[./-]/g, '').toUpperCase();
    // SEFAZ compares the CNPJ base (rejection 213): a branch may sign with its head office's certificate.
    if (!cnpj || cnpj.slice(0, 8) !== expected.slice(0, 8)) {
      throw fiscalError(
        FiscalErrors.CERT_CNPJ_MISMATCH,
        `O certificado pertence ao CNPJ ${cnpj ?? '(não informado)'}, que não é do emitente ${expected}.`,
        'certificado',
      );
    }
  }
  const warnings: CertWarning[] = [];
  const daysLeft = Math.floor((notAfter.getTime() - now.getTime()) / DAY_MS);
  if (daysLeft < (opts.warnDays ?? EXPIRY_WARNING_DAYS)) {
    warnings.push({
      code: 'CERT_EXPIRING',
      daysLeft,
      message: `O certificado vence em ${daysLeft} dia(s), em ${formatDateBr(notAfter)}. Providencie a renovação.`,
    });
  }
  return {
    certPem: forge.pki.certificateToPem(leaf),
    keyPem: forge.pki.privateKeyToPem(key),
    chainPems: certs.filter((c) => c !== leaf).map((c) => forge.pki.certificateToPem(c)),
    cnpj,
    notBefore,
    notAfter,
    subject: dnToString(leaf.subject),
    issuer: dnToString(leaf.issuer),
    serialNumber: leaf.serialNumber,
    warnings,
  };
}

// ---------------------------------------------------------------------------------------
// Test certificates (homologation, tests, the SEFAZ simulator).

export interface KeyPairPem {
  certPem: string;
  keyPem: string;
}

export interface TestCertificateOptions {
  cnpj: string;
  password: string;
  razaoSocial?: string;
  notBefore?: Date;
  notAfter?: Date;
  /** Sign with this CA instead of self-signing (e.g. "client certificate from another CA"). */
  issuer?: KeyPairPem;
  keyBits?: number;
  /** PKCS#12 encryption for the key and certificates; forge writes '3des' or AES. */
  algorithm?: '3des' | 'aes128' | 'aes256';
}

export interface TestCertificate extends KeyPairPem {
  pfx: Buffer;
}

function newRsaKey(bits: number): forge.pki.rsa.KeyPair {
  // Node generates the key natively (fast); forge then signs and packs it.
  const { privateKey } = generateKeyPairSync('rsa', {
    modulusLength: bits,
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const priv = forge.pki.privateKeyFromPem(privateKey) as forge.pki.rsa.PrivateKey;
  return { privateKey: priv, publicKey: forge.pki.setRsaPublicKey(priv.n, priv.e) };
}

function serial(): string {
  // Positive INTEGER: clear the top bit.
  const b = randomBytes(12);
  b[0] = b[0]! & 0x7f;
  return b.toString('hex');
}

function utf8(s: string): string {
  return forge.util.encodeUtf8(s);
}

function otherName(oid: string, value: string): forge.asn1.Asn1 {
  const { asn1 } = forge;
  return asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(oid).getBytes()),
    asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, value)]),
  ]);
}

interface IssueOptions {
  subject: forge.pki.CertificateField[];
  extensions: object[];
  notBefore: Date;
  notAfter: Date;
  issuer?: KeyPairPem;
  keyBits: number;
}

function issue(o: IssueOptions): { cert: forge.pki.Certificate; key: forge.pki.rsa.PrivateKey } {
  const keys = newRsaKey(o.keyBits);
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = serial();
  cert.validity.notBefore = o.notBefore;
  cert.validity.notAfter = o.notAfter;
  cert.setSubject(o.subject);
  let signingKey = keys.privateKey;
  if (o.issuer) {
    const caCert = forge.pki.certificateFromPem(o.issuer.certPem);
    cert.setIssuer(caCert.subject.attributes);
    signingKey = forge.pki.privateKeyFromPem(o.issuer.keyPem) as forge.pki.rsa.PrivateKey;
  } else {
    cert.setIssuer(o.subject);
  }
  cert.setExtensions([...o.extensions, { name: 'subjectKeyIdentifier' }]);
  cert.sign(signingKey, forge.md.sha256.create());
  return { cert, key: keys.privateKey };
}

function defaultValidity(notBefore?: Date, notAfter?: Date): { notBefore: Date; notAfter: Date } {
  const nb = notBefore ?? new Date(Date.now() - DAY_MS);
  return { notBefore: nb, notAfter: notAfter ?? new Date(nb.getTime() + 365 * DAY_MS) };
}

/** A test certification authority (a root, or an intermediate under `issuer`) to issue client or server certificates. */
export function makeTestCa(opts: { commonName: string; notBefore?: Date; notAfter?: Date; keyBits?: number; issuer?: KeyPairPem }): KeyPairPem {
  const { cert, key } = issue({
    subject: [
      { shortName: 'C', value: 'BR' },
      { shortName: 'O', value: 'Comboio Testes' },
      { shortName: 'CN', value: utf8(opts.commonName) },
    ],
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    ],
    ...defaultValidity(opts.notBefore, opts.notAfter ?? (opts.notBefore ? undefined : new Date(Date.now() + 3650 * DAY_MS))),
    ...(opts.issuer ? { issuer: opts.issuer } : {}),
    keyBits: opts.keyBits ?? 2048,
  });
  return { certPem: forge.pki.certificateToPem(cert), keyPem: forge.pki.privateKeyToPem(key) };
}

/** A TLS server certificate for the given host names / IPs (SEFAZ simulator, LAN server). */
export function makeTestServerCertificate(opts: { hostnames: string[]; issuer?: KeyPairPem; notBefore?: Date; notAfter?: Date }): KeyPairPem {
  const altNames = opts.hostnames.map((h) => (/^[\d.]+$|:/.test(h) ? { type: 7, ip: h } : { type: 2, value: h }));
  const { cert, key } = issue({
    subject: [
      { shortName: 'C', value: 'BR' },
      { shortName: 'O', value: 'Comboio Testes' },
      { shortName: 'CN', value: opts.hostnames[0] ?? 'localhost' },
    ],
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames },
    ],
    ...defaultValidity(opts.notBefore, opts.notAfter),
    ...(opts.issuer ? { issuer: opts.issuer } : {}),
    keyBits: 2048,
  });
  return { certPem: forge.pki.certificateToPem(cert), keyPem: forge.pki.privateKeyToPem(key) };
}

/**
 * An e-CNPJ A1 lookalike: CN "RAZAO SOCIAL:CNPJ", the CNPJ in subjectAltName otherName
 * 2.16.76.1.3.3, client-auth + signing usages, packed as PKCS#12 with `password`.
 * Self-signed unless `issuer` is given. For homologation and tests only.
 */
export function makeTestCertificate(opts: TestCertificateOptions): TestCertificate {
  const cnpj = opts.cnpj.replace(/[./-]/g, '').toUpperCase();
  const razao = (opts.razaoSocial ?? 'EMPRESA DE TESTE LTDA').toUpperCase();
  const { asn1 } = forge;
  const san = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
    otherName(OID_ICP_RESPONSAVEL, 'RESPONSAVEL DE TESTE'),
    otherName(OID_ICP_CNPJ, cnpj),
  ]);
  const { cert, key } = issue({
    subject: [
      { shortName: 'C', value: 'BR' },
      { shortName: 'O', value: 'ICP-Brasil' },
      { shortName: 'ST', value: 'SP' },
      { shortName: 'L', value: utf8('SAO PAULO') },
      { shortName: 'OU', value: 'Certificado PJ A1' },
      { shortName: 'CN', value: utf8(`${razao}:${cnpj}`) },
    ],
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, nonRepudiation: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', clientAuth: true, emailProtection: true },
      { id: '2.5.29.17', value: san },
    ],
    ...defaultValidity(opts.notBefore, opts.notAfter),
    ...(opts.issuer ? { issuer: opts.issuer } : {}),
    keyBits: opts.keyBits ?? 2048,
  });
  const chain = opts.issuer ? [cert, forge.pki.certificateFromPem(opts.issuer.certPem)] : [cert];
  const p12 = forge.pkcs12.toPkcs12Asn1(key, chain, opts.password, {
    algorithm: opts.algorithm ?? '3des',
    friendlyName: `${razao}:${cnpj}`,
    generateLocalKeyId: true,
  });
  return {
    pfx: Buffer.from(forge.asn1.toDer(p12).getBytes(), 'binary'),
    certPem: forge.pki.certificateToPem(cert),
    keyPem: forge.pki.privateKeyToPem(key),
  };
}
