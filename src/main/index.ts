import { app, BrowserWindow, ipcMain, safeStorage, shell } from 'electron';
import log from 'electron-log/main';
import { join } from 'node:path';
import { createCore, type Core } from '../core/app';
import { logsDir, startLogging, type Logging } from '../core/log/index';
import { startStationServices, type Embedded } from '../web-host/embedded';
import { dispatch } from '../core/handlers';
import { API_METHOD_NAMES } from '../shared/api/index';
import { devServerUrl, installHardening, registerAppScheme, trustedIpc } from './hardening';
import { APP_INDEX_URL, externalLinkAllowed } from './security-rules';
import { openSealKey } from './seal-key';
import { startAutoUpdates } from './updater';

// A second window would open the same SQLite files and race the print queue.
if (!app.requestSingleInstanceLock()) app.quit();
registerAppScheme();

let core: Core | null = null;
let logging: Logging | null = null;

// The main process's own trail (start, window, crashes, updates) beside the core's files.
log.transports.file.resolvePathFn = () => join(logsDir(app.getPath('userData')), 'electron-main.log');
log.transports.file.maxSize = 10 * 1024 * 1024;
log.errorHandler.startCatching({ showDialog: false });
let embedded: Embedded | null = null;

let win: BrowserWindow | null = null;

function registerIpc(c: Core): void {
  // One loop over the contract: no channel has logic of its own.
  // The window's signed-in session lives here, not in the page: the renderer never holds it.
  const sessions = new Map<number, string>();
  for (const method of API_METHOD_NAMES) {
    ipcMain.handle(`api:${method}`, async (event, params: unknown) => {
      // Only our own page (app://comboio, top frame) speaks to the core.
      if (!trustedIpc(event)) {
        log.warn(`IPC recusado de ${event.senderFrame?.url ?? 'quadro desconhecido'} (${method})`);
        return { ok: false, error: { code: 'FORBIDDEN', message: 'Origem não permitida.' } };
      }
      const session = sessions.get(event.sender.id);
      const r = await dispatch(c.handlers, method, params, { origin: 'electron', ...(session ? { session } : {}) });
      if (method === 'auth.login' && r.ok) sessions.set(event.sender.id, (r.data as { session: string }).session);
      if (method === 'auth.logout') sessions.delete(event.sender.id);
      return r;
    });
  }
  c.events.onAny((event, payload) => {
    if (win && !win.isDestroyed()) win.webContents.send('api:event', event, payload);
  });
}

function createWindow(): BrowserWindow {
  const w = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 1024,
    minHeight: 640,
    title: 'Comboio',
    show: false,
    autoHideMenuBar: true,
    webPreferences: {
      preload: join(__dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  w.once('ready-to-show', () => w.show());
  // The window only ever shows our own renderer; links open in the system browser.
  w.webContents.on('will-navigate', (event) => event.preventDefault());
  w.webContents.setWindowOpenHandler(({ url }) => {
    if (externalLinkAllowed(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  const devUrl = devServerUrl();
  void w.loadURL(devUrl ?? APP_INDEX_URL);
  return w;
}

app.on('second-instance', () => {
  if (win) {
    if (win.isMinimized()) win.restore();
    win.focus();
  }
});

app.on('web-contents-created', (_e, contents) => {
  contents.on('will-attach-webview', (event) => event.preventDefault());
});

app.whenReady().then(async () => {
  installHardening(join(__dirname, '../renderer'));
  const dataDir = app.getPath('userData');
  logging = await startLogging({ dataDir, name: 'estacao' });
  log.info(`Comboio ${app.getVersion()} iniciado (Electron ${process.versions.electron}, dados em ${dataDir})`);
  // The A1's seal key wrapped by the OS (DPAPI on Windows); file fallback without a keyring.
  const seal = openSealKey(dataDir, safeStorage);
  log.info(`chave do certificado A1: ${seal.protection}${seal.note ? ` (${seal.note})` : ''}`);
  let demo = false;
  core = createCore({
    dataDir,
    host: 'electron',
    // Packaged, drizzle/ and resources/ are found beside app.asar (core/paths.ts).
    version: app.getVersion(),
    secrets: seal.box,
    get demo() {
      return demo;
    },
    // No LAN server configured (single workstation): run one embedded, with the simulator.
    prepare: async ({ settings, runtime }) => {
      ({ embedded, demo } = await startStationServices({ dataDir, settings, runtime }));
    },
  });
  registerIpc(core);
  win = createWindow();
  await core.ready;
  startAutoUpdates(core);
});

app.on('window-all-closed', () => {
  void (async () => {
    await core?.close();
    await embedded?.close();
    await logging?.close();
  })().finally(() => app.quit());
});
