// electron-builder beforePack hook: rebuilds the native modules (better-sqlite3, serialport,
// the optional spooler binding) for the Electron version and target arch being packaged, so
// the installed app never ships a binary built for Node's ABI (it would crash at start).
// A failed rebuild fails the build.
//
// It uses npm itself with Electron's headers (the "Using npm" method of Electron's native
// modules guide): each module's own install script runs (prebuild-install downloads the
// module's Electron prebuilt, else node-gyp compiles against Electron's headers with the
// node-gyp bundled in npm, which supports current Python). @electron/rebuild is not used: its
// 4.x line declares Node >= 22.12 while `engines` says 20.19, and 3.6 (pinned through
// `overrides` for electron-builder's own, unused, rebuild path) ships node-gyp 9, which fails
// on Python 3.12+ (the Windows runners' default).
const { spawnSync } = require('node:child_process');
const { existsSync, readFileSync } = require('node:fs');
const { join } = require('node:path');

// @thiagoelg/node-printer (Windows spooler) is optional: rebuilt where it is installed.
const NATIVE = ['better-sqlite3', '@serialport/bindings-cpp', '@thiagoelg/node-printer'];
const ARCHES = ['ia32', 'x64', 'armv7l', 'arm64', 'universal'];

/** npm_config_* variables that point node-gyp and prebuild-install at Electron's ABI. */
function electronBuildEnv(electronVersion, arch) {
  return {
    npm_config_runtime: 'electron',
    npm_config_target: electronVersion,
    npm_config_disturl: 'https://electronjs.org/headers',
    npm_config_arch: arch,
    npm_config_target_arch: arch,
  };
}

module.exports = async function beforePack(context) {
  const projectDir = context.packager.projectDir;
  const modules = NATIVE.filter((m) => existsSync(join(projectDir, 'node_modules', m, 'package.json')));
  const arch = ARCHES[context.arch] ?? 'x64';
  const electronVersion = JSON.parse(readFileSync(join(projectDir, 'node_modules', 'electron', 'package.json'), 'utf8')).version;
  if (process.env.COMBOIO_SKIP_NATIVE_REBUILD === '1') {
    // Only for scripts/check-package.mjs on machines without Electron's headers: that package
    // is never installed anywhere.
    console.log(`  • SKIPPED native rebuild for Electron ${electronVersion} (COMBOIO_SKIP_NATIVE_REBUILD=1): this package is for checks only`);
    return;
  }
  console.log(`  • rebuilding ${modules.join(', ')} for Electron ${electronVersion} ${context.electronPlatformName}-${arch}`);
  // Under `npm run`/`npx`, npm_execpath is npm's own CLI script; run it with this Node so no
  // shell (npm.cmd on Windows) is involved.
  const npm = process.env.npm_execpath && /npm-cli\.js$/.test(process.env.npm_execpath) ? [process.execPath, [process.env.npm_execpath]] : ['npm', []];
  const r = spawnSync(npm[0], [...npm[1], 'rebuild', ...modules, '--foreground-scripts'], {
    cwd: projectDir,
    stdio: 'inherit',
    shell: npm[0] === 'npm' && process.platform === 'win32',
    env: { ...process.env, ...electronBuildEnv(electronVersion, arch) },
  });
  if (r.status !== 0) throw new Error(`native rebuild for Electron ${electronVersion} failed (npm rebuild exited ${r.status ?? r.signal})`);
};

module.exports.electronBuildEnv = electronBuildEnv;
