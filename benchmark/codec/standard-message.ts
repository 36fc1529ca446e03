/**
 * The standard message of the codec benchmarks (the builder example of the C++ plan) and its
 * plain-object twin for the peers, which carry the same fields.
 */
import { type Message, MessageBuilder } from '../../ts/index.js';

export const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

/** Builds the standard message. */
export function buildStandard(): Message {
  return new MessageBuilder()
    .source('client_123')
    .target('service_xyz')
    .topic('user.events.created')
    .traceId(TRACE_ID)
    .addHeader('version', '1.0')
    .addBody('operation', 'create_user')
    .addBody('user_id', 12345)
    .priority(5)
    .ttl(30000)
    .build()
    .unwrap();
}

/** The same message as a plain object, the way msgpack and JSON users would send it. */
export function plainStandard(msg: Message) {
  const h = msg.header;
  return {
    header: {
      id: h.id,
      type: h.type,
      source: h.source,
      target: h.target,
      topic: h.topic,
      traceId: h.traceId,
      correlationId: null,
      replyTo: null,
      timestamp: h.timestamp,
      version: h.version,
      headers: { version: '1.0' },
    },
    body: { operation: 'create_user', user_id: 12345 },
    metadata: { priority: 5, ttl: 30000, retryCount: 0, values: {} },
  };
}

export type PlainMessage = ReturnType<typeof plainStandard>;

/** Reads every field of a decoded message, so lazy decoders pay for what a consumer uses. */
export function readAll(msg: Message): number {
  const h = msg.header;
  let n = h.id.length + h.source.length + h.target.length + h.topic.length + (h.traceId?.length ?? 0);
  n += h.version.length + h.timestamp + (h.headers.get('version')?.length ?? 0);
  n += (msg.body.get('operation') as string).length + (msg.body.get('user_id') as number);
  n += msg.metadata.priority + msg.metadata.ttl + msg.metadata.retryCount;
  return n;
}

/** Reads every field of a decoded plain message. */
export function readAllPlain(msg: PlainMessage): number {
  const h = msg.header;
  let n = h.id.length + h.source.length + h.target.length + h.topic.length + (h.traceId?.length ?? 0);
  n += h.version.length + h.timestamp + (h.headers.version?.length ?? 0);
  n += msg.body.operation.length + msg.body.user_id;
  n += msg.metadata.priority + msg.metadata.ttl + msg.metadata.retryCount;
  return n;
}
