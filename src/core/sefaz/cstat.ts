/**
 * What a cStat means for the document (FISCAL.md "Web services 4.00"). One place decides,
 * so the outbox, the events and the CLI never disagree about a code.
 */
export type CStatClass =
  | 'authorized' // 100, 150
  | 'cancelled' // 101, 151, 155
  | 'denied' // 110, 301, 302, 303, 205: number consumed for good
  | 'received' // 103: lote received, poll the receipt
  | 'processed' // 104: lote processed, per-document results inside
  | 'processing' // 105: still in processing, poll after tMed
  | 'receiptNotFound' // 106
  | 'serviceOk' // 107
  | 'serviceStopped' // 108, 109: nothing was processed
  | 'duplicate' // 204: this very key is already in SEFAZ
  | 'numberTaken' // 539: same number, different key
  | 'notFound' // 217
  | 'throttled' // 656: consumo indevido, back off
  | 'eventRegistered' // 135, 136
  | 'inutilizado' // 102
  | 'rejected';

const TABLE: Record<string, CStatClass> = {
  '100': 'authorized',
  '150': 'authorized',
  '101': 'cancelled',
  '151': 'cancelled',
  '155': 'cancelled',
  '110': 'denied',
  '205': 'denied',
  '301': 'denied',
  '302': 'denied',
  '303': 'denied',
  '103': 'received',
  '104': 'processed',
  '105': 'processing',
  '106': 'receiptNotFound',
  '107': 'serviceOk',
  '108': 'serviceStopped',
  '109': 'serviceStopped',
  '204': 'duplicate',
  '539': 'numberTaken',
  '217': 'notFound',
  '656': 'throttled',
  '135': 'eventRegistered',
  '136': 'eventRegistered',
  '102': 'inutilizado',
};

export function classifyCStat(cStat: string): CStatClass {
  return TABLE[cStat] ?? 'rejected';
}

/** Codes after which the same request may be sent again later without harm. */
export function isTransient(cStat: string): boolean {
  const c = classifyCStat(cStat);
  return c === 'serviceStopped' || c === 'throttled';
}
