import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { join } from 'node:path';
import { CancellationToken } from 'builder-util-runtime';
import { NsisUpdater } from 'electron-updater';
import type { AppAdapter } from 'electron-updater/out/AppAdapter';
import { GenericProvider } from 'electron-updater/out/providers/GenericProvider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeHttpsUpdateExecutor } from '../../helpers/node-update-executor';
import { runComboio } from '../../helpers/proc';
import { tempDir } from '../../helpers/tmp';
import { startServerProcess, type ServerProcess } from './harness';

const tmp = tempDir('comboio-update-feed-');
const INSTALLER = 'Comboio-0.2.0-setup-x64.exe';
const installer = randomBytes(3 * 1024 * 1024);
const sha512 = createHash('sha512').update(installer).digest('base64');

/** electron-builder's output folder for version 0.2.0, as the Windows workflow leaves it. */
function release(dir: string, bytes: Buffer): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, INSTALLER), bytes);
  writeFileSync(
    join(dir, 'latest.yml'),
    `version: 0.2.0\nfiles:\n  - url: ${INSTALLER}\n    sha512: ${sha512}\n    size: ${installer.length}\npath: ${INSTALLER}\nsha512: ${sha512}\nreleaseDate: '2026-12-07T17:00:00.000Z'\n`,
  );
  return dir;
}

