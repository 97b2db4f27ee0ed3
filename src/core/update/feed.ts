import { createHash, X509Certificate } from 'node:crypto';
import { copyFileSync, createReadStream, existsSync, mkdirSync, readFileSync, renameSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { load } from 'js-yaml';
import type { LanConfigDto } from '../../shared/api/admin';
import { AppError } from '../errors';

/**
 * The office's update feed: the LAN server serves electron-builder's `latest.yml` and the
 * installer from `<server data>/atualizacoes/` at this path, over its own HTTPS; stations
 * point electron-updater's generic provider at it and accept only the certificate they
 * pinned at enrollment.
 */
export const UPDATES_PATH = '/atualizacoes/';
export const UPDATES_DIR_NAME = 'atualizacoes';
/** The channel file electron-updater's generic provider reads on Windows (channel "latest"). */
export const CHANNEL_FILE = 'latest.yml';

export const UpdateErrors = { BAD_FEED: 'UPDATE_FEED_INVALID', MISMATCH: 'UPDATE_FILE_MISMATCH' } as const;

/** A file name the feed serves: one path segment, no traversal, no hidden files. */
export function isFeedFileName(name: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9._ +-]*$/.test(name) && !name.includes('..') && name.length <= 200;
}

export type UpdateTarget = { url: string; pin: string; host: string } | { disabled: string };

/**
 * Where a station looks for updates: its LAN server over TLS with the pinned fingerprint.
 * No feed without a pin: latest.yml carries the installer's digest, so the channel that
 * delivers it must be the authenticated one.
 */
export function updateTargetFor(lan: Pick<LanConfigDto, 'host' | 'port' | 'tls' | 'enrolled' | 'fingerprint'>, embedded: boolean): UpdateTarget {
  if (embedded || !lan.host) return { disabled: 'sem servidor LAN configurado (estação única): atualize pelo instalador' };
  if (!lan.tls) return { disabled: 'servidor LAN sem TLS (--insecure): atualizações automáticas desligadas' };
  if (!lan.enrolled || !lan.fingerprint) return { disabled: 'estação não cadastrada no servidor LAN' };
  const host = lan.host.includes(':') && !lan.host.startsWith('[') ? `[${lan.host}]` : lan.host;
  return { url: `https://${host}:${lan.port}${UPDATES_PATH}`, pin: lan.fingerprint.toUpperCase(), host: lan.host.replace(/^\[|\]$/g, '') };
}

/** Whether a certificate (PEM, as Chromium hands it to a verify proc) is the pinned one. */
export function certificateMatchesPin(certPem: string, pin: string): boolean {
  try {
    return new X509Certificate(certPem).fingerprint256.toUpperCase() === pin.toUpperCase();
  } catch {
    return false;
  }
}

export interface FeedFile {
  url: string;
  sha512: string;
  size?: number;
}

/** electron-builder's latest.yml, checked for what electron-updater needs. */
export function parseChannelFile(text: string): { version: string; files: FeedFile[] } {
  let doc: unknown;
  try {
    doc = load(text);
  } catch (err) {
    throw new AppError(UpdateErrors.BAD_FEED, `latest.yml ilegível: ${(err as Error).message}`);
  }
  const d = doc as { version?: unknown; files?: unknown };
  if (typeof d?.version !== 'string' || !/^\d+\.\d+\.\d+/.test(d.version)) throw new AppError(UpdateErrors.BAD_FEED, 'latest.yml sem "version" válida.');
  if (!Array.isArray(d.files) || d.files.length === 0) throw new AppError(UpdateErrors.BAD_FEED, 'latest.yml sem "files".');
  const files = d.files.map((f: { url?: unknown; sha512?: unknown; size?: unknown }) => {
    if (typeof f?.url !== 'string' || !isFeedFileName(f.url)) throw new AppError(UpdateErrors.BAD_FEED, `latest.yml: arquivo com nome inválido (${String(f?.url)}); use o nome simples, na mesma pasta.`);
    if (typeof f.sha512 !== 'string' || !/^[A-Za-z0-9+/]{86}==$/.test(f.sha512)) throw new AppError(UpdateErrors.BAD_FEED, `latest.yml: ${f.url} sem sha512 válido.`);
    return { url: f.url, sha512: f.sha512, ...(typeof f.size === 'number' ? { size: f.size } : {}) };
  });
  return { version: d.version, files };
}

function sha512Of(file: string): Promise<string> {
  return new Promise((ok, fail) => {
    const h = createHash('sha512');
    createReadStream(file)
      .on('data', (c) => h.update(c))
      .on('error', fail)
      .on('end', () => ok(h.digest('base64')));
  });
}

/**
 * Puts a release (electron-builder's output folder) into the feed: every file latest.yml
 * names must be there with its sha512 and size, or nothing is published. The installers go
 * first and latest.yml last (renamed into place), so a station never reads a channel file
 * that points at a missing or half-copied installer.
 */
export async function publishRelease(from: string, feedDir: string): Promise<{ version: string; files: string[] }> {
  const channel = join(from, CHANNEL_FILE);
  if (!existsSync(channel)) throw new AppError(UpdateErrors.BAD_FEED, `Não há ${CHANNEL_FILE} em ${from} (é a pasta dist/ do electron-builder?).`);
  const text = readFileSync(channel, 'utf8');
  const { version, files } = parseChannelFile(text);
  for (const f of files) {
    const file = join(from, f.url);
    if (!existsSync(file)) throw new AppError(UpdateErrors.MISMATCH, `${f.url}, citado no ${CHANNEL_FILE}, não está em ${from}.`);
    if (f.size !== undefined && statSync(file).size !== f.size) throw new AppError(UpdateErrors.MISMATCH, `${f.url} tem ${statSync(file).size} bytes; o ${CHANNEL_FILE} diz ${f.size}. Copie de novo a pasta do build.`);
    if ((await sha512Of(file)) !== f.sha512) throw new AppError(UpdateErrors.MISMATCH, `${f.url} não confere com o sha512 do ${CHANNEL_FILE}. Copie de novo a pasta do build.`);
  }
  mkdirSync(feedDir, { recursive: true });
  const copied: string[] = [];
  for (const f of files) {
    copyFileSync(join(from, f.url), join(feedDir, f.url));
    copied.push(f.url);
    // Differential download reads the block maps when they are there (optional).
    if (existsSync(join(from, `${f.url}.blockmap`))) {
      copyFileSync(join(from, `${f.url}.blockmap`), join(feedDir, `${f.url}.blockmap`));
      copied.push(`${f.url}.blockmap`);
    }
  }
  const tmp = join(feedDir, `.${CHANNEL_FILE}.${process.pid}.tmp`);
  copyFileSync(channel, tmp);
  renameSync(tmp, join(feedDir, basename(CHANNEL_FILE)));
  return { version, files: [...copied, CHANNEL_FILE] };
}

/** The session partition electron-updater's HTTP requests run in (its NET_SESSION_NAME). */
export const UPDATER_SESSION_PARTITION = 'electron-updater';
