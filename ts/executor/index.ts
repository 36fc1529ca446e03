/** Executors (inline, event loop, worker threads), typed lanes and the native bounded queue. */
export { InlineExecutor, type InlineExecutorOptions } from './inline-executor.js';
export { EventLoopExecutor, type EventLoopExecutorOptions } from './event-loop-executor.js';
export { WorkerPoolExecutor, type WorkerPoolExecutorOptions } from './worker-pool-executor.js';
export { BoundedQueue, type BoundedQueueOptions, type QueueHandle, type QueueStats } from './bounded-queue.js';
export { DEFAULT_CAPACITY, OVERFLOW_POLICIES, type OverflowPolicy, type QueueOptions } from './queue-config.js';
export { DEFAULT_LANES, type LaneOptions } from './lanes.js';
export type { TaskTable } from './job-outcome.js';
