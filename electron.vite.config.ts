import { resolve } from 'node:path';
import { defineConfig, externalizeDepsPlugin } from 'electron-vite';
import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';

// Strict CSP for the built renderer (file:// in Electron; the web host also sends it as a
// header). Only at build: the dev server injects an inline React-refresh preamble.
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
  // blob: frames are the DANFE preview's PDF, made by the page itself (#22 item 17).
  "connect-src 'self' blob:; frame-src blob:; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'";

function cspMeta(): Plugin {
  return {
    name: 'comboio-csp-meta',
    apply: 'build',
    transformIndexHtml: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CSP }, injectTo: 'head-prepend' }],
  };
}

export default defineConfig({
  // The Electron main process and the `comboio` CLI (LAN server, simulator, web host) are one
  // build: the installed app runs the CLI with its own executable (ELECTRON_RUN_AS_NODE), so
  // there is one native ABI. Commands are dynamic imports, split into chunks kept beside the
  // entries (core/paths.ts finds the app root two folders above every chunk).
  main: {
    plugins: [externalizeDepsPlugin()],
    build: {
      rollupOptions: {
        input: { index: resolve('src/main/index.ts'), cli: resolve('src/cli/main.ts') },
        output: { chunkFileNames: '[name]-[hash].js' },
      },
    },
  },
  preload: {
    plugins: [externalizeDepsPlugin({ exclude: [] })],
    // Sandboxed preloads cannot load ES modules: emit one CommonJS file.
    build: { rollupOptions: { input: { index: resolve('src/preload/index.ts') }, output: { format: 'cjs', entryFileNames: '[name].cjs' } } },
  },
  renderer: {
    root: 'src/renderer',
    base: './',
    plugins: [react(), cspMeta()],
    build: { rollupOptions: { input: { index: resolve('src/renderer/index.html') } } },
  },
});
