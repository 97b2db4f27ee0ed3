import { join } from 'node:path';
import type { Clock } from '../clock';
import { loadA1, type A1Certificate } from '../fiscal/certificate';
import { SefazClient, type SefazClientOptions, type SefazMessage } from './client';
import type { Emission, SefazEnvironment, Uf } from './endpoints';
import { SefazErrors, sefazError } from './errors';
import { loadTrustedRoots } from './transport';

export interface SefazConnectionConfig {
  env: SefazEnvironment;
  uf: Uf;
  emission?: Emission;
  /** A1 certificate (PKCS#12) and its password. */
  pfx: Uint8Array;
  password: string;
  /** resources/ folder: ICP-Brasil roots shipped with the app live in resources/icp-brasil. */
  resourcesDir: string;
  /** The CA bundle `comboio setup fiscal` installed (<data>/icp-brasil), trusted as well. */
  installedCaDir?: string;
  /** Simulator only: its URL and CA (DIR/ca.pem). */
  simulatorUrl?: string;
  simulatorCaFile?: string;
  /** Emitente CNPJ: the certificate must share its base (SEFAZ rejection 213). */
  expectedCnpj?: string;
  timeoutMs?: number;
  clock?: Clock;
  onMessage?: (m: SefazMessage) => void;
}

/** The A1 (opened with node-forge) and the roots its TLS trusts: ICP-Brasil, plus the simulator CA. */
export function openIdentity(cfg: SefazConnectionConfig): { certificate: A1Certificate; trustedCaPems: string[] } {
  const certificate = loadA1(cfg.pfx, cfg.password, {
    ...(cfg.clock ? { now: cfg.clock.now() } : {}),
    ...(cfg.expectedCnpj ? { expectedCnpj: cfg.expectedCnpj } : {}),
  });
  if (cfg.env === 'simulador' && (!cfg.simulatorUrl || !cfg.simulatorCaFile)) {
    throw sefazError(SefazErrors.SEFAZ_NO_ENDPOINT, 'Para o simulador informe o endereço (--sim-url) e a AC do simulador (--sim-ca, o arquivo ca.pem da pasta do simulador).');
  }
  const dirs = [join(cfg.resourcesDir, 'icp-brasil'), ...(cfg.installedCaDir ? [cfg.installedCaDir] : [])];
  const trustedCaPems = loadTrustedRoots(dirs, cfg.env === 'simulador' ? [cfg.simulatorCaFile!] : []);
  return { certificate, trustedCaPems };
}

/** Client options shared by the NF-e and CT-e clients. */
export function clientOptions(cfg: SefazConnectionConfig, certificate: A1Certificate, trustedCaPems: string[]): SefazClientOptions {
  return {
    env: cfg.env,
    uf: cfg.uf,
    ...(cfg.emission ? { emission: cfg.emission } : {}),
    ...(cfg.simulatorUrl ? { simulatorUrl: cfg.simulatorUrl } : {}),
    certificate: { certPem: certificate.certPem, keyPem: certificate.keyPem, chainPems: certificate.chainPems },
    trustedCaPems,
    ...(cfg.timeoutMs ? { timeoutMs: cfg.timeoutMs } : {}),
    ...(cfg.clock ? { clock: cfg.clock } : {}),
    ...(cfg.onMessage ? { onMessage: cfg.onMessage } : {}),
  };
}

/**
 * Opens the A1 with node-forge (reads RC2-40 files Node's TLS cannot) and builds a client
 * whose TLS trusts only ICP-Brasil roots from resources/icp-brasil, plus the simulator CA
 * when talking to the simulator. Verification is never turned off.
 */
export function openSefazClient(cfg: SefazConnectionConfig): { client: SefazClient; certificate: A1Certificate } {
  const { certificate, trustedCaPems } = openIdentity(cfg);
  return { client: new SefazClient(clientOptions(cfg, certificate, trustedCaPems)), certificate };
}
