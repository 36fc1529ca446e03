/**
 * What the main thread and the workers of a WorkerPoolExecutor share: the layout of the
 * control and slot words in SharedArrayBuffers and the workerData shape. Only constants and
 * types live here; nothing runs.
 */
import type { QueueHandle } from './bounded-queue.js';

/** Control words (Int32Array over `control`). */
export const CTL_SEQ = 0; // bumped after every push of jobs; idle workers wait on it
export const CTL_SLEEPERS = 1; // workers waiting on CTL_SEQ
export const CTL_STOP = 2; // 1 = finish and exit
export const CTL_NOTIFY = 3; // 1 = the main thread was told results are waiting
export const CTL_WORDS = 4;

/** Slot words of one worker (Int32Array over its `slot`). */
export const SLOT_CURRENT = 0; // id of the job running synchronously now
export const SLOT_BUSY = 1; // 1 while a job runs synchronously
export const SLOT_COUNT = 2; // jobs taken in the current batch and not yet reported
export const SLOT_IDS = 3; // ids of those jobs
/** Words of a slot for a batch of `batchSize` jobs. */
export function slotWords(batchSize: number): number {
  return SLOT_IDS + batchSize;
}

/** workerData of a pool worker. */
export interface PoolWorkerData {
  /** URL of the task module. */
  module: string;
  /** The job queues this worker serves, highest priority first, with their lane index. */
  lanes: { index: number; queue: QueueHandle }[];
  /** Where results go. */
  results: QueueHandle;
  control: SharedArrayBuffer;
  slot: SharedArrayBuffer;
  batchSize: number;
  /** Workers sharing the queues (each takes at most 1/share of a backlog). */
  share: number;
  /** Aging of lower lanes in ms (0 = strict priority). */
  agingMs: number;
  /** How long an idle worker sleeps before it looks at the stop flag again (ms). */
  idleWaitMs: number;
}

/** Messages from a worker to the main thread. */
export type PoolWorkerMessage =
  | { type: 'ready'; tasks: string[] }
  | { type: 'load-error'; message: string }
  | { type: 'results' };
