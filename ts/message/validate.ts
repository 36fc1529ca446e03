/**
 * Checks of header fields shared by the builder and the decoders: topics and trace ids.
 * Returns a problem text or null; never throws.
 */
import { isTraceId } from './hex.js';

/** Longest topic in UTF-8 bytes: the routing limit of the topic matcher, as AMQP routing keys. */
export const MAX_TOPIC_BYTES = 255;

/** The problem with `topic` as a routing key, or null when it is valid. */
export function validateTopic(topic: unknown): string | null {
  if (typeof topic !== 'string') return `expected a string, got ${typeof topic}`;
  if (topic.length === 0) return 'a topic is required';
  if (topic.length * 3 > MAX_TOPIC_BYTES && Buffer.byteLength(topic) > MAX_TOPIC_BYTES) {
    return `longer than ${MAX_TOPIC_BYTES} bytes`;
  }
  if (topic.indexOf('*') === -1 && topic.indexOf('#') === -1) return null;
  let start = 0;
  for (;;) {
    const end = topic.indexOf('.', start);
    const word = end === -1 ? topic.slice(start) : topic.slice(start, end);
    if (word === '*' || word === '#') return `wildcard word "${word}" in a topic (wildcards belong in subscription patterns)`;
    if (end === -1) return null;
    start = end + 1;
  }
}

/** The problem with `traceId`, or null when it is a valid W3C trace id (any case). */
export function validateTraceId(traceId: unknown): string | null {
  if (typeof traceId !== 'string') return `expected a string, got ${typeof traceId}`;
  if (!isTraceId(traceId.toLowerCase())) return `expected 32 hex characters (W3C trace id, not all zero), got "${traceId.slice(0, 40)}"`;
  return null;
}
