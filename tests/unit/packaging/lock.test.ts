import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../helpers/proc';

const semver = createRequire(import.meta.url)('semver') as { satisfies(v: string, range: string): boolean; minVersion(range: string): { version: string } };
const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { engines: { node: string } };
const lock = JSON.parse(readFileSync(join(repoRoot, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { version?: string; engines?: { node?: string } | string[]; os?: string[]; cpu?: string[]; optional?: boolean }>;
};

// `npm ci` must accept the committed lock on every office platform, and print no EBADENGINE
// on the oldest Node that `engines` allows.
describe('package-lock.json', () => {
  it('no locked package asks for a newer Node than the oldest engines allows', () => {
    const oldest = semver.minVersion(pkg.engines.node).version;
    const refusing = Object.entries(lock.packages)
      .filter(([name, p]) => name !== '' && p.engines && !Array.isArray(p.engines) && p.engines.node && !semver.satisfies(oldest, p.engines.node))
      .map(([name, p]) => `${name}@${p.version} wants node ${(p.engines as { node: string }).node}`);
    expect(refusing, `Node ${oldest}`).toEqual([]);
  });

  it("keeps every platform's optional native packages (Windows, Linux and macOS builds from one lock)", () => {
    const names = Object.keys(lock.packages);
    for (const wanted of ['@rollup/rollup-win32-x64-msvc', '@rollup/rollup-linux-x64-gnu', '@rollup/rollup-darwin-arm64', '@rollup/rollup-darwin-x64', '@esbuild/win32-x64', '@esbuild/linux-x64', '@esbuild/darwin-arm64']) {
      expect(names.some((n) => n.endsWith(`node_modules/${wanted}`)), wanted).toBe(true);
    }
  });
});
