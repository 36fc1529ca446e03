import { registerMigrationSuite } from './helpers/persistence-migrations-suite.js';
import { registerQueueSuite } from './helpers/persistence-queue-suite.js';

registerQueueSuite('pglite');
registerMigrationSuite('pglite');
