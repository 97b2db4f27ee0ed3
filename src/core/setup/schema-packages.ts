import { createHash } from 'node:crypto';
import { appendFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { AppError } from '../errors';

/**
 * The official NF-e/CT-e schema packages this version knows, pinned by the digest of their
 * files: SHA-256 over the sorted lines "<path inside the package>\t<SHA-256 of the file>".
 * A package is installed only when it matches; one not listed here (a newer package from
 * the publisher) only when an administrator passes its digest, shown in the refusal, and
 * the acceptance is written to `<schemas>/aceitos.log`.
 */
export const KNOWN_SCHEMA_PACKAGES: Record<string, { files: number; digest: string }> = {
  'nfe/PL_009_V4': { files: 192, digest: '5bab00151f922d5edd157c5050b4b4282da2de9b90d9d983495a56bb913ef0ab' },
  'nfe/PL_010_V1.30': { files: 210, digest: 'b9f75f4bfbe5ffc3cc6860a8659d5e963b111db7d802a84f097fb38542f14c01' },
  'cte/PL_CTe_400': { files: 48, digest: 'aa21643e1d899f3735eee76a5ebca84b7e6c298ebb5058b25f5e918ce8007675' },
};

export const SchemaSetupErrors = { MISMATCH: 'SCHEMA_PACKAGE_MISMATCH', UNKNOWN: 'SCHEMA_PACKAGE_UNKNOWN', EMPTY: 'SCHEMA_SOURCE_EMPTY' } as const;

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]));
}

/** The pinned digest of one package folder, and how many files it has. */
export function packageDigest(dir: string): { files: number; digest: string } {
  const lines = files(dir)
    .map((f) => `${relative(dir, f).split(sep).join('/')}\t${createHash('sha256').update(readFileSync(f)).digest('hex')}`)
    .sort();
  return { files: lines.length, digest: createHash('sha256').update(lines.join('\n')).digest('hex') };
}

/** Package folders (`<family>/<package>`) inside a source folder laid out like the official downloads. */
function packagesIn(from: string): string[] {
  return ['nfe', 'cte'].flatMap((family) =>
    existsSync(join(from, family)) ? readdirSync(join(from, family)).filter((p) => statSync(join(from, family, p)).isDirectory()).map((p) => `${family}/${p}`) : [],
  );
}

export interface InstalledPackage {
  name: string;
  files: number;
  digest: string;
  acceptedByAdmin: boolean;
}

/**
 * Checks every package in `from` against the pinned digests (nothing is written). `accept`
 * maps an unknown package's name to the digest an administrator confirmed.
 */
export function checkSchemaPackages(from: string, accept: Record<string, string> = {}): InstalledPackage[] {
  return packagesIn(from).map((name) => {
    const got = packageDigest(join(from, name));
    const known = KNOWN_SCHEMA_PACKAGES[name];
    if (known) {
      if (known.digest !== got.digest || known.files !== got.files) {
        throw new AppError(SchemaSetupErrors.MISMATCH, `O pacote ${name} não confere com o publicado (${got.files} arquivos, resumo ${got.digest}). Baixe-o de novo do portal oficial.`);
      }
      return { name, ...got, acceptedByAdmin: false };
    }
    if (accept[name] !== got.digest) {
      throw new AppError(
        SchemaSetupErrors.UNKNOWN,
        `Pacote ${name} desconhecido desta versão (${got.files} arquivos, resumo SHA-256 ${got.digest}). Um administrador pode aceitá-lo com --aceitar ${name}=${got.digest}.`,
      );
    }
    return { name, ...got, acceptedByAdmin: true };
  });
}

/** Copies checked packages into `to`; administrator-accepted ones are recorded in `<to>/aceitos.log`. */
export function copySchemaPackages(o: { from: string; to: string; checked: InstalledPackage[]; by: string; now: string }): void {
  mkdirSync(o.to, { recursive: true });
  for (const p of o.checked) {
    cpSync(join(o.from, p.name), join(o.to, p.name), { recursive: true });
    if (p.acceptedByAdmin) appendFileSync(join(o.to, 'aceitos.log'), `${o.now}\t${o.by}\t${p.name}\t${p.files} arquivos\t${p.digest}\n`);
  }
}
