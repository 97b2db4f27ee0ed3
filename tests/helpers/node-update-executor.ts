import type { IncomingMessage } from 'node:http';
import https from 'node:https';
import { X509Certificate } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import { ElectronHttpExecutor } from 'electron-updater/out/electronHttpExecutor';
import { certificateMatchesPin } from '../../src/core/update/feed';

/**
 * electron-updater's HTTP executor with Electron's `net` replaced by Node's https (no
 * Electron binary here). The pin check is the app's own (`certificateMatchesPin`), fed the
 * PEM of the peer certificate as Chromium's verify proc would be.
 */
export class NodeHttpsUpdateExecutor extends ElectronHttpExecutor {
  constructor(private readonly pin: string) {
    super();
  }

  override createRequest(options: Record<string, unknown>, callback: (response: IncomingMessage) => void): ReturnType<ElectronHttpExecutor['createRequest']> {
    const req = https.request({ ...options, rejectUnauthorized: false } as https.RequestOptions, callback);
    req.on('socket', (socket) => {
      const tls = socket as TLSSocket;
      const check = () => {
        const raw = tls.getPeerCertificate().raw;
        if (!raw || !certificateMatchesPin(new X509Certificate(raw).toString(), this.pin)) req.destroy(Object.assign(new Error('certificado do servidor não é o fixado'), { code: 'PIN_MISMATCH' }));
      };
      // A kept-alive socket is already past its handshake: check it now.
      if (tls.connecting || !tls.getPeerCertificate().raw) tls.once('secureConnect', check);
      else check();
    });
    // Node's ClientRequest has the events and methods builder-util-runtime uses on Electron's.
    return req as unknown as ReturnType<ElectronHttpExecutor['createRequest']>;
  }

  override addRedirectHandlers(): void {
    // The feed never redirects.
  }
}
