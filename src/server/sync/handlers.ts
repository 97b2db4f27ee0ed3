import { invalidInput } from '../../core/errors';
import { isFieldName } from '../../core/sync/json';
import { COLLECTION_RE, MAX_ID_LENGTH, SyncMessageTypes, type JsonObject, type RecordKey, type WireMutation } from '../../core/sync/protocol';
import type { HandlerMap } from '../context';
import { int, obj, str, type Obj } from '../validate';
import type { SyncEngine } from './engine';

const MAX_MUTATIONS_PER_PUSH = 1000;

/** Message handlers of the change feed; every field is checked before the engine sees it. */
export function syncHandlers(engine: SyncEngine): HandlerMap {
  return {
    [SyncMessageTypes.info]: () => engine.info(),

    [SyncMessageTypes.snapshot]: (data) => {
      const o = obj(data);
      const after = o.after === undefined || o.after === null ? null : recordKey(obj(o.after, 'after'), 'after');
      return engine.snapshot({
        startSeq: int(o, 'startSeq', { optional: true }),
        after,
        limit: int(o, 'limit', { min: 1, max: 10_000, optional: true }),
      });
    },

    [SyncMessageTypes.pull]: (data) => {
      const o = obj(data);
      return engine.pull({ since: int(o, 'since', {}), limit: int(o, 'limit', { min: 1, max: 10_000, optional: true }) });
    },

    [SyncMessageTypes.push]: (data, session) => {
      const o = obj(data);
      const clientId = str(o, 'clientId', { max: 100 });
      if (!Array.isArray(o.mutations)) throw invalidInput('O campo "mutations" deve ser uma lista.', 'mutations');
      if (o.mutations.length > MAX_MUTATIONS_PER_PUSH) {
        throw invalidInput(`No máximo ${MAX_MUTATIONS_PER_PUSH} alterações por envio.`, 'mutations');
      }
      const mutations = o.mutations.map((m, i) => mutation(m, `mutations[${i}]`));
      return engine.push(clientId, mutations, { ...session.actor, source: 'workstation' });
    },

    [SyncMessageTypes.history]: (data) => engine.history(recordKey(obj(data), 'data')),
  };
}

function recordKey(o: Obj, field: string): RecordKey {
  const collection = str(o, 'collection', { max: 63 });
  if (!COLLECTION_RE.test(collection)) {
    throw invalidInput(`Nome de coleção inválido em "${field}.collection": letras minúsculas, números e hífens.`, `${field}.collection`);
  }
  // Ids are compared byte for byte: no trimming (str() trims, so read it raw).
  const id = o.id;
  if (typeof id !== 'string' || id.length === 0 || id.length > MAX_ID_LENGTH) {
    throw invalidInput(`O campo "${field}.id" deve ser texto de 1 a ${MAX_ID_LENGTH} caracteres.`, `${field}.id`);
  }
  return { collection, id };
}

function mutation(value: unknown, field: string): WireMutation {
  const o = obj(value, field);
  const mutationId = str(o, 'mutationId', { max: 100 });
  const key = recordKey(o, field);
  const baseSeq = int(o, 'baseSeq', {});
  const isDelete = o.delete === true;
  let fields: JsonObject | undefined;
  if (!isDelete) {
    if (typeof o.fields !== 'object' || o.fields === null || Array.isArray(o.fields)) {
      throw invalidInput(`O campo "${field}.fields" deve ser um objeto com os campos alterados.`, `${field}.fields`);
    }
    fields = o.fields as JsonObject;
    const bad = Object.keys(fields).find((k) => !isFieldName(k));
    if (bad !== undefined) throw invalidInput(`Nome de campo inválido em "${field}.fields": "${bad.slice(0, 100)}".`, `${field}.fields`);
  }
  const m: WireMutation = { mutationId, ...key, baseSeq, delete: isDelete };
  if (fields) m.fields = fields;
  const user = str(o, 'user', { max: 100, optional: true });
  if (user !== undefined) m.user = user;
  const at = str(o, 'at', { max: 40, optional: true });
  if (at !== undefined) m.at = at;
  return m;
}
