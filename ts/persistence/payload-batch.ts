/**
 * Encodes messages with the binary codec, one by one or as a batch in one buffer, with the
 * columns the queue stores next to each payload (id, topic, priority, trace id). Each message is
 * checked against the size limit; a batch with one bad message is refused whole. It never keeps
 * a view into the codec's scratch memory: every payload is copied into a buffer it owns.
 */
import { MessagingError } from '../core/errors.js';
import { type Result, err, ok } from '../core/result.js';
import type { Message } from '../message/message.js';
import { encodeInto } from '../message/codec/encode.js';

/** The columns of a batch, ready to bind. */
export interface PayloadBatch {
  messageIds: string[];
  topics: string[];
  /** Every payload back to back. */
  blob: Buffer;
  offsets: number[];
  lengths: number[];
  priorities: number[];
  traceIds: (string | null)[];
}

/** One encoded message with its columns. */
export interface EncodedMessage {
  messageId: string;
  topic: string;
  payload: Buffer;
  priority: number;
  traceId: string | null;
}

function tooLarge(index: number, size: number, limit: number): MessagingError {
  return new MessagingError('INVALID_ARGUMENT', `message ${index} is ${size} bytes encoded, over the limit of ${limit} bytes`, {
    details: { index, size, limit },
  });
}

function checkMessage(msg: unknown, index: number): Result<Message> {
  if (!msg || typeof msg !== 'object' || !(msg as Message).header || !(msg as Message).metadata) {
    return err(new MessagingError('INVALID_ARGUMENT', `message ${index} is not a Message`, { details: { index } }));
  }
  return ok(msg as Message);
}

/** Encodes `msgs` into one buffer; INVALID_ARGUMENT naming the first message over `maxBytes`, SERIALIZATION_ERROR from the codec. */
export function encodePayloads(msgs: readonly Message[], maxBytes: number): Result<PayloadBatch> {
  let blob = Buffer.allocUnsafe(Math.max(1024, msgs.length * 256));
  let pos = 0;
  const batch: PayloadBatch = { messageIds: [], topics: [], blob, offsets: [], lengths: [], priorities: [], traceIds: [] };
  for (let i = 0; i < msgs.length; i++) {
    const checked = checkMessage(msgs[i], i);
    if (checked.isErr()) return checked;
    const msg = checked.value;
    let written = encodeInto(msg, blob, pos);
    if (written.isErr()) return written;
    if (written.value < 0) {
      const need = -written.value;
      if (need > maxBytes) return err(tooLarge(i, need, maxBytes));
      let size = blob.length * 2;
      while (size < pos + need) size *= 2;
      const next = Buffer.allocUnsafe(size);
      blob.copy(next, 0, 0, pos);
      blob = next;
      written = encodeInto(msg, blob, pos);
      if (written.isErr()) return written;
    }
    const n = written.value;
    if (n > maxBytes) return err(tooLarge(i, n, maxBytes));
    batch.offsets.push(pos);
    batch.lengths.push(n);
    pos += n;
    batch.messageIds.push(msg.header.id);
    batch.topics.push(msg.header.topic);
    batch.priorities.push(msg.metadata.priority);
    batch.traceIds.push(msg.header.traceId);
  }
  batch.blob = blob.subarray(0, pos);
  return ok(batch);
}

/** Encodes one message into a buffer of its own; INVALID_ARGUMENT when over `maxBytes`. */
export function encodeOne(msg: Message, maxBytes: number): Result<EncodedMessage> {
  const batch = encodePayloads([msg], maxBytes);
  if (batch.isErr()) return batch;
  const b = batch.value;
  return ok({
    messageId: b.messageIds[0] as string,
    topic: b.topics[0] as string,
    payload: b.blob,
    priority: b.priorities[0] as number,
    traceId: b.traceIds[0] ?? null,
  });
}

/** Joins encoded messages into the batch columns. */
export function joinPayloads(parts: readonly EncodedMessage[]): PayloadBatch {
  const offsets: number[] = [];
  const lengths: number[] = [];
  let pos = 0;
  for (const p of parts) {
    offsets.push(pos);
    lengths.push(p.payload.length);
    pos += p.payload.length;
  }
  return {
    messageIds: parts.map((p) => p.messageId),
    topics: parts.map((p) => p.topic),
    blob: Buffer.concat(parts.map((p) => p.payload), pos),
    offsets,
    lengths,
    priorities: parts.map((p) => p.priority),
    traceIds: parts.map((p) => p.traceId),
  };
}
