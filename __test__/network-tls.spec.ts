import test from 'ava';
import { ErrorCode, type Message, MessagingClient } from '../ts/index.js';
import { makeCertificates } from './helpers/certificates.js';
import { msg, startServer, until } from './helpers/network.js';

const certs = makeCertificates();

test('pub/sub and request/reply over TLS with a verified server certificate', async (t) => {
  const server = await startServer({ tls: { cert: certs.serverCert, key: certs.serverKey } });
  t.true(server.url.startsWith('tls://'));
  const a = (await MessagingClient.connect(server.url, { tls: { ca: certs.ca } })).unwrap();
  const b = (await MessagingClient.connect(server.url, { tls: { ca: certs.ca } })).unwrap();
  const got: Message[] = [];
  (await b.subscribe('secure.*', (m) => {
    got.push(m);
    if (m.header.replyTo) void b.reply(m, msg('r', 99));
  })).unwrap();
  (await a.publish(msg('secure.one', 1), { ack: true })).unwrap();
  const reply = (await a.request(msg('secure.ask', 2), { timeoutMs: 3000 })).unwrap();
  t.is(reply.body.get('n'), 99);
  await until(() => got.length === 2);
  t.deepEqual(got.map((m) => m.body.get('n')), [1, 2]);
  await Promise.all([a.close(), b.close()]);
  await server.stop();
});

test('a client that does not trust the server certificate cannot connect', async (t) => {
  const server = await startServer({ tls: { cert: certs.serverCert, key: certs.serverKey } });
  const r = await MessagingClient.connect(server.url, { tls: { ca: certs.otherCa }, retryAttempts: 0 });
  t.true(r.isErr() && r.error.code === ErrorCode.NETWORK_ERROR);
  if (r.isErr()) t.regex(r.error.message, /certificate/i);
  const plain = await MessagingClient.connect(`tcp://127.0.0.1:${server.address.port}`, { retryAttempts: 0, timeoutMs: 500 });
  t.true(plain.isErr());
  await server.stop();
});

test('with client certificates required, only a client with a certificate from the CA gets in', async (t) => {
  const server = await startServer({
    tls: { cert: certs.serverCert, key: certs.serverKey, ca: certs.ca, requestClientCert: true, minVersion: 'TLSv1.2' },
  });
  const withCert = await MessagingClient.connect(server.url, { tls: { ca: certs.ca, cert: certs.clientCert, key: certs.clientKey } });
  t.true(withCert.isOk());
  const without = await MessagingClient.connect(server.url, { tls: { ca: certs.ca }, retryAttempts: 0, timeoutMs: 1000 });
  t.true(without.isErr());
  if (withCert.isOk()) await withCert.value.close();
  await server.stop();
});
