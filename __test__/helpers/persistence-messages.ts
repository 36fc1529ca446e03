/** Messages for the durable-queue tests, usable from child processes too (no test runner here). */
import { MessageBuilder, type Message } from '../../ts/index.js';

/** A valid message on `topic` with body `{ n }`. */
export function message(topic: string, n: number, priority = 5): Message {
  return new MessageBuilder().topic(topic).priority(priority).addBody('n', n).build().unwrap();
}

/** The body value `n` of a message built by `message`. */
export function bodyN(msg: Message): number {
  const value = msg.body.get('n');
  return typeof value === 'bigint' ? Number(value) : (value as number);
}

/** Waits `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
