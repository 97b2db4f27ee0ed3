import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Verifies a signed document with Debian's xmlsec1 (an independent XML-DSig implementation),
 * trusting `trustedPem` (the self-signed leaf or its CA). Returns xmlsec1's exit code and text.
 */
export function xmlsecVerify(xml: string, trustedPem: string, idAttr: { tag: string; ns: string } = { tag: 'infNFe', ns: 'http://www.portalfiscal.inf.br/nfe' }) {
  const dir = mkdtempSync(join(tmpdir(), 'comboio-xmlsec-'));
  try {
    const file = join(dir, 'doc.xml');
    const pem = join(dir, 'trusted.pem');
    writeFileSync(file, xml);
    writeFileSync(pem, trustedPem);
    const r = spawnSync('xmlsec1', ['--verify', '--trusted-pem', pem, `--id-attr:Id`, `${idAttr.ns}:${idAttr.tag}`, file], { encoding: 'utf8' });
    return { code: r.status, output: `${r.stdout}${r.stderr}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
