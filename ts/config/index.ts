/** Configuration: the schema, the loader with env and --set overrides, provenance, and the file watch. */
export { CONFIG_SCHEMA, LIVE_KEYS } from './schema.js';
export type {
  BackpressureConfig,
  ConfigEntry,
  ConfigIssue,
  ConfigSource,
  LoadedConfig,
  LoggingConfig,
  MessagingSystemConfig,
  MonitoringConfig,
  PoolConfig,
  TlsConfig,
} from './types.js';
export {
  DEFAULT_CONFIG_PATH,
  configError,
  configIssues,
  type LoadConfigOptions,
  defaultConfig,
  formatEffectiveConfig,
  loadConfig,
  loadConfigWithSources,
  maskUrlPassword,
  parseConfig,
} from './load-config.js';
export { ENV_PREFIX, envOverrides, envVariableName } from './env-overrides.js';
export { setOverrides } from './set-overrides.js';
export { type Override, parseOverrideValue } from './overrides.js';
export { didYouMean, levenshtein } from './did-you-mean.js';
export {
  type ConfigChange,
  type ConfigChangeEvent,
  type ConfigWatcher,
  type WatchOptions,
  diffConfig,
  isLiveKey,
  watchForChanges,
} from './watch.js';
