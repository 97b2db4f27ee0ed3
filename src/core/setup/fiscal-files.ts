import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { dirname, extname, isAbsolute, join, normalize, resolve, sep } from 'node:path';
import { unzipSync } from 'fflate';
import { isoWithOffset } from '../clock';
import { AppError } from '../errors';
import { packagedResourcesDir } from '../paths';
import { certificatesIn, checkCaBundle, type CaBundleCheck, type PinnedRoot } from './icp-brasil';
import { checkSchemaPackages, copySchemaPackages, SchemaSetupErrors, type InstalledPackage } from './schema-packages';

/** Where `comboio setup fiscal` installs, inside the data folder; the SEFAZ client and the schema checks look here. */
export function fiscalFilesDirs(dataDir: string): { schemas: string; icpBrasil: string } {
  return { schemas: join(dataDir, 'schemas'), icpBrasil: join(dataDir, 'icp-brasil') };
}
export const ICP_BUNDLE_FILE = 'icp-brasil.pem';

export const FiscalSetupErrors = { SOURCE: 'FISCAL_SOURCE_INVALID', DOWNLOAD: 'FISCAL_DOWNLOAD_FAILED' } as const;

const MAX_DOWNLOAD_BYTES = 200 * 1024 * 1024;
const CA_FILE = /\.(crt|cer|pem|der)$/i;

export interface FiscalSetupOptions {
  /** A folder, a .zip file, or an https:// URL of a .zip (ITI's ACcompactado.zip or a package of nfe/, cte/, icp-brasil/). */
  from: string;
  dataDir: string;
  /** Unknown schema packages an administrator accepted: name → digest. */
  acceptPackages?: Record<string, string>;
  /** Root fingerprints outside the pinned list an administrator accepted. */
  acceptRoots?: string[];
  by: string;
  now: Date;
  /**
   * Tests only: roots pinned instead of ICP-Brasil's and CAs trusted for the download. The
   * CLI never sets it, and the installed app refuses it.
   */
  testOnly?: { pinnedRoots: readonly PinnedRoot[]; httpsCa: string[] };
}

export interface FiscalSetupResult {
  source: string;
  packages: InstalledPackage[];
  ca: CaBundleCheck | null;
}

function download(url: string, to: string, ca: string[] | undefined, redirects = 0): Promise<void> {
  return new Promise((ok, fail) => {
    const failWith = (msg: string, cause?: unknown) => fail(new AppError(FiscalSetupErrors.DOWNLOAD, msg, cause ? { cause } : undefined));
    const req = https.get(url, { ...(ca ? { ca } : {}), timeout: 60_000 }, (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location) {
        res.resume();
        const next = new URL(res.headers.location, url).href;
        if (!next.startsWith('https://')) return failWith(`O endereço redirecionou para fora do HTTPS (${next}).`);
        if (redirects >= 5) return failWith('Redirecionamentos demais.');
        return void download(next, to, ca, redirects + 1).then(ok, fail);
      }
      if (status !== 200) {
        res.resume();
        return failWith(`O servidor respondeu HTTP ${status} para ${url}.`);
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_DOWNLOAD_BYTES) req.destroy(new Error('grande demais'));
        else chunks.push(c);
      });
      res.on('end', () => {
        writeFileSync(to, Buffer.concat(chunks));
        ok();
      });
      res.on('error', (err) => failWith(`A transferência de ${url} caiu.`, err));
    });
    req.on('timeout', () => req.destroy(new Error('tempo esgotado')));
    req.on('error', (err) => failWith(`Não foi possível baixar ${url}: ${err.message}`, err));
  });
}

/** Unpacks a zip into `dir`, refusing entries that would land outside it. */
function unzipInto(zip: Buffer, dir: string): void {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(zip);
  } catch (err) {
    throw new AppError(FiscalSetupErrors.SOURCE, 'O arquivo baixado não é um .zip válido.', { cause: err });
  }
  for (const [name, data] of Object.entries(entries)) {
    if (name.endsWith('/')) continue;
    const target = normalize(join(dir, name));
    if (isAbsolute(name) || !target.startsWith(dir + sep)) throw new AppError(FiscalSetupErrors.SOURCE, `O .zip tem um caminho fora da pasta: ${name}`);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, data);
  }
}

