import { contextBridge, ipcRenderer } from 'electron';
import type { ApiBridge } from '../shared/api/index';
import { isApiMethod } from '../shared/api/index';

// Sandboxed, context-isolated: the page gets exactly two functions, never ipcRenderer.
const api: ApiBridge = {
  invoke(method, params) {
    if (!isApiMethod(method)) {
      return Promise.resolve({ ok: false, error: { code: 'UNKNOWN_METHOD', message: `Operação desconhecida: ${String(method)}` } });
    }
    return ipcRenderer.invoke(`api:${method}`, params);
  },
  on(event, listener) {
    const wrapped = (_e: Electron.IpcRendererEvent, name: string, payload: unknown) => {
      if (name === event) (listener as (p: unknown) => void)(payload);
    };
    ipcRenderer.on('api:event', wrapped);
    return () => ipcRenderer.removeListener('api:event', wrapped);
  },
};

contextBridge.exposeInMainWorld('api', api);
