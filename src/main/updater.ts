import { app, session } from 'electron';
import log from 'electron-log/main';
// electron-updater is CommonJS; its named exports are getters the ESM loader cannot see.
import updaterPkg from 'electron-updater';
import type { Core } from '../core/app';
import { certificateMatchesPin, UPDATER_SESSION_PARTITION, updateTargetFor, type UpdateTarget } from '../core/update/feed';

const CHECK_EVERY_MS = 4 * 60 * 60 * 1000;

/**
 * Automatic updates from the office's LAN server (electron-updater, generic provider): the
 * feed is https://<servidor>:<porta>/atualizacoes/, and electron-updater's own session
 * accepts only the certificate this station pinned at enrollment (the server makes its own
 * certificate, so no CA would vouch for it). The installer is downloaded in the background,
 * checked against the sha512 in latest.yml, and installed when the app is closed.
 * Returns a function that stops the periodic check.
 */
export function startAutoUpdates(core: Core): () => void {
  if (!app.isPackaged) {
    log.info('atualizações automáticas: desligadas fora do aplicativo instalado');
    return () => undefined;
  }
  const { autoUpdater } = updaterPkg;
  autoUpdater.logger = log;
  autoUpdater.autoDownload = true;
  autoUpdater.autoInstallOnAppQuit = true;
  autoUpdater.allowDowngrade = false;
  let target: Extract<UpdateTarget, { url: string }> | null = null;
  session.fromPartition(UPDATER_SESSION_PARTITION, { cache: false }).setCertificateVerifyProc((request, callback) => {
    const t = target;
    callback(t && request.hostname === t.host && certificateMatchesPin(request.certificate.data, t.pin) ? 0 : -2);
  });
  autoUpdater.on('update-downloaded', (info) => log.info(`atualização ${info.version} baixada; será instalada ao fechar o Comboio`));
  autoUpdater.on('error', (err) => log.warn(`atualizações: ${err.message}`));
  const check = async () => {
    const t = updateTargetFor(core.runtime.lanConfig(), core.settings.get<boolean>('lan.embedded', false));
    if ('disabled' in t) {
      target = null;
      log.info(`atualizações automáticas: ${t.disabled}`);
      return;
    }
    if (target?.url !== t.url || target.pin !== t.pin) autoUpdater.setFeedURL({ provider: 'generic', url: t.url });
    target = t;
    await autoUpdater.checkForUpdates().catch((err: Error) => log.warn(`atualizações: ${err.message}`));
  };
  void check();
  const timer = setInterval(() => void check(), CHECK_EVERY_MS);
  return () => clearInterval(timer);
}
