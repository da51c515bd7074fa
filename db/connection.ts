import { mkdirSync } from 'node:fs';
import path from 'node:path';
import knex, { type Knex } from 'knex';
import pg from 'pg';
import type { DbSettings } from '../server/config.ts';
import { MIGRATOR_CONFIG } from './migrate.ts';

// bigint (money in fen, counts) as numbers: safe up to 9e15 fen; dates as 'YYYY-MM-DD'; times as ISO UTC.
pg.types.setTypeParser(20, (v: string) => Number(v));
pg.types.setTypeParser(1082, (v: string) => v);
pg.types.setTypeParser(1184, (v: string) => new Date(v).toISOString());

/** How long a query waits for the single SQLite connection before failing instead of hanging. */
const SQLITE_ACQUIRE_TIMEOUT_MS = 5000;

export function createDb(settings: DbSettings): Knex {
  const common = { compileSqlOnError: false, migrations: MIGRATOR_CONFIG };
  if (settings.client === 'pg') {
    return knex({
      ...common,
      client: 'pg',
      connection: settings.connectionString,
      pool: {
        min: 0,
        max: 10,
        // The ledger's status subqueries look expensive to the planner, which then JIT-compiles them:
        // ~450 ms of compiling for a 100 ms query. Short interactive queries are better off without JIT.
        afterCreate(conn: { query(sql: string, cb: (err: Error | null) => void): void }, done: (err: Error | null, conn: unknown) => void) {
          conn.query('SET jit = off', (err) => done(err, conn));
        },
      },
    });
  }
  if (settings.filename !== ':memory:') mkdirSync(path.dirname(settings.filename), { recursive: true });
  return knex({
    ...common,
    client: 'better-sqlite3',
    connection: { filename: settings.filename },
    useNullAsDefault: true,
    acquireConnectionTimeout: SQLITE_ACQUIRE_TIMEOUT_MS,
    pool: {
      min: 1,
      max: 1,
      afterCreate(conn: { pragma(sql: string): unknown }, done: (err: Error | null, conn: unknown) => void) {
        conn.pragma('journal_mode = WAL');
        conn.pragma('foreign_keys = ON');
        conn.pragma('busy_timeout = 5000');
        done(null, conn);
      },
    },
  });
}
