import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { flipFuses, FuseV1Options, FuseVersion, getCurrentFuseWire } from '@electron/fuses';
import { load } from 'js-yaml';
import { tempDir } from '../../helpers/tmp';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../helpers/proc';

// The flipped executable itself is checked by `npm run check:package` (scripts/check-package.mjs
// reads the fuse wire electron-builder wrote into its stand-in Electron).
describe('Electron fuses in the packaging configuration (#16)', () => {
  it('only loads the app from an integrity-checked asar, no NODE_OPTIONS/--inspect, no file:// privileges; RunAsNode kept for the CLI and service', () => {
    const cfg = load(readFileSync(join(repoRoot, 'electron-builder.yml'), 'utf8')) as { electronFuses?: Record<string, boolean> };
    expect(cfg.electronFuses).toEqual({
      runAsNode: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
      grantFileProtocolExtraPrivileges: false,
      enableCookieEncryption: true,
    });
    // The reason RunAsNode stays on: the shipped CLI and the LAN server's service use it.
    expect(readFileSync(join(repoRoot, 'resources', 'bin', 'comboio.cmd'), 'utf8')).toContain('ELECTRON_RUN_AS_NODE=1');
    expect(readFileSync(join(repoRoot, 'resources', 'service', 'comboio-servidor.xml'), 'utf8')).toContain('ELECTRON_RUN_AS_NODE');
  });

  it('@electron/fuses (what electron-builder calls) writes that wire into an executable carrying Electron 38\'s stock fuses', async () => {
    const cfg = (load(readFileSync(join(repoRoot, 'electron-builder.yml'), 'utf8')) as { electronFuses: Record<string, boolean> }).electronFuses;
    const tmp = tempDir();
    try {
      const exe = join(tmp.dir, 'comboio');
      // A stand-in executable: Electron's sentinel, wire version 1, 8 fuses, stock states.
      writeFileSync(exe, Buffer.concat([Buffer.from('binário\0dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'), Buffer.from([1, 8]), Buffer.from('10110001'), Buffer.from('\0fim')]));
      // The same mapping as app-builder-lib's generateFuseConfig.
      await flipFuses(exe, {
        version: FuseVersion.V1,
        [FuseV1Options.RunAsNode]: cfg.runAsNode!,
        [FuseV1Options.EnableCookieEncryption]: cfg.enableCookieEncryption!,
        [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: cfg.enableNodeOptionsEnvironmentVariable!,
        [FuseV1Options.EnableNodeCliInspectArguments]: cfg.enableNodeCliInspectArguments!,
        [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: cfg.enableEmbeddedAsarIntegrityValidation!,
        [FuseV1Options.OnlyLoadAppFromAsar]: cfg.onlyLoadAppFromAsar!,
        [FuseV1Options.GrantFileProtocolExtraPrivileges]: cfg.grantFileProtocolExtraPrivileges!,
      });
      const wire = await getCurrentFuseWire(exe);
      const state = (i: FuseV1Options) => String.fromCharCode(wire[i] as unknown as number);
      expect([0, 1, 2, 3, 4, 5, 6, 7].map((i) => state(i)).join('')).toBe('11001100');
      expect(state(FuseV1Options.RunAsNode)).toBe('1');
      expect(state(FuseV1Options.OnlyLoadAppFromAsar)).toBe('1');
      expect(state(FuseV1Options.EnableEmbeddedAsarIntegrityValidation)).toBe('1');
      expect(state(FuseV1Options.GrantFileProtocolExtraPrivileges)).toBe('0');
    } finally {
      tmp.cleanup();
    }
  });
});
