import { existsSync, readdirSync, readFileSync } from 'node:fs';
import https from 'node:https';
import { join } from 'node:path';
import { SefazErrors, sefazError } from './errors';
import { SOAP_CONTENT_TYPE, buildSoapRequest, parseSoap, wsdlNamespace, type NfeServiceName } from './soap';

/** The A1 certificate as PEM (node-forge opened the PKCS#12; Node's TLS gets PEM). */
export interface TlsIdentity {
  certPem: string;
  keyPem: string;
  chainPems?: string[];
}

export interface TransportOptions {
  identity: TlsIdentity;
  /** Roots the server certificate must chain to (ICP-Brasil, or the simulator CA). Never empty. */
  trustedCaPems: string[];
  /** Whole request deadline (connect + send + reply). */
  timeoutMs?: number;
}

export interface SoapReply {
  /** The exact text of the message inside nfeResultMsg. */
  payload: string;
  raw: string;
  elapsedMs: number;
}

/** Splits a PEM bundle into single certificates. */
export function splitPems(text: string): string[] {
  return text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g)?.map((p) => p + '\n') ?? [];
}

/**
 * Trusted roots: every PEM/CRT in the given folders (resources/icp-brasil) plus extra files
 * (the simulator's ca.pem). Node's bundled Mozilla roots are not added: SEFAZ servers chain
 * to ICP-Brasil, which Mozilla does not carry, and nothing else should be trusted.
 */
export function loadTrustedRoots(dirs: string[], files: string[] = []): string[] {
  const pems: string[] = [];
  for (const dir of dirs) {
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).sort()) {
      if (/\.(pem|crt|cer)$/i.test(name)) pems.push(...splitPems(readFileSync(join(dir, name), 'utf8')));
    }
  }
  for (const f of files) {
    if (!existsSync(f)) throw sefazError(SefazErrors.SEFAZ_TLS, `Arquivo de autoridade certificadora não encontrado: ${f}`);
    const found = splitPems(readFileSync(f, 'utf8'));
    if (found.length === 0) throw sefazError(SefazErrors.SEFAZ_TLS, `O arquivo ${f} não contém certificados PEM.`);
    pems.push(...found);
  }
  return pems;
}

const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ECONNABORTED']);

/** The client refused the server's certificate (chain, name, dates), not the other way round. */
function isServerCertError(err: NodeJS.ErrnoException): boolean {
  return /UNABLE_TO_|SELF_SIGNED|DEPTH_ZERO|CERT_HAS_EXPIRED|CERT_NOT_YET_VALID|ERR_TLS_CERT_ALTNAME|CERT_UNTRUSTED|CERT_SIGNATURE_FAILURE/.test(err.code ?? '');
}

function isTlsError(err: NodeJS.ErrnoException): boolean {
  return /SSL|TLS|CERT|SELF_SIGNED|UNABLE_TO|DEPTH_ZERO|ERR_TLS/i.test(`${err.code ?? ''} ${err.message}`);
}

/**
 * One SOAP 1.2 call over HTTPS with the A1 certificate as client certificate. The error
 * says whether the request can have reached SEFAZ: SEFAZ_UNREACHABLE and SEFAZ_TLS mean it
 * did not (safe to resend); SEFAZ_NO_REPLY means it may have (consult before resending).
 */
export class SoapTransport {
  private readonly agent: https.Agent;
  private readonly timeoutMs: number;

  constructor(opts: TransportOptions) {
    if (opts.trustedCaPems.length === 0) {
      throw sefazError(
        SefazErrors.SEFAZ_TLS,
        'Nenhuma autoridade certificadora confiável instalada (resources/icp-brasil). Reinstale o Comboio; a verificação do servidor nunca é desligada.',
      );
    }
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.agent = new https.Agent({
      keepAlive: false,
      cert: [opts.identity.certPem, ...(opts.identity.chainPems ?? [])].join(''),
      key: opts.identity.keyPem,
      ca: opts.trustedCaPems,
      rejectUnauthorized: true,
      minVersion: 'TLSv1.2',
      // TLS 1.2 (what SEFAZ requires): the server's verdict on the client certificate comes
      // inside the handshake, before any byte of the request leaves. Under 1.3 it comes after
      // the client already counts as connected, and a refusal looks like a lost reply (#22 item 25).
      maxVersion: 'TLSv1.2',
    });
  }

