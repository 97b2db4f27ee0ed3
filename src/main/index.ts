import { app, BrowserWindow, ipcMain, shell } from 'electron';
import { join } from 'node:path';
import { createCore, type Core } from '../core/app';
import { dispatch } from '../core/handlers';
import { API_METHOD_NAMES } from '../shared/api/index';

// A second window would open the same SQLite files and race the print queue.
if (!app.requestSingleInstanceLock()) app.quit();

let core: Core | null = null;
let win: BrowserWindow | null = null;

function resourcePaths() {
  // Packaged: drizzle/ and resources/ ship as extraResources beside app.asar.
  if (!app.isPackaged) return {};
  return {
    migrationsDir: join(process.resourcesPath, 'drizzle'),
    resourcesDir: join(process.resourcesPath, 'resources'),
  };
}

function registerIpc(c: Core): void {
  // One loop over the contract: no channel has logic of its own.
  for (const method of API_METHOD_NAMES) {
    ipcMain.handle(`api:${method}`, (_event, params: unknown) => dispatch(c.handlers, method, params, { origin: 'electron' }));
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
    if (/^https:\/\//.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  const devUrl = process.env.ELECTRON_RENDERER_URL;
  if (!app.isPackaged && devUrl) void w.loadURL(devUrl);
  else void w.loadFile(join(__dirname, '../renderer/index.html'));
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

app.whenReady().then(() => {
  core = createCore({ dataDir: app.getPath('userData'), host: 'electron', ...resourcePaths() });
  registerIpc(core);
  win = createWindow();
});

app.on('window-all-closed', () => {
  void core?.close().finally(() => app.quit());
});
