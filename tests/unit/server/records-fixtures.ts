import type { JsonObject } from '../../../src/core/sync/protocol';

/** Documents as the workstation stores them (issue #15 tests). */
const EMIT = '11222333000181';

export function chaveOf(n: number, model = 55, serie = 1, tpEmis = 1, aamm = '2612'): string {
  const body = `35${aamm}${EMIT}${model}${String(serie).padStart(3, '0')}${String(n).padStart(9, '0')}${tpEmis}${String(n).padStart(8, '0')}`;
  return `${body}${n % 10}`;
}

export function docRecord(n: number, over: Partial<JsonObject> = {}): JsonObject {
  const chave = chaveOf(n);
  return {
    id: chave,
    chave,
    model: 55,
    cnpj: EMIT,
    serie: 1,
    number: n,
    orderId: null,
    cliente: 'Posto Central Ltda',
    clienteDocumento: '04252011000110',
    totalCentavos: 100 * n,
    issuedAt: `2026-12-${String(1 + (n % 28)).padStart(2, '0')}T10:${String(n % 60).padStart(2, '0')}:00-03:00`,
    status: 'autorizada',
    cStat: '100',
    xMotivo: 'Autorizado o uso da NF-e',
    nProt: `13526000000${n}`,
    authorizedAt: '2026-12-01T10:00:05-03:00',
    messages: [],
    events: [],
    signedXml: `<NFe><infNFe Id="NFe${chave}">${'x'.repeat(200)}</infNFe></NFe>`,
    procXml: null,
    imported: false,
    user: 'ana',
    workstation: 'FAT01',
    ...over,
  };
}
