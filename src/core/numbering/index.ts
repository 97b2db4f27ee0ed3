/**
 * Client API of the LAN server (numbering and order locks) for core handlers:
 *
 *   const { credential, pin } = await enrollStation({ url, code, workstation });  // once
 *   const server = connect({ url, station: credential, pin, userToken });
 *   server.on('state', ({ state }) => statusBar(state));
 *   const info = await server.suggest(series);                 // non-binding próximo número
 *   const lock = await server.lock(orderId, 'NF');             // or { granted: false, holder: {ip, user, workstation, since} }
 *   const n = await server.allocate({ series, orderId, suggested: info.nextNumber, lockToken: lock.token });
 *   await server.updateState({ series, number: n.number, state: 'authorized', detail: nProt });
 *   await server.unlock(orderId);
 */
import { NumberingClient, type NumberingClientOptions } from './client';

export { NumberingClient, connectUser, enrollStation, signInAtServer, type ClientEvents, type ConnectionState, type Enrollment, type NumberingClientOptions } from './client';
export * from './protocol';

/** Opens (and keeps reconnecting) a connection to the LAN server. Await `ready()` if needed. */
export function connect(opts: NumberingClientOptions): NumberingClient {
  return new NumberingClient(opts);
}