  async call(url: string, service: NfeServiceName, body: string): Promise<SoapReply> {
    const started = performance.now();
    const raw = await this.post(url, service, buildSoapRequest(service, body));
    const msg = parseSoap(raw);
    return { payload: msg.payload, raw, elapsedMs: performance.now() - started };
  }

  /**
   * Posts a ready SOAP 1.2 envelope and returns the raw reply text (CT-e services wrap
   * their messages in cteDadosMsg; the NF-e path above uses nfeDadosMsg).
   */
  postEnvelope(url: string, actionNamespace: string, envelope: string): Promise<string> {
    return this.post(url, actionNamespace, envelope);
  }

  private post(url: string, action: NfeServiceName | string, envelope: string): Promise<string> {
    const payload = Buffer.from(envelope, 'utf8');
    return new Promise((resolve, reject) => {
      let connected = false;
      let tcpUp = false;
      let settled = false;
      const fail = (err: unknown) => {
        if (settled) return;
        settled = true;
        reject(err);
      };
      const req = https.request(
        url,
        {
          method: 'POST',
          agent: this.agent,
          headers: {
            'Content-Type': `${SOAP_CONTENT_TYPE}; action="${action.startsWith('http') ? action : wsdlNamespace(action as NfeServiceName)}"`,
            'Content-Length': payload.length,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', (err) => fail(sefazError(SefazErrors.SEFAZ_NO_REPLY, 'A conexão com a SEFAZ caiu durante a resposta.', { cause: err })));
          res.on('end', () => {
            if (settled) return;
            const text = Buffer.concat(chunks).toString('utf8');
            const status = res.statusCode ?? 0;
            if (status !== 200 && !/Envelope/.test(text)) {
              fail(sefazError(SefazErrors.SEFAZ_HTTP, `A SEFAZ respondeu HTTP ${status} sem mensagem SOAP.`));
              return;
            }
            settled = true;
            resolve(text);
          });
        },
      );
      req.setTimeout(this.timeoutMs, () => {
        req.destroy(Object.assign(new Error('timeout'), { code: 'COMBOIO_TIMEOUT' }));
      });
      req.on('socket', (socket) => {
        socket.once('connect', () => {
          tcpUp = true;
        });
        socket.once('secureConnect', () => {
          connected = true;
        });
      });
      req.on('error', (e) => {
        const err = e as NodeJS.ErrnoException;
        if (!connected && isServerCertError(err)) {
          fail(sefazError(SefazErrors.SEFAZ_TLS, `O servidor da SEFAZ não é confiável (certificado do servidor não reconhecido pelas raízes ICP-Brasil instaladas): ${err.code ?? err.message}. Nada foi enviado.`, { cause: err }));
        } else if (!connected && (isTlsError(err) || (tcpUp && err.code !== 'COMBOIO_TIMEOUT'))) {
          // The TCP connection was up and the handshake ended: the server refused our certificate.
          fail(
            sefazError(
              SefazErrors.SEFAZ_TLS,
              `A SEFAZ recusou o certificado digital na conexão (TLS): certificado não aceito, vencido ou de cadeia não reconhecida (${err.code ?? err.message}). Nada foi enviado; confira o certificado em Administração.`,
              { cause: err },
            ),
          );
        } else if (isTlsError(err)) {
          fail(sefazError(SefazErrors.SEFAZ_TLS, `Falha de TLS com a SEFAZ: ${err.message}`, { cause: err }));
        } else if (!connected && (UNREACHABLE_CODES.has(err.code ?? '') || err.code === 'COMBOIO_TIMEOUT')) {
          fail(sefazError(SefazErrors.SEFAZ_UNREACHABLE, `SEFAZ fora do ar ou inacessível (${err.code ?? err.message}).`, { cause: err }));
        } else {
          fail(
            sefazError(
              SefazErrors.SEFAZ_NO_REPLY,
              `A SEFAZ não respondeu (${err.code === 'COMBOIO_TIMEOUT' ? 'tempo esgotado' : (err.code ?? err.message)}). O envio pode ter sido recebido: será feita consulta pela chave antes de reenviar.`,
              { cause: err },
            ),
          );
        }
      });
      req.end(payload);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
