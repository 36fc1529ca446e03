/** PGlite in a data directory: what a queue acknowledged is still there after close and reopen. */
import test from 'ava';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PersistentMessageQueue } from '../ts/persistence/index.js';
import { bodyN, message } from './helpers/persistence-messages.js';

test('pglite: messages survive closing and reopening the data directory', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'messaging-pglite-'));
  try {
    const first = (await PersistentMessageQueue.open({ dataDir: dir }, { schema: 'disk' })).unwrap();
    (await first.enqueueBatch([message('disk', 1), message('disk', 2)])).unwrap();
    (await first.enqueue(message('disk', 3))).unwrap();
    const [claimed] = (await first.dequeueBatch(1)).unwrap();
    (await first.markCompleted([claimed!.id])).unwrap();
    (await first.close()).unwrap();

    const again = (await PersistentMessageQueue.open({ dataDir: dir }, { schema: 'disk' })).unwrap();
    const rest = (await again.dequeueBatch(10)).unwrap();
    t.deepEqual(rest.map((e) => bodyN(e.message)), [2, 3]);
    (await again.close()).unwrap();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
