/**
 * The codec suite: build, encode, decode-then-read-every-field of the standard message, against
 * msgpackr (plain and records), @msgpack/msgpack and JSON, in one process.
 */
import { decode as msgpackDecode, encode as msgpackEncode } from '@msgpack/msgpack';
import { Packr } from 'msgpackr';
import { FrameKind, FrameSplitter, decode, decodeBatch, encode, encodeBatch, frame, peekHeader } from '../../ts/index.js';
import type { Comparison, Suite } from '../harness/types.js';
import { type PlainMessage, buildStandard, plainStandard, readAll, readAllPlain } from './standard-message.js';

const N = 1000;
const BATCH = 1000;
const CHUNK = 64 * 1024;

/** A 64 KiB chunk of whole PUBLISH frames of the standard message, as a socket would deliver. */
function frameChunk(bytes: Uint8Array): Uint8Array {
  const one = frame(FrameKind.PUBLISH, bytes);
  const count = Math.floor(CHUNK / one.length);
  const chunk = new Uint8Array(count * one.length);
  for (let i = 0; i < count; i++) chunk.set(one, i * one.length);
  return chunk;
}

function comparisons(): Comparison[] {
  const msg = buildStandard();
  const plain = plainStandard(msg);
  const packr = new Packr({ useRecords: false });
  const recordPackr = new Packr({ useRecords: true });
  const encoded = encode(msg).unwrap();
  const packed = packr.pack(plain);
  const recordPacked = recordPackr.pack(plain);
  const msgpacked = msgpackEncode(plain);
  const json = JSON.stringify(plain);
  let sink = 0;
  const loop = (fn: () => number) => () => {
    for (let i = 0; i < N; i++) sink += fn();
    return sink;
  };
  return [
    {
      name: 'build the standard message',
      unit: 'msg',
      subject: { name: 'MessageBuilder', ops: N, fn: loop(() => buildStandard().metadata.priority) },
      peers: [{ name: 'object literal (plain twin)', ops: N, fn: loop(() => plainStandard(msg).metadata.priority) }],
      target: { minOpsPerSec: 5e6 },
    },
    {
      name: 'encode the standard message',
      unit: 'msg',
      subject: { name: 'messaging encode (TS)', ops: N, fn: loop(() => encode(msg).unwrap().length) },
      peers: [
        { name: 'msgpackr pack', ops: N, fn: loop(() => packr.pack(plain).length) },
        { name: 'msgpackr records pack', ops: N, fn: loop(() => recordPackr.pack(plain).length) },
        { name: '@msgpack/msgpack encode', ops: N, fn: loop(() => msgpackEncode(plain).length) },
        { name: 'JSON.stringify', ops: N, fn: loop(() => JSON.stringify(plain).length) },
      ],
      target: { minOpsPerSec: 2e6, minRatio: { 'msgpackr pack': 1.5 } },
    },
    {
      name: 'decode and read every field',
      unit: 'msg',
      subject: { name: 'messaging decode (TS)', ops: N, fn: loop(() => readAll(decode(encoded).unwrap())) },
      peers: [
        { name: 'msgpackr unpack', ops: N, fn: loop(() => readAllPlain(packr.unpack(packed) as PlainMessage)) },
        { name: 'msgpackr records unpack', ops: N, fn: loop(() => readAllPlain(recordPackr.unpack(recordPacked) as PlainMessage)) },
        { name: '@msgpack/msgpack decode', ops: N, fn: loop(() => readAllPlain(msgpackDecode(msgpacked) as PlainMessage)) },
        { name: 'JSON.parse', ops: N, fn: loop(() => readAllPlain(JSON.parse(json) as PlainMessage)) },
      ],
      target: { minOpsPerSec: 2e6, minRatio: { 'msgpackr unpack': 1.5 } },
    },
    ...batchComparisons(msg, plain, packr),
    frameComparison(encoded),
  ];
}

function batchComparisons(msg: ReturnType<typeof buildStandard>, plain: PlainMessage, packr: Packr): Comparison[] {
  const msgs = Array.from({ length: BATCH }, () => msg);
  const plains = Array.from({ length: BATCH }, () => plain);
  const batch = encodeBatch(msgs).unwrap();
  const packedArray = packr.pack(plains);
  let sink = 0;
  return [
    {
      name: `encode a batch of ${BATCH}`,
      unit: 'msg',
      subject: { name: 'encodeBatch (TS, one buffer)', ops: BATCH, fn: () => (sink += encodeBatch(msgs).unwrap().length) },
      peers: [{ name: 'msgpackr pack(array)', ops: BATCH, fn: () => (sink += packr.pack(plains).length) }],
      target: { minOpsPerSec: 5e6 },
    },
    {
      name: `decode a batch of ${BATCH} (header read, body lazy)`,
      unit: 'msg',
      subject: {
        name: 'decodeBatch (native validate, lazy body)',
        ops: BATCH,
        fn: () => {
          for (const m of decodeBatch(batch).unwrap()) sink += m.header.topic.length;
          return sink;
        },
      },
      peers: [
        {
          name: 'msgpackr unpack(array)',
          ops: BATCH,
          fn: () => {
            for (const m of packr.unpack(packedArray) as PlainMessage[]) sink += m.header.topic.length;
            return sink;
          },
        },
      ],
      target: { minOpsPerSec: 5e6 },
    },
    {
      name: `decode a batch of ${BATCH} and read every field`,
      unit: 'msg',
      subject: {
        name: 'decodeBatch + read all',
        ops: BATCH,
        fn: () => {
          for (const m of decodeBatch(batch).unwrap()) sink += readAll(m);
          return sink;
        },
      },
      peers: [
        {
          name: 'msgpackr unpack(array) + read all',
          ops: BATCH,
          fn: () => {
            for (const m of packr.unpack(packedArray) as PlainMessage[]) sink += readAllPlain(m);
            return sink;
          },
        },
      ],
    },
  ];
}

function frameComparison(encoded: Uint8Array): Comparison {
  const chunk = frameChunk(encoded);
  const splitter = new FrameSplitter();
  let sink = 0;
  return {
    name: 'split a 64 KiB chunk into frames and peek their headers',
    unit: 'byte',
    subject: {
      name: 'FrameSplitter (one native call)',
      ops: chunk.length,
      fn: () => {
        splitter.push(chunk);
        for (let n = splitter.next().unwrap(); n > 0; n = splitter.next().unwrap()) sink += n;
        return sink;
      },
    },
    peers: [
      {
        name: 'TS loop: length prefix + peekHeader',
        ops: chunk.length,
        fn: () => {
          for (let at = 0; at < chunk.length; ) {
            const len = chunk[at]! | (chunk[at + 1]! << 8) | (chunk[at + 2]! << 16) | (chunk[at + 3]! << 24);
            sink += peekHeader(chunk.subarray(at + 5, at + 5 + len)).unwrap().priority;
            at += 5 + len;
          }
          return sink;
        },
      },
    ],
    target: { minOpsPerSec: 1e9 },
  };
}

export const suite: Suite = {
  name: 'codec',
  description: 'the standard message: build, encode, decode and read',
  comparisons,
};
