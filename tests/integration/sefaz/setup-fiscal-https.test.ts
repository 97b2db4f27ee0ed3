import { createServer } from 'node:https';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../../src/core/app';
import { makeTestCertificate } from '../../../src/core/fiscal/certificate';
import { openIdentity } from '../../../src/core/sefaz/setup';
import { SoapTransport } from '../../../src/core/sefaz/transport';
import { fiscalFilesDirs, setupFiscalFiles } from '../../../src/core/setup/fiscal-files';
import { ICP_BRASIL_ROOTS } from '../../../src/core/setup/icp-brasil';
import { itiZip, serveFiles, testIcp, zipEntriesOf, zipSync } from '../../helpers/icp-fixtures';
import { schemasDir } from '../../helpers/proc';
import { tempDir } from '../../helpers/tmp';

const tmp = tempDir('comboio-setup-https-');
const icp = testIcp();
let files: Awaited<ReturnType<typeof serveFiles>>;

beforeAll(async () => {
  const good = zipSync({
    ...zipEntriesOf(join(schemasDir, 'nfe', 'PL_010_V1.30'), 'nfe/PL_010_V1.30'),
    'icp-brasil/ACcompactado.zip': new Uint8Array(itiZip([icp.root, icp.inter, icp.expired])),
  });
  files = await serveFiles({
    '/fiscal.zip': Buffer.from(good),
    // ITI's own zip, straight: only CAs.
    '/ACcompactado.zip': itiZip([icp.root, icp.inter]),
    // One CA under a root nobody pinned slipped into the bundle.
    '/misturado.zip': Buffer.from(zipSync({ 'icp-brasil/ACcompactado.zip': new Uint8Array(itiZip([icp.root, icp.inter, icp.rogueRoot, icp.rogueInter])) })),
    // An intermediate without its issuer.
    '/orfa.zip': itiZip([icp.root, icp.rogueInter]),
  });
});
afterAll(async () => {
  await files?.close();
  tmp.cleanup();
});

// The test root is pinned through `testOnly`, which the CLI never sets (the CLI tests in
// tests/integration/log/setup-fiscal.test.ts show the production pins refuse it).
const testOnly = () => ({ pinnedRoots: icp.pinned, httpsCa: [files.caPem] });

describe('setup fiscal from an HTTPS URL (local HTTPS server, test root pinned through the test-only override)', () => {
  it('installs the schema package and the CAs that chain to the pinned root; the expired one is left out', async () => {
    const data = join(tmp.dir, 'estacao');
    const r = await setupFiscalFiles({ from: `${files.url}/fiscal.zip`, dataDir: data, by: 'teste', now: new Date(), testOnly: testOnly() });
    expect(r.packages.map((p) => p.name)).toEqual(['nfe/PL_010_V1.30']);
    expect(r.ca!.installed.map((c) => [c.name, c.root, c.anchor])).toEqual(
      expect.arrayContaining([
        ['AC Raiz de Teste v1', true, 'AC Raiz de Teste v1'],
        ['AC Intermediaria de Teste SSL', false, 'AC Raiz de Teste v1'],
      ]),
    );
    expect(r.ca!.installed).toHaveLength(2);
    expect(r.ca!.skipped).toEqual([{ name: 'AC Vencida de Teste', reason: expect.stringMatching(/^vencido em/) }]);
    const dirs = fiscalFilesDirs(data);
    expect(existsSync(join(dirs.schemas, 'nfe', 'PL_010_V1.30', 'leiauteNFe_v4.00.xsd'))).toBe(true);
    expect(readFileSync(join(dirs.icpBrasil, 'icp-brasil.pem'), 'utf8').match(/BEGIN CERTIFICATE/g)).toHaveLength(2);
  });

  it("accepts ITI's ACcompactado.zip as published (a flat zip of .crt files)", async () => {
    const r = await setupFiscalFiles({ from: `${files.url}/ACcompactado.zip`, dataDir: join(tmp.dir, 'iti'), by: 'teste', now: new Date(), testOnly: testOnly() });
    expect(r.packages).toEqual([]);
    expect(r.ca!.installed).toHaveLength(2);
  });

  it('refuses the whole bundle when one CA chains to an unpinned root (fingerprint shown), and installs nothing', async () => {
    const data = join(tmp.dir, 'misturado');
    await expect(setupFiscalFiles({ from: `${files.url}/misturado.zip`, dataDir: data, by: 'teste', now: new Date(), testOnly: testOnly() })).rejects.toMatchObject({
      code: 'ICP_ROOT_UNKNOWN',
      message: expect.stringContaining('--aceitar-raiz'),
    });
    expect(existsSync(data)).toBe(false);
    const orphan = setupFiscalFiles({ from: `${files.url}/orfa.zip`, dataDir: data, by: 'teste', now: new Date(), testOnly: testOnly() });
    await expect(orphan).rejects.toMatchObject({ code: 'ICP_CHAIN_UNTRUSTED', message: expect.stringContaining('não se encadeia') });
  });

  it('an administrator-accepted root is installed and audited with its fingerprint', async () => {
    const data = join(tmp.dir, 'aceito');
    const fp = icp.der(icp.rogueRoot);
    const { derFingerprint } = await import('../../../src/core/setup/icp-brasil');
    const r = await setupFiscalFiles({ from: `${files.url}/misturado.zip`, dataDir: data, acceptRoots: [derFingerprint(fp)], by: 'adm', now: new Date(), testOnly: testOnly() });
    expect(r.ca!.acceptedRoots).toEqual([{ name: 'AC Raiz Falsa', fingerprint: derFingerprint(fp) }]);
    expect(readFileSync(join(fiscalFilesDirs(data).icpBrasil, 'aceitos.log'), 'utf8')).toMatch(new RegExp(`\\tadm\\traiz aceita pelo administrador\\tAC Raiz Falsa\\t${derFingerprint(fp)}\\n$`));
  });

  it('refuses plain http, and a download server whose certificate is not trusted', async () => {
    await expect(setupFiscalFiles({ from: 'http://127.0.0.1:1/fiscal.zip', dataDir: join(tmp.dir, 'x'), by: 't', now: new Date() })).rejects.toMatchObject({ code: 'FISCAL_SOURCE_INVALID' });
    // Without the override, only Node's trust store: the local test server is refused.
    await expect(setupFiscalFiles({ from: `${files.url}/fiscal.zip`, dataDir: join(tmp.dir, 'x'), by: 't', now: new Date() })).rejects.toMatchObject({ code: 'FISCAL_DOWNLOAD_FAILED' });
    expect(existsSync(join(tmp.dir, 'x'))).toBe(false);
  });

  it('without the override the pinned roots are the real ICP-Brasil ones, and they refuse the test root', async () => {
    expect(ICP_BRASIL_ROOTS.filter((r) => r.tls).map((r) => r.name.replace('Autoridade Certificadora Raiz Brasileira ', ''))).toEqual(['v5', 'v10', 'v11', 'v12']);
    const { checkCaBundle } = await import('../../../src/core/setup/icp-brasil');
    expect(() => checkCaBundle([icp.der(icp.root), icp.der(icp.inter)], { now: new Date() })).toThrow(/não é uma das raízes ICP-Brasil conhecidas/);
  });
});