function get(srv: ServerProcess, path: string): Promise<{ status: number; body: Buffer }> {
  return new Promise((ok, fail) => {
    https
      .get({ host: '127.0.0.1', port: srv.port, path, rejectUnauthorized: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => ok({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      })
      .on('error', fail);
  });
}

let srv: ServerProcess;
let pin: string;
const serverData = join(tmp.dir, 'servidor');

beforeAll(async () => {
  srv = await startServerProcess(serverData);
  pin = /Impressão digital do certificado \(SHA-256\): (\S+)/.exec(srv.proc.stdout())![1]!;
});
afterAll(async () => {
  await srv?.proc.kill();
  tmp.cleanup();
});

describe('update feed served by the LAN server process (latest.yml + installer over its pinned HTTPS)', () => {
  it('publicar-atualizacao refuses a release whose installer does not match latest.yml, and publishes nothing', async () => {
    const bad = Buffer.from(installer);
    bad[1000] = bad[1000]! ^ 0xff;
    const r = await runComboio(['server', 'publicar-atualizacao', release(join(tmp.dir, 'dist-ruim'), bad), '--data', serverData]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/não confere com o sha512 do latest\.yml.*\[UPDATE_FILE_MISMATCH\]/);
    expect(existsSync(join(serverData, 'atualizacoes', 'latest.yml'))).toBe(false);
    expect((await get(srv, '/atualizacoes/latest.yml')).status).toBe(404);
  });

  it('publishes a checked release, and electron-updater (GenericProvider, Electron net replaced by Node https) reads it through the pin', async () => {
    const r = await runComboio(['server', 'publicar-atualizacao', release(join(tmp.dir, 'dist'), installer), '--data', serverData]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('Versão 0.2.0 publicada');
    const provider = new GenericProvider(
      { provider: 'generic', url: `https://127.0.0.1:${srv.port}/atualizacoes/` },
      // The two AppUpdater fields the provider reads (stand-in: no Electron app here).
      { channel: null, isAddNoCacheQuery: false } as unknown as ConstructorParameters<typeof GenericProvider>[1],
      { isUseMultipleRangeRequest: false, platform: 'win32', executor: new NodeHttpsUpdateExecutor(pin) },
    );
    const info = await provider.getLatestVersion();
    expect(info.version).toBe('0.2.0');
    const [file] = provider.resolveFiles(info);
    expect(file!.url.href).toBe(`https://127.0.0.1:${srv.port}/atualizacoes/${INSTALLER}`);
    expect(file!.info.sha512).toBe(sha512);
    const body = await new NodeHttpsUpdateExecutor(pin).downloadToBuffer(file!.url, { cancellationToken: new CancellationToken(), headers: null } as never);
    expect(createHash('sha512').update(body).digest('base64')).toBe(sha512);
  });

  /** electron-updater's NsisUpdater with Electron's app adapter and net replaced by Node stand-ins. */
  function nsisUpdater(cacheName: string): NsisUpdater {
    const app: AppAdapter = {
      version: '0.1.0',
      name: 'Comboio',
      isPackaged: true,
      appUpdateConfigPath: join(tmp.dir, 'app-update.yml'),
      userDataPath: join(tmp.dir, 'estacao'),
      baseCachePath: join(tmp.dir, cacheName),
      whenReady: () => Promise.resolve(),
      relaunch: () => undefined,
      quit: () => undefined,
      onQuit: () => undefined,
    };
    // What electron-builder writes beside app.asar from electron-builder.yml's publish entry.
    writeFileSync(app.appUpdateConfigPath, 'provider: generic\nurl: https://localhost:7400/atualizacoes/\nupdaterCacheDirName: comboio-updater\n');
    const updater = new NsisUpdater(null, app);
    const internals = updater as unknown as { httpExecutor: NodeHttpsUpdateExecutor; _testOnlyOptions: unknown };
    internals.httpExecutor = new NodeHttpsUpdateExecutor(pin);
    // electron-updater's own test hook: read the Windows channel (latest.yml) on this Linux box.
    internals._testOnlyOptions = { platform: 'win32', isUseDifferentialDownload: false };
    updater.logger = null;
    updater.autoDownload = false;
    updater.setFeedURL({ provider: 'generic', url: `https://127.0.0.1:${srv.port}/atualizacoes/` });
    return updater;
  }

  it("NsisUpdater (Electron's app and net replaced by Node stand-ins) finds 0.2.0 over 0.1.0, downloads it and checks its sha512", async () => {
    const updater = nsisUpdater('cache');
    const found = await updater.checkForUpdates();
    expect(found?.isUpdateAvailable).toBe(true);
    expect(found?.updateInfo.version).toBe('0.2.0');
    const [downloaded] = await updater.downloadUpdate();
    expect(readFileSync(downloaded!).equals(installer)).toBe(true);
  });

  it("NsisUpdater (Electron stand-ins) refuses an installer changed on the server after publishing (sha512 of latest.yml)", async () => {
    const feedFile = join(serverData, 'atualizacoes', INSTALLER);
    const original = readFileSync(feedFile);
    const changed = Buffer.from(original);
    changed[0] = changed[0]! ^ 0xff;
    writeFileSync(feedFile, changed);
    try {
      const updater = nsisUpdater('cache-2');
      expect((await updater.checkForUpdates())?.isUpdateAvailable).toBe(true);
      await expect(updater.downloadUpdate()).rejects.toThrow(/sha512 checksum mismatch/);
    } finally {
      writeFileSync(feedFile, original);
    }
  });

  it('a server with another certificate is refused by the pin before latest.yml is read', async () => {
    const other = 'AA:'.repeat(31) + 'AA';
    const provider = new GenericProvider(
      { provider: 'generic', url: `https://127.0.0.1:${srv.port}/atualizacoes/` },
      { channel: null, isAddNoCacheQuery: false } as unknown as ConstructorParameters<typeof GenericProvider>[1],
      { isUseMultipleRangeRequest: false, platform: 'win32', executor: new NodeHttpsUpdateExecutor(other) },
    );
    await expect(provider.getLatestVersion()).rejects.toThrow(/não é o fixado/);
  });

  it('serves only plain file names from the folder: no traversal to the database or the TLS key', async () => {
    for (const path of ['/atualizacoes/..%2Fservidor.sqlite', '/atualizacoes/%2e%2e/servidor.sqlite', '/atualizacoes/../servidor.sqlite', '/atualizacoes/.latest.yml.tmp', '/atualizacoes/']) {
      expect((await get(srv, path)).status, path).toBe(404);
    }
    const yml = await get(srv, '/atualizacoes/latest.yml');
    expect(yml.status).toBe(200);
    expect(yml.body.toString()).toContain('version: 0.2.0');
    const log = srv.proc.stdout() + srv.proc.stderr();
    expect(log).toMatch(new RegExp(`atualização: ${INSTALLER.replace(/\./g, '\\.')} \\(${installer.length} bytes\\) enviada para 127\\.0\\.0\\.1`));
  });
});
