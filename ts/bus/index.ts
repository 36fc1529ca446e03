/** The message bus: publish, subscribe, request/reply over a bounded queue and an executor. */
export { MessageBus, type MessageBusOptions, type BusStats, type RequestOptions } from './message-bus.js';
export { MessageQueue, type MessageQueueCounters } from './message-queue.js';
