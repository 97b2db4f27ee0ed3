import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../helpers/proc';

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  shell?: string;
  with?: Record<string, unknown>;
}
const yaml = (file: string) => load(readFileSync(join(repoRoot, file), 'utf8')) as Record<string, unknown>;
const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { engines: { node: string }; scripts: Record<string, string> };

// The Windows build cannot run on these machines: this keeps its files consistent with the repository.
describe('Windows installer workflow and electron-builder configuration', () => {
  const wf = yaml('.github/workflows/windows.yml');
  const job = (wf.jobs as Record<string, { 'runs-on': string; steps: Step[] }>).installer!;
  const steps = job.steps;
  const runs = steps.map((s) => s.run ?? '').join('\n');

  it('builds on a Windows runner with the Node version engines asks for, from the lock', () => {
    expect(job['runs-on']).toMatch(/^windows-/);
    const node = steps.find((s) => s.uses?.startsWith('actions/setup-node@'))?.with?.['node-version'];
    const min = /^>=(\d+)\.(\d+)/.exec(pkg.engines.node)!;
    expect(String(node)).toBe(`${min[1]}.${min[2]}`);
    expect(runs).toMatch(/npm ci\b/);
    expect(runs).not.toMatch(/npm install(?! --no-save)/);
    for (const s of steps.filter((x) => x.uses)) expect(s.uses, 'actions pinned to a major version').toMatch(/@v\d+$/);
  });

  it('runs only npm scripts that exist, builds the NSIS installer and smoke-tests CLI, server, diagnostics, window and service', () => {
    for (const [, script] of runs.matchAll(/npm run ([\w:-]+)/g)) expect(pkg.scripts, script).toHaveProperty(script!);
    expect(runs).toContain('electron-builder --win --x64');
    for (const needle of ['comboio.cmd" --help', "'server'", 'diagnostico', 'Comboio.exe', '/SERVICO=1', 'ComboioServidor']) expect(runs).toContain(needle);
    // The smoke test's service id is the one the WinSW file declares.
    expect(readFileSync(join(repoRoot, 'resources/service/comboio-servidor.xml'), 'utf8')).toContain('<id>ComboioServidor</id>');
  });

  it('electron-builder: every file it ships or runs exists, native modules unpacked, NSIS include present', () => {
    const cfg = yaml('electron-builder.yml') as {
      extraResources: { from: string }[];
      extraFiles: { from: string }[];
      asarUnpack: string[];
      beforePack: string;
      afterPack: string;
      npmRebuild: boolean;
      nsis: { include: string };
      publish: { provider: string }[];
    };
    for (const r of [...cfg.extraResources, ...cfg.extraFiles]) expect(existsSync(join(repoRoot, r.from)), r.from).toBe(true);
    for (const f of [cfg.beforePack, cfg.afterPack, cfg.nsis.include]) expect(existsSync(join(repoRoot, f)), f).toBe(true);
    expect(cfg.asarUnpack).toEqual(expect.arrayContaining(['**/node_modules/better-sqlite3/**', '**/*.node']));
    expect(cfg.npmRebuild).toBe(false);
    // The hook rebuilds through npm with Electron's headers (node-gyp and prebuild-install read these).
    const hook = createRequire(import.meta.url)(join(repoRoot, cfg.beforePack)) as { electronBuildEnv(v: string, arch: string): Record<string, string> };
    expect(hook.electronBuildEnv('38.8.6', 'x64')).toMatchObject({ npm_config_runtime: 'electron', npm_config_target: '38.8.6', npm_config_arch: 'x64' });
    expect(readFileSync(join(repoRoot, cfg.beforePack), 'utf8')).toMatch(/'rebuild', \.\.\.modules/);
    expect(cfg.publish[0]!.provider).toBe('generic');
    // The NSIS include installs the service through the same wrapper name the workflow copies.
    const nsh = readFileSync(join(repoRoot, cfg.nsis.include), 'utf8');
    expect(nsh).toContain('comboio-servidor.exe" install');
    expect(runs).toContain('resources/service/comboio-servidor.exe');
  });
});
