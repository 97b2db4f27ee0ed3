import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../helpers/proc';

// The lint rule is the guard that keeps core/server/web-host runnable without Electron.
describe('import boundaries (eslint)', () => {
  const eslint = new ESLint({ cwd: repoRoot });
  const lint = async (filePath: string, code: string) => {
    const [result] = await eslint.lintText(code, { filePath });
    return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports');
  };

  it('refuses electron in core, server and web-host', async () => {
    for (const f of ['src/core/x.ts', 'src/server/x.ts', 'src/web-host/x.ts']) {
      expect(await lint(f, "import { app } from 'electron';\nexport const a = app;\n"), f).toHaveLength(1);
    }
  });

  it('allows electron in main and preload', async () => {
    for (const f of ['src/main/x.ts', 'src/preload/x.ts']) {
      expect(await lint(f, "import { app } from 'electron';\nexport const a = app;\n"), f).toHaveLength(0);
    }
  });

  it('keeps node and core out of the renderer', async () => {
    expect(await lint('src/renderer/src/x.ts', "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n")).toHaveLength(1);
    expect(await lint('src/renderer/src/x.ts', "import { createCore } from '../../core/app';\nexport const c = createCore;\n")).toHaveLength(1);
  });
});
