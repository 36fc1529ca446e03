/** The broker and its client: TCP/TLS, pub/sub and request/reply over frames. */
export { MessagingServer, type MessagingServerOptions, type ServerStats, type ServerTlsOptions, type LocalHandler } from './server.js';
export { MessagingClient, parseUrl, type ClientHandler, type ClientSubscription, type ClientTlsOptions, type MessagingClientOptions } from './client.js';
export { PROTOCOL_VERSION, type ConnectOkPayload } from './protocol.js';
export type { SlowConsumerPolicy } from './session.js';
