import type { Knex } from 'knex';
import { RateLimiterPostgres, RateLimiterSQLite, type RateLimiterAbstract } from 'rate-limiter-flexible';

/** The one place that knows SQLite from PostgreSQL. Everything else calls these helpers. */
export type Dialect = 'sqlite' | 'pg';

export function dialectOf(db: Knex): Dialect {
  return dialectOfClient(db.client);
}

/** A query builder carries the driver client itself (`qb.client`), not a Knex instance. */
function dialectOfClient(client: Knex.Client): Dialect {
  const name = String(client.config.client);
  return name === 'pg' || name === 'postgres' || name === 'postgresql' ? 'pg' : 'sqlite';
}

/** Installs triggers that make a table append-only: the database itself refuses UPDATE and DELETE. */
export async function makeAppendOnly(db: Knex, table: string): Promise<void> {
  if (dialectOf(db) === 'pg') {
    await db.raw(`CREATE OR REPLACE FUNCTION ${table}_append_only() RETURNS trigger AS $$
      BEGIN RAISE EXCEPTION '${table} is append-only'; END; $$ LANGUAGE plpgsql`);
    await db.raw(`CREATE TRIGGER ${table}_no_update BEFORE UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION ${table}_append_only()`);
    await db.raw(`CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION ${table}_append_only()`);
    return;
  }
  await db.raw(`CREATE TRIGGER ${table}_no_update BEFORE UPDATE ON ${table} BEGIN SELECT RAISE(ABORT, '${table} is append-only'); END`);
  await db.raw(`CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table} BEGIN SELECT RAISE(ABORT, '${table} is append-only'); END`);
}

export async function dropAppendOnly(db: Knex, table: string): Promise<void> {
  if (dialectOf(db) === 'pg') {
    await db.raw(`DROP TRIGGER IF EXISTS ${table}_no_update ON ${table}`);
    await db.raw(`DROP TRIGGER IF EXISTS ${table}_no_truncate ON ${table}`);
    await db.raw(`DROP FUNCTION IF EXISTS ${table}_append_only()`);
    return;
  }
  await db.raw(`DROP TRIGGER IF EXISTS ${table}_no_update`);
  await db.raw(`DROP TRIGGER IF EXISTS ${table}_no_delete`);
}

/**
 * Serialises writers of a hash chain across app instances for the rest of the transaction.
 * SQLite has one writer (and one pooled connection) already.
 */
export async function lockChain(trx: Knex.Transaction, key: number): Promise<void> {
  if (dialectOf(trx) === 'pg') await trx.raw('SELECT pg_advisory_xact_lock(?)', [key]);
}

/**
 * After rows were copied in with their ids kept, makes the next generated id follow the largest one.
 * SQLite's AUTOINCREMENT counter already follows explicit ids; a PostgreSQL sequence does not.
 */
export async function continueIdsAfterMax(db: Knex, table: string): Promise<void> {
  if (dialectOf(db) !== 'pg') return;
  await db.raw(`SELECT setval(pg_get_serial_sequence(?, 'id'), COALESCE((SELECT MAX(id) FROM ??), 0) + 1, false)`, [table, table]);
}

export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: string } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

function escapeLike(term: string): string {
  return term.replace(/[\\%_]/g, (c) => '\\' + c);
}

/** Case-insensitive "contains" over one or more columns (ILIKE on PostgreSQL, LIKE on SQLite). */
export function whereContains(qb: Knex.QueryBuilder, columns: string[], term: string): Knex.QueryBuilder {
  const pattern = `%${escapeLike(term)}%`;
  const op = dialectOfClient(qb.client) === 'pg' ? 'ILIKE' : 'LIKE';
  return qb.where((inner) => {
    for (const column of columns) inner.orWhereRaw(`?? ${op} ? ESCAPE '\\'`, [column, pattern]);
  });
}

/**
 * Whole days from one date column to a later one (to − from), as an SQL expression for a query's
 * select or where: PostgreSQL subtracts dates, SQLite counts Julian days. Columns are names in code
 * (`a.accepted_on`), never user input.
 */
export function daysBetweenSql(db: Knex, fromColumn: string, toColumn: string): string {
  for (const column of [fromColumn, toColumn]) if (!/^[a-z_]+(\.[a-z_]+)?$/.test(column)) throw new Error(`not a column name: ${column}`);
  return dialectOf(db) === 'pg' ? `(${toColumn} - ${fromColumn})` : `CAST(julianday(${toColumn}) - julianday(${fromColumn}) AS INTEGER)`;
}

