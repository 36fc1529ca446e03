import test from 'ava';
import { ErrorCode, type Executor, ServiceRegistry } from '../ts/index.js';

test('register then resolve returns the same instance', (t) => {
  const registry = new ServiceRegistry();
  const io = { name: 'io' } as unknown as Executor;
  t.true(registry.register('io', io).isOk());
  const resolved = registry.resolve<Executor>('io');
  t.true(resolved.isOk() && resolved.value === io);
  t.true(registry.has('io'));
  t.deepEqual(registry.names(), ['io']);
});

test('a second register under the same name is ALREADY_EXISTS', (t) => {
  const registry = new ServiceRegistry();
  registry.register('work', 1);
  const again = registry.register('work', 2);
  t.true(again.isErr() && again.error.code === ErrorCode.ALREADY_EXISTS);
  t.is(registry.resolve<number>('work').unwrap(), 1);
  registry.replace('work', 3);
  t.is(registry.resolve<number>('work').unwrap(), 3);
});

test('resolving an unknown name is NOT_FOUND and lists what is registered', (t) => {
  const registry = new ServiceRegistry();
  registry.register('io', 1);
  const missing = registry.resolve('logger');
  t.true(missing.isErr());
  if (missing.isErr()) {
    t.is(missing.error.code, ErrorCode.NOT_FOUND);
    t.regex(missing.error.message, /"logger".*registered: io/);
  }
  t.true(registry.unregister('io').isOk());
  t.true(registry.unregister('io').isErr());
  t.true(registry.register('', 1).isErr());
});
