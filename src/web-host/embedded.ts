import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { appVersion, defaultProjectPaths } from '../core/paths';
import { loadTrustedRoots } from '../core/sefaz/transport';
import { DEMO_ESTABLISHMENT } from '../core/demo/catalog';
import { makeTestCertificate } from '../core/fiscal/certificate';
import type { NfeLayout } from '../core/fiscal/schema-validate';
import { defaultSchemasDir } from '../core/fiscal/settings';
import type { SettingsRepo } from '../core/store/settings-repo';
import type { WorkstationRuntime } from '../core/workstation/runtime';
import { schemaCheckFor } from '../sefaz-sim/schema-check';
import { startSimulator, type RunningSimulator } from '../sefaz-sim/server';
import { startLanServer, type LanServer } from '../server/index';

export const DEMO_CERT_PASSWORD = 'comboio-demo';

/** The official schema package when one can be found (COMBOIO_SCHEMAS or beside the checkout). */
function foundSchemasDir(): string | null {
  const dir = defaultSchemasDir();
  return existsSync(join(dir, 'nfe')) ? dir : null;
}

export interface Embedded {
  server: LanServer;
  simulator: RunningSimulator | null;
  close(): Promise<void>;
}

/**
 * Single-workstation default: a LAN server in this process on loopback, the SEFAZ
 * simulator and a test A1 certificate of the demo establishment, all under the data folder,
 * written into the workstation's settings so the first screen needs no configuration.
 */
export async function startEmbedded(opts: {
  dataDir: string;
  settings: SettingsRepo;
  runtime: Pick<WorkstationRuntime, 'enrollLan' | 'stationId'>;
  layout?: NfeLayout;
  skipSimulator?: boolean;
  log?: (line: string) => void;
}): Promise<Embedded> {
  let simulator: RunningSimulator | null = null;
  // One workstation's load never fills the WAL past a few MB: no 80 MB preallocation here.
  // Loopback only, so no TLS; the station still enrolls and users still sign in at it.
  const server = await startLanServer({
    dataDir: join(opts.dataDir, 'servidor-lan'),
    port: 0,
    host: '127.0.0.1',
    insecure: true,
    demoUsers: true,
    walPreallocateBytes: 0,
    version: appVersion(),
    log: opts.log ?? (() => undefined),
    // Inutilização protocols the demo gets come from the embedded simulator, signed by its CA.
    fiscalTrust: () => [...loadTrustedRoots([join(defaultProjectPaths().resourcesDir, 'icp-brasil')]), ...(simulator ? [readFileSync(simulator.caFile, 'utf8')] : [])],
  });
  opts.settings.set('lan.config', { host: '127.0.0.1', port: server.port, tls: false, workstation: '' });
  opts.settings.set('lan.embedded', true);
  const known = opts.runtime.stationId();
  if (!known || !server.ctx.stations.isActive(known)) await opts.runtime.enrollLan(server.newEnrollmentCode().code);

  ensureDemoCertificate(opts.dataDir);
  const schemasDir = opts.settings.get<{ schemasDir?: string | null }>('sefaz.config', {}).schemasDir ?? foundSchemasDir();
  if (schemasDir && !opts.skipSimulator) {
    simulator = await startSimulator({
      dataDir: join(opts.dataDir, 'sefaz-simulador'),
      port: 0,
      host: '127.0.0.1',
      schema: schemaCheckFor(schemasDir, opts.layout ?? 'PL_010_V1.30'),
      cteSchema: schemaCheckFor(schemasDir, 'PL_CTe_400'),
      // The demo A1 is self-signed: the simulator trusts it like SEFAZ trusts ICP-Brasil.
      trustedClientCaPems: [readFileSync(join(opts.dataDir, 'certificado-teste.pem'), 'utf8')],
    });
    const current = opts.settings.get<Record<string, unknown>>('sefaz.config', {});
    opts.settings.set('sefaz.config', {
      environment: 'simulador',
      uf: 'SP',
      ...current,
      simulatorUrl: simulator.url,
      simulatorCaFile: simulator.caFile,
      schemasDir,
    });
  }

  return {
    server,
    simulator,
    close: async () => {
      await simulator?.close();
      await server.close();
    },
  };
}

/** The demo certificate is made once and kept, like an installed A1. */
export function ensureDemoCertificate(dataDir: string): void {
  const certFile = join(dataDir, 'certificado-teste.pfx');
  if (existsSync(certFile)) return;
  mkdirSync(dataDir, { recursive: true });
  const cert = makeTestCertificate({ cnpj: DEMO_ESTABLISHMENT.cnpj, password: DEMO_CERT_PASSWORD, razaoSocial: DEMO_ESTABLISHMENT.razaoSocial });
  writeFileSync(join(dataDir, 'certificado-teste.pem'), cert.certPem);
  writeFileSync(certFile, cert.pfx);
}

export function readDemoCertificate(dataDir: string): Buffer {
  ensureDemoCertificate(dataDir);
  return readFileSync(join(dataDir, 'certificado-teste.pfx'));
}

/**
 * What a host runs before the core connects: nothing when the station points at an office
 * LAN server (configured, not embedded); otherwise the embedded server, the simulator and
 * the demo certificate, and the station is a demo installation.
 */
export async function startStationServices(opts: {
  dataDir: string;
  settings: SettingsRepo;
  runtime: Pick<WorkstationRuntime, 'certificateSecret' | 'storeCertificate' | 'enrollLan' | 'stationId'>;
  skipSimulator?: boolean;
}): Promise<{ embedded: Embedded | null; demo: boolean }> {
  const lan = opts.settings.get<{ host?: string }>('lan.config', {});
  if (lan.host && !opts.settings.get<boolean>('lan.embedded', false)) return { embedded: null, demo: false };
  const embedded = await startEmbedded({ dataDir: opts.dataDir, settings: opts.settings, runtime: opts.runtime, ...(opts.skipSimulator ? { skipSimulator: true } : {}) });
  if (!opts.runtime.certificateSecret()) opts.runtime.storeCertificate(readDemoCertificate(opts.dataDir), DEMO_CERT_PASSWORD);
  return { embedded, demo: true };
}
