// @platform/db: each service owns its database. See libs/db/README.md.
export { Collection, type CollectionClass } from './collection';
export { createKnex, type DatabaseLocation, describeLocation, ensureDatabaseExists, type KnexOptions } from './connection';
export { prepareEmbeddedClusters } from './embedded-clusters';
export { type CollectionsOf, Database, databaseUrlKey, type DatabaseOptions, type DatabaseWrapper } from './database';
export { AlreadyExists, ConcurrencyConflict, isUniqueViolation, NotFound } from './errors';
export { OUTBOX_TABLE, PROCESSED_TABLE } from './framework-migrations';
export { migrate, type Migration } from './migrations';
export { OutboxDispatcher, type OutboxOptions } from './outbox';
export { UnitOfWork } from './transaction';
