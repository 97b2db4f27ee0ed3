import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CteFiscalEvents, CteSefazClient, clientOptions, openIdentity, procCTePath } from '../../../core/sefaz/index';
import { readProtCTe } from '../../../core/sefaz/cte-messages';
import { findElement } from '../../../core/sefaz/xml';
import type { Store } from '../../../core/store/open';
import { UsageError } from '../../command';
import { connectionConfig, storeFor, type Values } from '../nfe/sefaz-options';

export { SEFAZ_FLAGS, SEFAZ_USAGE, reportTransmission, requireChave } from '../nfe/sefaz-options';

export interface CteCli {
  client: CteSefazClient;
  store: Store;
  outDir: string;
  /** CNPJ of the certificate: the carrier, or the tomador for desacordo. */
  cnpj: string;
  events: CteFiscalEvents;
  close(): void;
}

/** Same flags as `comboio nfe`: certificate, environment, simulator, --out, --data. */
export function openCteCli(values: Values): CteCli {
  const cfg = connectionConfig(values);
  const { certificate, trustedCaPems } = openIdentity(cfg);
  if (!certificate.cnpj) throw new UsageError('O certificado não informa o CNPJ do titular.');
  const client = new CteSefazClient(clientOptions(cfg, certificate, trustedCaPems));
  const store = storeFor(values, client);
  const outDir = resolve(values.out ?? '.');
  return {
    client,
    store,
    outDir,
    cnpj: certificate.cnpj,
    events: new CteFiscalEvents({ store, client, outDir }),
    close() {
      client.close();
      store.close();
    },
  };
}

/** Protocol and time of the authorization: from <chave>-procCTe.xml in --out, else from SEFAZ. */
export async function authorizationOf(s: CteCli, chave: string): Promise<{ nProt: string; dhRecbto: string }> {
  const file = procCTePath(s.outDir, chave);
  if (existsSync(file)) {
    const el = findElement(readFileSync(file, 'utf8'), 'protCTe');
    const prot = el ? readProtCTe(el) : undefined;
    if (prot?.nProt && prot.dhRecbto) return { nProt: prot.nProt, dhRecbto: prot.dhRecbto };
  }
  const r = await s.client.consult(chave);
  if (!r.prot?.nProt || !r.prot.dhRecbto) throw new UsageError(`O CT-e ${chave} não está autorizado na SEFAZ (${r.cStat} ${r.xMotivo}).`);
  return { nProt: r.prot.nProt, dhRecbto: r.prot.dhRecbto };
}

export function printEvent(r: { cStat: string; xMotivo: string; nProt: string; procPath: string }): number {
  process.stdout.write(`${r.cStat} ${r.xMotivo} — protocolo ${r.nProt}\nGravado ${r.procPath}\n`);
  return 0;
}