describe('homologação after setup fiscal: nothing to configure but the A1', () => {
  it('the SEFAZ client opens with the installed chain and schemas, and its TLS trusts exactly that chain', async () => {
    // Control: the same station without setup fiscal cannot open homologação.
    const bare = createCore({ dataDir: join(tmp.dir, 'sem-setup'), host: 'test', resourcesDir: join(tmp.dir, 'recursos-vazios') });
    try {
      await bare.ready;
      bare.settings.set('sefaz.config', { environment: 'homologacao', uf: 'SP' });
      bare.runtime.storeCertificate(makeTestCertificate({ cnpj: '11222333000181', password: 'senha' }).pfx, 'senha');
      await bare.runtime.reloadSefaz(null);
      expect(bare.runtime.status().sefaz).toMatchObject({ state: 'unconfigured', label: expect.stringContaining('Nenhuma autoridade certificadora') });
      expect(bare.runtime.schemasDir()).toBeNull();
    } finally {
      await bare.close();
    }
    const data = join(tmp.dir, 'estacao');
    // A new station: environment homologação and the A1 installed, nothing else configured.
    mkdirSync(data, { recursive: true });
    const core = createCore({ dataDir: data, host: 'test', resourcesDir: join(tmp.dir, 'recursos-vazios') });
    try {
      await core.ready;
      core.settings.set('sefaz.config', { environment: 'homologacao', uf: 'SP' });
      const a1 = makeTestCertificate({ cnpj: '11222333000181', password: 'senha', issuer: icp.inter });
      core.runtime.storeCertificate(a1.pfx, 'senha');
      await core.runtime.reloadSefaz(null);
      expect(core.runtime.status().sefaz).toMatchObject({ state: 'ok', label: 'SEFAZ: homologação SP' });
      expect(core.runtime.schemasDir()).toBe(fiscalFilesDirs(data).schemas);
    } finally {
      await core.close();
    }

    // The same trust, on the wire: a local "SEFAZ" with a certificate under the installed
    // intermediate is accepted; one under a rogue CA is refused at the handshake.
    const identity = openIdentity({ env: 'homologacao', uf: 'SP', pfx: makeTestCertificate({ cnpj: '11222333000181', password: 's' }).pfx, password: 's', resourcesDir: join(tmp.dir, 'recursos-vazios'), installedCaDir: fiscalFilesDirs(data).icpBrasil });
    const transport = new SoapTransport({ identity: identity.certificate, trustedCaPems: identity.trustedCaPems, timeoutMs: 10_000 });
    const reply = '<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Body/></soap:Envelope>';
    for (const [leaf, ok] of [[icp.sefaz, true], [icp.rogueSefaz, false]] as const) {
      const server = createServer({ cert: leaf.certPem, key: leaf.keyPem }, (_req, res) => res.writeHead(200, { 'content-type': 'application/soap+xml' }).end(reply));
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/ws`;
      try {
        if (ok) expect(await transport.postEnvelope(url, 'http://www.portalfiscal.inf.br/nfe/wsdl/NFeStatusServico4', reply)).toContain('Envelope');
        else await expect(transport.postEnvelope(url, 'http://www.portalfiscal.inf.br/nfe/wsdl/NFeStatusServico4', reply)).rejects.toMatchObject({ code: 'SEFAZ_TLS' });
      } finally {
        server.closeAllConnections();
        await new Promise<void>((r) => server.close(() => r()));
      }
    }
  });
});
