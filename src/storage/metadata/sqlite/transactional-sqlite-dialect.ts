import { CompiledQuery, sql, SqliteAdapter, SqliteDialect, SqliteDriver, type DatabaseConnection, type DialectAdapter, type Driver, type Kysely, type MigrationLockOptions } from 'kysely';

/**
 * SQLite can roll back DDL, but Kysely's stock adapter says it cannot, so a failed migration would leave half its
 * tables behind. This adapter runs migrations in one (immediate) transaction, which holds SQLite's write lock, so two
 * processes opening one fresh file apply each migration once; the lock row is kept up to date for readers.
 * @internal
 */
class TransactionalSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }

  override async acquireMigrationLock(db: Kysely<any>, options: MigrationLockOptions): Promise<void> {
    await sql`update ${sql.table(options.lockTable)} set is_locked = 1 where id = ${options.lockRowId}`.execute(db);
  }

  override async releaseMigrationLock(db: Kysely<any>, options: MigrationLockOptions): Promise<void> {
    await sql`update ${sql.table(options.lockTable)} set is_locked = 0 where id = ${options.lockRowId}`.execute(db);
  }
}

/**
 * Starts every transaction with BEGIN IMMEDIATE, which takes SQLite's write lock up front (waiting out the busy
 * timeout). A deferred BEGIN reads first and upgrades later, and in WAL mode that upgrade fails at once with
 * "database is locked" when another process committed in between; no busy timeout helps then.
 * @internal
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

/** Kysely's SQLite dialect with immediate transactions and transactional, locked migrations. @internal */
export class TransactionalSqliteDialect extends SqliteDialect {
  readonly #config: ConstructorParameters<typeof SqliteDialect>[0];

  constructor(config: ConstructorParameters<typeof SqliteDialect>[0]) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }

  override createAdapter(): DialectAdapter {
    return new TransactionalSqliteAdapter();
  }
}