/** CA certificates under `dir` (files, and zips such as ITI's ACcompactado.zip inside it). */
function caCertificates(dir: string): Buffer[] {
  const out: Buffer[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...caCertificates(p));
    else if (CA_FILE.test(e.name)) out.push(...certificatesIn(readFileSync(p)));
    else if (extname(e.name).toLowerCase() === '.zip') {
      for (const [name, data] of Object.entries(unzipSync(readFileSync(p)))) if (CA_FILE.test(name)) out.push(...certificatesIn(Buffer.from(data)));
    }
  }
  return out;
}

/**
 * `comboio setup fiscal`: checks the official schema packages (pinned SHA-256) and the
 * ICP-Brasil CA bundle (every CA chains to a pinned root) from a folder, a zip or an HTTPS
 * URL, and installs them into the data folder only when everything checks out. The SEFAZ
 * client then trusts `<data>/icp-brasil` and the schema checks use `<data>/schemas`.
 */
export async function setupFiscalFiles(o: FiscalSetupOptions): Promise<FiscalSetupResult> {
  if (o.testOnly && packagedResourcesDir() !== null) throw new AppError(FiscalSetupErrors.SOURCE, 'Opção de teste indisponível no aplicativo instalado.');
  const work = mkdtempSync(join(tmpdir(), 'comboio-setup-fiscal-'));
  try {
    let root: string;
    if (/^http:\/\//i.test(o.from)) throw new AppError(FiscalSetupErrors.SOURCE, 'Use um endereço HTTPS: os arquivos fiscais não são baixados sem criptografia.');
    if (/^https:\/\//i.test(o.from)) {
      const zip = join(work, 'pacote.zip');
      await download(o.from, zip, o.testOnly?.httpsCa);
      root = join(work, 'pacote');
      unzipInto(readFileSync(zip), root);
    } else {
      const from = resolve(o.from);
      if (!existsSync(from)) throw new AppError(FiscalSetupErrors.SOURCE, `${from} não existe.`);
      if (statSync(from).isFile()) {
        root = join(work, 'pacote');
        unzipInto(readFileSync(from), root);
      } else root = from;
    }
    const packages = checkSchemaPackages(root, o.acceptPackages);
    // ITI's own zip is a flat folder of .crt files; a package made for setup has icp-brasil/.
    const icpDir = existsSync(join(root, 'icp-brasil')) ? join(root, 'icp-brasil') : readdirSync(root).some((n) => CA_FILE.test(n)) ? root : null;
    const ca = icpDir ? checkCaBundle(caCertificates(icpDir), { now: o.now, ...(o.testOnly ? { pinnedRoots: o.testOnly.pinnedRoots } : {}), ...(o.acceptRoots ? { acceptRoots: o.acceptRoots } : {}) }) : null;
    if (packages.length === 0 && !ca) {
      throw new AppError(SchemaSetupErrors.EMPTY, `Nada para instalar em ${o.from}: esperado nfe/<pacote>, cte/<pacote> e/ou icp-brasil/ (ou o ACcompactado.zip do ITI).`);
    }
    // Everything checked: now write.
    const dirs = fiscalFilesDirs(o.dataDir);
    const at = isoWithOffset(o.now);
    if (packages.length > 0) copySchemaPackages({ from: root, to: dirs.schemas, checked: packages, by: o.by, now: at });
    if (ca) {
      mkdirSync(dirs.icpBrasil, { recursive: true });
      const tmp = join(dirs.icpBrasil, `.${ICP_BUNDLE_FILE}.tmp`);
      writeFileSync(tmp, ca.installed.map((c) => `# ${c.name} (SHA-256 ${c.fingerprint}, até ${c.validTo}, raiz ${c.anchor})\n${c.pem}`).join(''));
      renameSync(tmp, join(dirs.icpBrasil, ICP_BUNDLE_FILE));
      for (const r of ca.acceptedRoots) appendFileSync(join(dirs.icpBrasil, 'aceitos.log'), `${at}\t${o.by}\traiz aceita pelo administrador\t${r.name}\t${r.fingerprint}\n`);
    }
    return { source: o.from, packages, ca };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
