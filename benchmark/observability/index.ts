/**
 * The observability suite: log lines written to a file at info level with the trace context
 * (trace id, span id, message id, topic) against plain pino to the same kind of file, and the
 * per-message cost of metrics and trace context against the no-op variant. The subject writes
 * many lines per context; a peer starts a new context for every line (the worst case), another
 * rotates as the default configuration does (100m, daily, keep 7: the destination counts the bytes
 * it wrote, so it still rotates every 100 MiB although the file is truncated). Every measured call
 * writes its lines through to the file (flush, then truncate so the disk does not fill).
 */
import { mkdtempSync, rmSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { Comparison, Contender, Suite } from '../harness/types.js';
import { MessageBus } from '../../ts/bus/message-bus.js';
import { MessageBuilder } from '../../ts/message/builder.js';
import type { Message } from '../../ts/message/message.js';
import { createLogger, type PinoLogger } from '../../ts/observability/logger.js';
import { createMetrics, noopMetrics, type Metrics } from '../../ts/observability/metrics.js';
import { TraceContext } from '../../ts/observability/trace-context.js';
import { newTraceId } from '../../ts/observability/trace-id.js';

const LINES = 2000;
const MESSAGES = 1000;

/** One logger under test: `batch` runs the lines of one call (inside a trace context, or not). */
interface LogTarget {
  log: () => void;
  batch: (fn: () => void) => void;
  flush: () => Promise<void>;
  close: () => Promise<void>;
}

/** A sonic-boom stream as the benchmark drains it. */
type Drainable = { flush(): void; readonly _len: number; readonly _writing: boolean };

/**
 * Waits until every buffered line of a sonic-boom `stream` (plain pino) is written to the file
 * (without the fsync that its `flush(cb)` adds: loggers do not sync every line to the platter, and
 * neither does this). The messaging logger's own `flush()` waits the same way, without fsync.
 */
async function drained(stream: Drainable): Promise<void> {
  /* oxlint-disable no-underscore-dangle -- sonic-boom exposes its pending bytes only as _len/_writing */
  while (stream._len > 0 || stream._writing) {
    if (!stream._writing) stream.flush();
    await new Promise((resolve) => setImmediate(resolve));
  }
  /* oxlint-enable no-underscore-dangle */
}

/** A contender that logs LINES lines per call through `log`, then waits for the file write. */
function fileContender(
  name: string,
  open: (path: string) => Promise<LogTarget>,
): Contender {
  const dir = mkdtempSync(join(tmpdir(), 'messaging-bench-log-'));
  const path = join(dir, 'bench.log');
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  return {
    name,
    ops: LINES,
    setup: async () => {
      handle = await open(path);
    },
    fn: async () => {
      const h = handle as NonNullable<typeof handle>;
      h.batch(() => {
        for (let i = 0; i < LINES; i++) h.log();
      });
      await h.flush();
      truncateSync(path, 0);
    },
    teardown: async () => {
      await handle?.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** How the lines of one measured call meet the trace context. */
type TraceMode = 'none' | 'one context per call' | 'one context per line';

/** The default rotation of config/messaging_system.yaml. */
const DEFAULT_ROTATION = { size: '100m', frequency: 'daily', keep: 7 } as const;

function messagingLogger(path: string, mode: TraceMode, rotating = false) {
  const file = rotating ? { path, rotation: DEFAULT_ROTATION } : { path };
  return createLogger({ console: false, file, level: 'info', trace: mode !== 'none' }).then((r) => {
    const logger: PinoLogger = r.unwrap();
    const context = { traceId: newTraceId(), messageId: '01J9Z3N4W4X0M6Y2T5Q7R8S9V0', topic: 'user.events.created' };
    const fields = { subscriber: 'billing', attempt: 1 };
    const info = () => logger.info(fields, 'message handled');
    const log = mode === 'one context per line' ? () => TraceContext.run({ ...context, traceId: newTraceId() }, info) : info;
    const batch =
      mode === 'one context per call' ? (fn: () => void) => TraceContext.run(context, fn) : (fn: () => void) => fn();
    return {
      log,
      batch,
      flush: async () => void (await logger.flush()).unwrap(),
      close: async () => void (await logger.close()),
    };
  });
}

function plainPino(path: string) {
  const destination = pino.destination({ dest: path, sync: false, minLength: 2048, maxWrite: 8192 });
  const logger = pino({ level: 'info' }, destination);
  const fields = { subscriber: 'billing', attempt: 1 };
  return new Promise<LogTarget>((resolve) => {
    destination.once('ready', () =>
      resolve({
        log: () => logger.info(fields, 'message handled'),
        batch: (fn) => fn(),
        flush: () => drained(destination as unknown as Drainable),
        close: () => new Promise((done) => (destination.once('close', () => done()), destination.end())),
      }),
    );
  });
}

function logging(): Comparison {
  return {
    name: 'log lines to a file, info level',
    unit: 'line',
    subject: fileContender('messaging logger, trace context', (path) => messagingLogger(path, 'one context per call')),
    peers: [
      fileContender('messaging logger, trace context, rotating 100m/daily/keep 7', (path) =>
        messagingLogger(path, 'one context per call', true),
      ),
      fileContender('messaging logger, a new trace context per line', (path) => messagingLogger(path, 'one context per line')),
      fileContender('messaging logger, no trace context', (path) => messagingLogger(path, 'none')),
      fileContender('pino, no trace context', plainPino),
    ],
    target: { minOpsPerSec: 500_000 },
  };
}

/** What the bus records per published and delivered message. */
function record(metrics: Metrics, topic: string, traced: boolean): void {
  const cls = metrics.topicClass(topic);
  metrics.messagesPublished.inc({ class: cls });
  metrics.routingDuration.observe(0.000004);
  metrics.messagesDelivered.inc({ class: cls });
  metrics.handlingDuration.observe({ class: cls }, 0.0002);
  if (traced) TraceContext.run({ traceId: newTraceId(), topic }, () => TraceContext.current());
}

function perMessage(): Comparison {
  const enabled = createMetrics({ defaultMetrics: false }).unwrap();
  const disabled = noopMetrics();
  const topics = ['user.events.created', 'order.placed', 'billing.invoice.paid', 'user.login'];
  let n = 0;
  return {
    name: 'metrics and trace context per message',
    unit: 'msg',
    subject: {
      name: 'prom-client metrics + trace context',
      ops: MESSAGES,
      fn: () => {
        for (let i = 0; i < MESSAGES; i++) record(enabled, topics[n++ & 3] as string, true);
      },
    },
    peers: [
      {
        name: 'prom-client metrics, no trace context',
        ops: MESSAGES,
        fn: () => {
          for (let i = 0; i < MESSAGES; i++) record(enabled, topics[n++ & 3] as string, false);
        },
      },
      {
        name: 'no-op metrics, no trace context',
        ops: MESSAGES,
        fn: () => {
          for (let i = 0; i < MESSAGES; i++) record(disabled, topics[n++ & 3] as string, false);
        },
      },
    ],
  };
}

const BUS_MESSAGES = 1000;
const NOTHING = (): undefined => undefined;

/**
 * The in-process bus (publish → queue → executor → one wildcard subscriber, as the bus suite)
 * with metrics and tracing on or off. `fresh` clears every trace id before publishing, so each
 * publish draws a new one (the cost a newly built message pays once).
 */
function busContender(name: string, observed: boolean, fresh: boolean): Contender {
  const msgs: Message[] = Array.from({ length: BUS_MESSAGES }, (_, i) =>
    new MessageBuilder().topic(`orders.eu.${i % 16}.created`).source('bench').addBody('n', i).build().unwrap(),
  );
  const metrics = observed ? createMetrics({ defaultMetrics: false }).unwrap() : undefined;
  const bus = MessageBus.create({ queue: { capacity: 10_000, policy: 'block' }, tracing: observed, ...(metrics ? { metrics } : {}) }).unwrap();
  let count = 0;
  let target = 0;
  let done: () => void = NOTHING;
  return {
    name,
    ops: BUS_MESSAGES,
    setup: () => {
      bus
        .subscribe('orders.#', () => {
          if (++count === target) done();
          return undefined;
        })
        .unwrap();
      bus.start().unwrap();
    },
    fn: async () => {
      target = count + BUS_MESSAGES;
      const all = new Promise<void>((resolve) => (done = resolve));
      for (let i = 0; i < BUS_MESSAGES; i++) {
        const m = msgs[i] as Message;
        if (fresh) m.header.traceId = null;
        bus.publish(m);
      }
      await all;
    },
    teardown: async () => {
      await bus.stop();
      metrics?.close();
    },
  };
}

function busOverhead(fresh: boolean): Comparison {
  const what = fresh ? ', every message without a trace id' : '';
  return {
    name: `in-process bus throughput, metrics and tracing on vs off${what}`,
    unit: 'msg',
    subject: busContender(`MessageBus, metrics + tracing${what}`, true, fresh),
    peers: [busContender(`MessageBus, no metrics, no tracing${what}`, false, fresh)],
    target: fresh ? {} : { minRatio: { 'MessageBus, no metrics, no tracing': 0.9 } },
  };
}

export const suite: Suite = {
  name: 'observability',
  description: 'log lines to a file with trace context against plain pino; per-message metrics cost; bus throughput with metrics and tracing on vs off',
  comparisons: () => [logging(), perMessage(), busOverhead(false), busOverhead(true)],
};