/** A rate limiter whose counters live in the application database, shared by every instance. */
export function createRateLimiter(db: Knex, opts: { keyPrefix: string; points: number; durationSeconds: number }): RateLimiterAbstract {
  const common = { storeClient: db, storeType: 'knex', keyPrefix: opts.keyPrefix, points: opts.points, duration: opts.durationSeconds, tableName: 'rate_limits', tableCreated: true };
  return dialectOf(db) === 'pg' ? new RateLimiterPostgres(common) : new RateLimiterSQLite(common);
}

/**
 * Changes the declared length of a string column. PostgreSQL enforces it, so the column is altered;
 * SQLite does not, and knex would rebuild the table to alter it, which SQLite refuses inside a
 * migration's transaction while other tables' rows refer to it: there the declaration stays.
 */
export async function setStringLength(db: Knex, table: string, column: string, length: number): Promise<void> {
  if (dialectOf(db) !== 'pg') return;
  await db.schema.alterTable(table, (t) => {
    t.string(column, length).alter();
  });
}

/**
 * Drops a column. knex drops a SQLite column by rebuilding the table, which SQLite refuses inside a
 * migration's transaction while other tables' rows refer to it; SQLite's own DROP COLUMN does not.
 */
export async function dropColumn(db: Knex, table: string, column: string): Promise<void> {
  if (dialectOf(db) === 'pg') {
    await db.schema.alterTable(table, (t) => {
      t.dropColumn(column);
    });
    return;
  }
  await db.raw('ALTER TABLE ?? DROP COLUMN ??', [table, column]);
}

/**
 * Makes a column NOT NULL once every row has a value. PostgreSQL enforces it, so the column is
 * altered; SQLite could only rebuild the table, which it refuses inside a migration's transaction
 * while other tables' rows refer to it: there the column stays nullable.
 */
export async function requireValue(db: Knex, table: string, column: string): Promise<void> {
  if (dialectOf(db) !== 'pg') return;
  await db.schema.alterTable(table, (t) => {
    t.dropNullable(column);
  });
}

/** Creates the table the rate limiter library expects, in a migration. */
export async function createRateLimitTable(db: Knex): Promise<void> {
  if (dialectOf(db) === 'pg') {
    await db.schema.createTable('rate_limits', (t) => {
      t.string('key', 255).primary();
      t.integer('points').notNullable().defaultTo(0);
      t.bigInteger('expire');
    });
    return;
  }
  await db.schema.createTable('rate_limits', (t) => {
    t.text('key').primary();
    t.integer('points').notNullable().defaultTo(0);
    t.integer('expire');
  });
}

/** Online backup of the SQLite file; PostgreSQL is backed up with pg_dump instead. */
export async function backupTo(db: Knex, file: string): Promise<{ ok: true } | { ok: false; reason: 'use-pg-dump' }> {
  if (dialectOf(db) === 'pg') return { ok: false, reason: 'use-pg-dump' };
  const conn = (await db.client.acquireConnection()) as { backup(file: string): Promise<unknown> };
  try {
    await conn.backup(file);
  } finally {
    await db.client.releaseConnection(conn);
  }
  return { ok: true };
}

/**
 * Refreshes the planner's statistics for tables that just grew in bulk (an import), so that the next
 * queries are planned for the rows they now hold rather than for the empty tables of yesterday.
 */
export async function refreshStatistics(db: Knex, tables: string[]): Promise<void> {
  if (dialectOf(db) === 'pg') {
    await db.raw(`ANALYZE ${tables.map(() => '??').join(', ')}`, tables);
    return;
  }
  for (const table of tables) await db.raw('ANALYZE ??', [table]);
}

/**
 * SQL for a date column moved by a whole number of days, comparable with other date columns and
 * 'YYYY-MM-DD' bindings: date arithmetic on PostgreSQL, SQLite's date() on its text dates.
 */
export function datePlusDaysSql(db: Knex, column: string, days: number): string {
  if (!Number.isSafeInteger(days)) throw new Error(`datePlusDaysSql: not a whole number of days: ${days}`);
  if (!/^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?$/.test(column)) throw new Error(`datePlusDaysSql: not a column: ${column}`);
  return dialectOf(db) === 'pg' ? `(${column} + ${days})` : `date(${column}, '${days >= 0 ? '+' : ''}${days} days')`;
}
