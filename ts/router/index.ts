/** Topic routing: the native matcher and the router with priorities and filters. */
export { TopicMatcher, INVALID_TOPIC, type BatchMatch, type TopicMatcherOptions, type TopicSyntax } from './topic-matcher.js';
export {
  TopicRouter,
  Route,
  Subscription,
  type Handler,
  type HandlerResult,
  type PublishOptions,
  type PublishResult,
  type SubscribeOptions,
  type TopicRouterOptions,
} from './topic-router.js';
