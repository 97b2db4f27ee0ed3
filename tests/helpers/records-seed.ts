import { expect } from 'vitest';
import { connect, enrollStation, type NumberingClient } from '../../src/core/numbering/index';
import type { JsonObject } from '../../src/core/sync/protocol';
import type { Office } from './office';

/**
 * 120 documents pushed to an office's LAN server by an enrolled "carga" station (issue #15
 * tests of the lists): 1–60 issued in the last 20 days, 61–120 two to three months ago;
 * 40, 80 and 120 to SÃO JOÃO COMBUSTÍVEIS LTDA (CNPJ 61.585.865/0001-51), the rest to Auto
 * Posto Boa Viagem. Numbers 900001–900120, série 1.
 */
const EMIT = '11222333000181';
export const chaveOf = (n: number) => `352612${EMIT}55001${String(900000 + n).padStart(9, '0')}1${String(n).padStart(8, '0')}${n % 10}`;
export const isoDaysAgo = (days: number, n: number) => {
  const d = new Date(Date.now() - days * 86_400_000);
  d.setMinutes(n % 60);
  const off = -d.getTimezoneOffset();
  const local = new Date(d.getTime() + off * 60_000).toISOString().slice(0, 19);
  const sign = off >= 0 ? '+' : '-';
  return `${local}${sign}${String(Math.floor(Math.abs(off) / 60)).padStart(2, '0')}:${String(Math.abs(off) % 60).padStart(2, '0')}`;
};

function doc(n: number, daysAgo: number, cliente: string, cnpj: string): JsonObject {
  const chave = chaveOf(n);
  return {
    id: chave, chave, model: 55, cnpj: EMIT, serie: 1, number: 900000 + n, orderId: null, cliente, clienteDocumento: cnpj,
    totalCentavos: 1000 + n, issuedAt: isoDaysAgo(daysAgo, n), status: 'autorizada', cStat: '100', xMotivo: 'Autorizado o uso da NF-e',
    nProt: `1352600000${n}`, authorizedAt: isoDaysAgo(daysAgo, n), messages: [], events: [], signedXml: `<NFe Id="NFe${chave}"/>`, procXml: null,
    imported: true, user: 'faturista', workstation: 'carga',
  };
}

export async function seedDocuments(office: Office): Promise<NumberingClient> {
  const e = await enrollStation({ url: office.lan.url, code: await office.newCode(), workstation: 'carga' });
  const feeder = connect({ url: office.lan.url, station: e.credential, pin: e.pin });
  await feeder.ready();
  const mutations = [];
  for (let n = 1; n <= 120; n++) {
    const [cliente, cnpj] = n % 40 === 0 ? ['SÃO JOÃO COMBUSTÍVEIS LTDA', '61585865000151'] : ['Auto Posto Boa Viagem', '04252011000110'];
    // 1–60 recent (inside the 30-day window), 61–120 from two months ago.
    mutations.push({ mutationId: `carga-${n}`, collection: 'documents', id: chaveOf(n), fields: doc(n, n <= 60 ? n % 20 : 60 + (n % 20), cliente, cnpj), baseSeq: 0 });
  }
  const pushed = await feeder.request<{ results: { status: string }[] }>('sync.push', { clientId: 'carga', mutations });
  expect(pushed.results.every((r) => r.status === 'applied')).toBe(true);
  return feeder;
}
