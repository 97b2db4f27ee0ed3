import { describe, expect, it } from 'vitest';
import { certificatesIn, derFingerprint, ICP_BRASIL_ROOTS } from '../../../src/core/setup/icp-brasil';
import { makeTestCa } from '../../../src/core/fiscal/certificate';
import { X509Certificate } from 'node:crypto';

describe('pinned ICP-Brasil roots', () => {
  it('are SHA-256 fingerprints in X509Certificate.fingerprint256 form, one per root, v5/v10/v11/v12 for TLS', () => {
    for (const r of ICP_BRASIL_ROOTS) expect(r.sha256, r.name).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(new Set(ICP_BRASIL_ROOTS.map((r) => r.sha256)).size).toBe(ICP_BRASIL_ROOTS.length);
    expect(ICP_BRASIL_ROOTS.filter((r) => r.tls).map((r) => r.name.split(' ').pop())).toEqual(['v5', 'v10', 'v11', 'v12']);
  });

  it('reads PEM bundles and DER files alike, and fingerprints the DER as Node does', () => {
    const a = makeTestCa({ commonName: 'A' });
    const b = makeTestCa({ commonName: 'B' });
    const der = new X509Certificate(a.certPem).raw;
    expect(certificatesIn(Buffer.from(a.certPem + b.certPem))).toHaveLength(2);
    expect(certificatesIn(der)).toEqual([der]);
    expect(certificatesIn(Buffer.from('nada'))).toEqual([]);
    expect(derFingerprint(der)).toBe(new X509Certificate(a.certPem).fingerprint256);
  });
});
