// electron-builder beforePack hook: rebuilds the native modules (better-sqlite3, serialport)
// for the Electron version and target arch being packaged, so the installed app never ships a
// binary built for Node's ABI (it would crash at start). A failed rebuild fails the build.
//
// @electron/rebuild 4 declares Node >= 22.12 but needs only import.meta.dirname (20.11),
// util.styleText (20.12) and require(esm) (20.19, unflagged): it runs on the Node 20.19+ that
// `engines` asks for (see README, "Empacotamento").
const { existsSync, readFileSync } = require('node:fs');
const { join } = require('node:path');

// @thiagoelg/node-printer (Windows spooler) is optional: rebuilt where it is installed.
const NATIVE = ['better-sqlite3', '@serialport/bindings-cpp', '@thiagoelg/node-printer'];
const ARCHES = ['ia32', 'x64', 'armv7l', 'arm64', 'universal'];

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
  const { rebuild } = await import('@electron/rebuild');
  await rebuild({ buildPath: projectDir, electronVersion, arch, platform: context.electronPlatformName, onlyModules: modules, force: true, mode: 'sequential' });
};
