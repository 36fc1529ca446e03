/**
 * Batches of messages (u32 length + message, repeated): encoded by the TS encoder into one
 * buffer, decoded with ONE native call that validates every message completely, then read
 * lazily (bodies are decoded by JS only when read). Without the addon it falls back to the TS
 * decoder. Never returns a message whose later body access could fail.
 */
import { toMessagingError } from '../../core/errors.js';
import { nativeBinding } from '../../core/native.js';
import { type Result, err, ok } from '../../core/result.js';
import type { Message } from '../message.js';
import { decodeBatchTs, decodeValidated, decoding } from './decode.js';
import { type EncodeOptions, encodeBatchTs } from './encode.js';

const records = new Uint32Array(2 * 4096);

/** Encodes `msgs` into the batch form in one buffer. */
export function encodeBatch(msgs: readonly Message[], options?: EncodeOptions): Result<Uint8Array> {
  return encodeBatchTs(msgs, options);
}

/**
 * Decodes a batch: validated natively in one call, bodies decoded lazily on first read.
 * SERIALIZATION_ERROR names the first bad member and its offset.
 */
export function decodeBatch(bytes: Uint8Array): Result<Message[]> {
  const binding = nativeBinding();
  if (binding.isErr()) return decodeBatchTs(bytes);
  const validateBatch = binding.value.validateBatch;
  const out: Message[] = [];
  let at = 0;
  while (at < bytes.length) {
    let n: number;
    try {
      n = validateBatch(bytes, at, records);
    } catch (e) {
      return err(toMessagingError(e, 'SERIALIZATION_ERROR'));
    }
    const r = decoding(() => {
      for (let i = 0; i < n; i++) {
        out.push(decodeValidated(bytes, records[2 * i] as number, records[2 * i + 1] as number));
      }
    });
    if (r.isErr()) return err(toMessagingError(r.error, 'SERIALIZATION_ERROR'));
    at = (records[2 * n - 2] as number) + (records[2 * n - 1] as number);
  }
  return ok(out);
}
