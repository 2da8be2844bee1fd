import { sql, SqliteAdapter, SqliteDialect, type DialectAdapter, type Kysely, type MigrationLockOptions } from 'kysely';

/**
 * SQLite can roll back DDL, but Kysely's stock adapter says it cannot, so a failed migration would leave half its
 * tables behind. This adapter runs migrations in one transaction and takes the migration lock by writing the lock
 * row as the transaction's first statement: that claims SQLite's write lock (waiting out the busy timeout), so two
 * processes opening one fresh file apply each migration once.
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

/** Kysely's SQLite dialect with transactional, locked migrations. @internal */
export class TransactionalSqliteDialect extends SqliteDialect {
  override createAdapter(): DialectAdapter {
    return new TransactionalSqliteAdapter();
  }
}
