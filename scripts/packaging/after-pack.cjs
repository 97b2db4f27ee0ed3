// electron-builder afterPack hook: refuses a package whose native binaries did not end up
// outside app.asar (they cannot be loaded from inside it).
const { existsSync, readdirSync } = require('node:fs');
const { join } = require('node:path');

const ARCHES = ['ia32', 'x64', 'armv7l', 'arm64', 'universal'];

function resourcesOf(context) {
  if (context.electronPlatformName === 'darwin') return join(context.appOutDir, `${context.packager.appInfo.productFilename}.app`, 'Contents', 'Resources');
  return join(context.appOutDir, 'resources');
}

module.exports = async function afterPack(context) {
  const unpacked = join(resourcesOf(context), 'app.asar.unpacked', 'node_modules');
  const platformArch = `${context.electronPlatformName}-${ARCHES[context.arch] ?? 'x64'}`;
  const required = [join(unpacked, 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node')];
  const prebuilds = join(unpacked, '@serialport', 'bindings-cpp', 'prebuilds', platformArch);
  const missing = required.filter((f) => !existsSync(f));
  if (!existsSync(prebuilds) || !readdirSync(prebuilds).some((f) => f.endsWith('.node'))) missing.push(`${prebuilds}/*.node`);
  if (missing.length) throw new Error(`native modules missing from app.asar.unpacked:\n  ${missing.join('\n  ')}`);
  console.log(`  • native modules unpacked for ${platformArch}`);
};
