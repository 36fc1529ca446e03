/** Helpers of the network specs: a started broker, raw sockets, waiting for a condition. */
import { connect, type Socket } from 'node:net';
import { MessageBuilder, type Message, MessagingServer, type MessagingServerOptions } from '../../ts/index.js';

/** A broker on a free loopback port. */
export async function startServer(options: MessagingServerOptions = {}): Promise<MessagingServer> {
  const server = new MessagingServer({ port: 0, ...options });
  (await server.start()).unwrap();
  return server;
}

/** A message on `topic` with `n` in its body. */
export function msg(topic: string, n = 1): Message {
  return new MessageBuilder().topic(topic).source('test').addBody('n', n).build().unwrap();
}

/** Resolves when `check` holds, or rejects after `ms`. */
export async function until(check: () => boolean, ms = 3000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A raw socket to the broker that records what it receives and whether it closed. */
export async function rawSocket(port: number): Promise<{ socket: Socket; received: () => Buffer; closed: () => boolean }> {
  const socket = connect({ host: '127.0.0.1', port });
  const chunks: Buffer[] = [];
  let closed = false;
  socket.on('data', (c) => chunks.push(c));
  socket.on('close', () => {
    closed = true;
  });
  socket.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('error', reject);
  });
  return { socket, received: () => Buffer.concat(chunks), closed: () => closed };
}

/** The kinds and JSON payloads of the control frames in `bytes`. */
export function controlFrames(bytes: Buffer): { kind: number; json: Record<string, unknown> | null }[] {
  const out: { kind: number; json: Record<string, unknown> | null }[] = [];
  for (let at = 0; at + 5 <= bytes.length; ) {
    const len = bytes.readUInt32LE(at);
    const kind = bytes[at + 4] as number;
    const payload = bytes.subarray(at + 5, at + 5 + len);
    let json: Record<string, unknown> | null = null;
    try {
      json = JSON.parse(payload.toString());
    } catch {
      json = null;
    }
    out.push({ kind, json });
    at += 5 + len;
  }
  return out;
}

/** A CONNECT frame of protocol 1. */
export function connectFrame(): Buffer {
  const payload = Buffer.from(JSON.stringify({ protocol: 1, client: 'raw' }));
  const head = Buffer.alloc(5);
  head.writeUInt32LE(payload.length);
  head[4] = 1;
  return Buffer.concat([head, payload]);
}
