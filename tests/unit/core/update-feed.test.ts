import { createRequire } from 'node:module';
import { mkdirSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { certificateMatchesPin, isFeedFileName, parseChannelFile, UPDATER_SESSION_PARTITION, updateTargetFor, UPDATES_PATH } from '../../../src/core/update/feed';
import { loadOrCreateServerTls } from '../../../src/server/auth/tls';
import { tempDir } from '../../helpers/tmp';

const tmp = tempDir('comboio-update-unit-');
afterAll(() => tmp.cleanup());
const lan = { host: 'servidor.local', port: 7400, tls: true, enrolled: true, fingerprint: 'ab:cd' };
const sha = 'A'.repeat(86) + '==';

describe('station update configuration (pure code; src/main/updater.ts feeds it to electron-updater)', () => {
  it('points at the LAN server over https with the pinned fingerprint, and only then', () => {
    expect(updateTargetFor(lan, false)).toEqual({ url: `https://servidor.local:7400${UPDATES_PATH}`, pin: 'AB:CD', host: 'servidor.local' });
    expect(updateTargetFor({ ...lan, host: 'fe80::1' }, false)).toMatchObject({ url: 'https://[fe80::1]:7400/atualizacoes/', host: 'fe80::1' });
    expect(updateTargetFor(lan, true)).toHaveProperty('disabled', expect.stringContaining('estação única'));
    expect(updateTargetFor({ ...lan, host: '' }, false)).toHaveProperty('disabled');
    expect(updateTargetFor({ ...lan, tls: false }, false)).toHaveProperty('disabled', expect.stringContaining('sem TLS'));
    expect(updateTargetFor({ ...lan, enrolled: false }, false)).toHaveProperty('disabled', expect.stringContaining('não cadastrada'));
    expect(updateTargetFor({ ...lan, fingerprint: null }, false)).toHaveProperty('disabled');
  });

  it("accepts exactly the pinned server certificate (the PEM Chromium's verify proc receives)", () => {
    for (const d of ['a', 'b']) mkdirSync(`${tmp.dir}/${d}`);
    const a = loadOrCreateServerTls(`${tmp.dir}/a`);
    const b = loadOrCreateServerTls(`${tmp.dir}/b`);
    expect(certificateMatchesPin(a.certPem, a.fingerprint)).toBe(true);
    expect(certificateMatchesPin(a.certPem, a.fingerprint.toLowerCase())).toBe(true);
    expect(certificateMatchesPin(b.certPem, a.fingerprint)).toBe(false);
    expect(certificateMatchesPin('não é um certificado', a.fingerprint)).toBe(false);
  });

  it("the pin is set on electron-updater's own session partition", () => {
    const { NET_SESSION_NAME } = createRequire(import.meta.url)('electron-updater/out/electronHttpExecutor') as { NET_SESSION_NAME: string };
    expect(UPDATER_SESSION_PARTITION).toBe(NET_SESSION_NAME);
  });

  it('reads latest.yml as electron-builder writes it, and refuses names outside the folder or a missing digest', () => {
    const yml = `version: 0.2.0\nfiles:\n  - url: Comboio-0.2.0-setup-x64.exe\n    sha512: ${sha}\n    size: 10\npath: Comboio-0.2.0-setup-x64.exe\nsha512: ${sha}\n`;
    expect(parseChannelFile(yml)).toEqual({ version: '0.2.0', files: [{ url: 'Comboio-0.2.0-setup-x64.exe', sha512: sha, size: 10 }] });
    expect(() => parseChannelFile(yml.replace('url: Comboio', 'url: ../Comboio'))).toThrow(/nome inválido/);
    expect(() => parseChannelFile(yml.replace(`    sha512: ${sha}\n    size`, '    size'))).toThrow(/sem sha512/);
    expect(() => parseChannelFile('version: [')).toThrow(/ilegível/);
    expect(() => parseChannelFile('files: []\n')).toThrow(/version/);
    for (const bad of ['', '.latest.yml.tmp', '../x', 'a/b', 'a\\b', '..']) expect(isFeedFileName(bad), bad).toBe(false);
    expect(isFeedFileName('Comboio-0.2.0-setup-x64.exe.blockmap')).toBe(true);
  });
});
