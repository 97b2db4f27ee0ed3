import { createReadStream, lstatSync, mkdirSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join } from 'node:path';
import { CHANNEL_FILE, isFeedFileName, UPDATES_PATH } from '../core/update/feed';

/**
 * Serves `<dir>/<file>` under /atualizacoes/ (electron-updater's generic feed) over the
 * server's HTTPS. Flat folder only: anything that is not one plain file name is a 404, so
 * nothing beside the folder (the database, the TLS key) can be reached. Ranges are not
 * offered: electron-updater then downloads the whole installer, which on a LAN is quick.
 * Returns false when the request is not for the feed.
 */
export function createUpdateFeed(dir: string, log: (line: string) => void): (req: IncomingMessage, res: ServerResponse) => boolean {
  mkdirSync(dir, { recursive: true });
  return (req, res) => {
    const path = (req.url ?? '').split('?')[0]!;
    if (!path.startsWith(UPDATES_PATH)) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' });
      res.end('Método não permitido.\n');
      return true;
    }
    let name: string;
    try {
      name = decodeURIComponent(path.slice(UPDATES_PATH.length));
    } catch {
      name = '';
    }
    const file = join(dir, name);
    let size = -1;
    if (isFeedFileName(name)) {
      try {
        const st = lstatSync(file);
        if (st.isFile()) size = st.size;
      } catch {
        // not there
      }
    }
    if (size < 0) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(name === CHANNEL_FILE ? 'Nenhuma atualização publicada neste servidor.\n' : 'Arquivo de atualização não encontrado.\n');
      return true;
    }
    res.writeHead(200, {
      'content-type': extname(name) === '.yml' ? 'text/yaml; charset=utf-8' : 'application/octet-stream',
      'content-length': size,
      'cache-control': 'no-cache',
      'accept-ranges': 'none',
    });
    if (req.method === 'HEAD') {
      res.end();
      return true;
    }
    if (name !== CHANNEL_FILE) log(`atualização: ${name} (${size} bytes) enviada para ${(req.socket.remoteAddress ?? '').replace(/^::ffff:/, '')}`);
    createReadStream(file)
      .on('error', () => res.destroy())
      .pipe(res);
    return true;
  };
}
