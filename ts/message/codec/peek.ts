/**
 * peekHeader: the header of an encoded message without decoding its body, for routing and
 * logging. It checks the preamble and the header strings exactly as decode does, but never
 * reads the body and never verifies the checksum (that stays O(header)).
 */
import type { Result } from '../../core/result.js';
import { Header } from '../message.js';
import { decoding, peekInto } from './decode.js';
import { type CodecLimits, DEFAULT_LIMITS } from './layout.js';

/** A header read by `peekHeader`, with the delivery hints routing needs. */
export class PeekedHeader extends Header {
  /** 0 (lowest) to 10 (highest). */
  priority = 5;
  /** Time to live in ms; 0 means none. */
  ttl = 0;
  /** How many times delivery was retried. */
  retryCount = 0;
  /** Bytes of the whole message. */
  size = 0;
}

/** Reads the header of an encoded message; SERIALIZATION_ERROR when its header is malformed. */
export function peekHeader(bytes: Uint8Array, limits: CodecLimits = DEFAULT_LIMITS): Result<PeekedHeader> {
  return decoding(() => {
    const h = new PeekedHeader();
    const pre = peekInto(bytes, h, limits);
    h.priority = pre.priority;
    h.ttl = (bytes[12]! | (bytes[13]! << 8) | (bytes[14]! << 16)) + bytes[15]! * 0x1000000;
    h.retryCount = (bytes[24]! | (bytes[25]! << 8) | (bytes[26]! << 16)) + bytes[27]! * 0x1000000;
    h.size = pre.total;
    return h;
  });
}
