/**
 * The wire protocol of the broker on top of frames (docs/WIRE_FORMAT.md section 7): protocol
 * version, control-frame payloads (JSON, small and rare) and their validation. Message frames
 * carry encoded messages untouched. Every parser here returns PROTOCOL_ERROR for bad bytes and
 * never throws.
 */
import { ErrorCode } from '../core/error-codes.js';
import { MessagingError } from '../core/errors.js';
import { type Result, err, ok } from '../core/result.js';
import { FrameKind, frame } from '../message/codec/frames.js';

/** The protocol version this build speaks. */
export const PROTOCOL_VERSION = 1;

/** CONNECT: the client's hello. */
export interface ConnectPayload {
  protocol: number;
  client?: string;
  token?: string;
}

/** CONNECT_OK: the server's answer. */
export interface ConnectOkPayload {
  protocol: number;
  server: string;
  session: number;
  inbox: string;
  heartbeatMs: number;
  maxFrame: number;
}

/** SUBSCRIBE and UNSUBSCRIBE. */
export interface SubscribePayload {
  id: number;
  pattern: string;
}

/** ACK: names what it acknowledges (`sub:<id>`, `unsub:<id>` or a message id). */
export interface AckPayload {
  ref: string;
}

/** ERROR: a MessagingError on the wire; `ref` names the request it answers, if any. */
export interface ErrorPayload {
  code: number;
  name: string;
  message: string;
  ref?: string;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** A control frame of `kind` with a JSON payload. */
export function controlFrame(kind: number, payload: object): Uint8Array {
  return frame(kind, encoder.encode(JSON.stringify(payload)));
}

/** An ERROR frame carrying `error`. */
export function errorFrame(error: MessagingError, ref?: string): Uint8Array {
  const payload: ErrorPayload = { code: error.code, name: error.codeName, message: error.message };
  if (ref !== undefined) payload.ref = ref;
  return controlFrame(FrameKind.ERROR, payload);
}

function protocolError(what: string): MessagingError {
  return new MessagingError(ErrorCode.PROTOCOL_ERROR, what);
}

type Shape = Record<string, 'string' | 'number' | 'string?' | 'number?'>;

const SHAPES = {
  [FrameKind.CONNECT]: { protocol: 'number', client: 'string?', token: 'string?' },
  [FrameKind.CONNECT_OK]: { protocol: 'number', server: 'string', session: 'number', inbox: 'string', heartbeatMs: 'number', maxFrame: 'number' },
  [FrameKind.SUBSCRIBE]: { id: 'number', pattern: 'string' },
  [FrameKind.UNSUBSCRIBE]: { id: 'number', pattern: 'string' },
  [FrameKind.ACK]: { ref: 'string' },
  [FrameKind.ERROR]: { code: 'number', name: 'string', message: 'string', ref: 'string?' },
} as const satisfies Record<number, Shape>;

/** The payload type of each control frame kind. */
export interface ControlPayloads {
  [FrameKind.CONNECT]: ConnectPayload;
  [FrameKind.CONNECT_OK]: ConnectOkPayload;
  [FrameKind.SUBSCRIBE]: SubscribePayload;
  [FrameKind.UNSUBSCRIBE]: SubscribePayload;
  [FrameKind.ACK]: AckPayload;
  [FrameKind.ERROR]: ErrorPayload;
}

/** Parses and checks the JSON payload of a control frame; PROTOCOL_ERROR names what is wrong. */
export function parseControl<K extends keyof ControlPayloads>(kind: K, bytes: Uint8Array): Result<ControlPayloads[K]> {
  let value: unknown;
  try {
    value = JSON.parse(decoder.decode(bytes));
  } catch {
    return err(protocolError(`frame kind ${kind}: payload is not UTF-8 JSON`));
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return err(protocolError(`frame kind ${kind}: payload is not a JSON object`));
  }
  const shape: Shape = SHAPES[kind];
  const record = value as Record<string, unknown>;
  for (const [key, type] of Object.entries(shape)) {
    const optional = type.endsWith('?');
    const v = record[key];
    if (v === undefined && optional) continue;
    if (typeof v !== type.replace('?', '') || (typeof v === 'number' && !Number.isFinite(v))) {
      return err(protocolError(`frame kind ${kind}: "${key}" must be a ${type.replace('?', '')}`));
    }
  }
  return ok(value as ControlPayloads[K]);
}

/** The MessagingError an ERROR payload describes. */
export function errorFromPayload(payload: ErrorPayload): MessagingError {
  const code = payload.name in ErrorCode ? (payload.name as keyof typeof ErrorCode) : 'UNKNOWN_ERROR';
  return new MessagingError(code, payload.message, { details: { remote: true, ...(payload.ref ? { ref: payload.ref } : {}) } });
}
