/** Messages: the model, the builder, the binary codec, the JSON form and the header peek. */
export { Header, Message, Metadata, MESSAGE_TYPES, type MessageType } from './message.js';
export { Container, ValueList, Tag, TYPE_NAMES, type ValueType, type PlainValue, type InputValue, inferTag } from './value.js';
export { MessageBuilder, type FieldProblem } from './builder.js';
export { newId, idTimestamp } from './id.js';
export { encode, encodeInto, type EncodeOptions } from './codec/encode.js';
export { decode } from './codec/decode.js';
export { encodeBatch, decodeBatch } from './codec/batch.js';
export { peekHeader, PeekedHeader } from './codec/peek.js';
export { DEFAULT_LIMITS, type CodecLimits } from './codec/layout.js';
export { toJSON, fromJSON, toJSONValue, fromJSONValue, type MessageJson, type TaggedValue } from './json.js';
export { FrameKind, FrameSplitter, writeFrame, frame, Rec, RECORD_WORDS, NO_TRACE, FRAME_HEADER_LEN, MAX_FRAME_PAYLOAD } from './codec/frames.js';
