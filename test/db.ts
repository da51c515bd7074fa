import { randomBytes } from 'node:crypto';
import knex, { type Knex } from 'knex';
import { createDb } from '../db/connection.ts';
import { migrateLatest } from '../db/migrate.ts';

/**
 * Test databases: an in-memory SQLite database per test file by default; with TEST_DATABASE_URL
 * (postgres://…/postgres) a fresh PostgreSQL database per file, copied from a migrated template.
 */
const PG_URL = process.env.TEST_DATABASE_URL;
const TEMPLATE = `il_template_${process.pid}`;

function pgUrlFor(database: string): string {
  const u = new URL(PG_URL!);
  u.pathname = '/' + database;
  return u.toString();
}

function adminConnection(): Knex {
  return knex({ client: 'pg', connection: PG_URL!, pool: { min: 0, max: 1 } });
}

export async function createTemplate(): Promise<void> {
  if (!PG_URL) return;
  const admin = adminConnection();
  try {
    await admin.raw(`DROP DATABASE IF EXISTS ${TEMPLATE}`);
    await admin.raw(`CREATE DATABASE ${TEMPLATE}`);
  } finally {
    await admin.destroy();
  }
  const db = createDb({ client: 'pg', connectionString: pgUrlFor(TEMPLATE) });
  try {
    await migrateLatest(db);
  } finally {
    await db.destroy();
  }
}

export async function dropTemplate(): Promise<void> {
  if (!PG_URL) return;
  const admin = adminConnection();
  try {
    await admin.raw(`DROP DATABASE IF EXISTS ${TEMPLATE}`);
  } finally {
    await admin.destroy();
  }
}

export interface TestDatabase {
  db: Knex;
  /** A DATABASE_URL for another process (a CLI run), where the database is not in this process's memory. */
  url?: string;
  drop(): Promise<void>;
}

/** A fresh database, migrated to the latest schema unless `migrated` is false (for tests of a migration). */
export async function freshDatabase({ migrated = true }: { migrated?: boolean } = {}): Promise<TestDatabase> {
  if (!PG_URL) {
    const db = createDb({ client: 'sqlite', filename: ':memory:' });
    if (migrated) await migrateLatest(db);
    return { db, drop: () => db.destroy() };
  }
  const name = `il_test_${randomBytes(6).toString('hex')}`;
  const admin = adminConnection();
  try {
    await admin.raw(migrated ? `CREATE DATABASE ${name} TEMPLATE ${TEMPLATE}` : `CREATE DATABASE ${name}`);
  } finally {
    await admin.destroy();
  }
  const db = createDb({ client: 'pg', connectionString: pgUrlFor(name) });
  return {
    db,
    url: pgUrlFor(name),
    async drop() {
      await db.destroy();
      const a = adminConnection();
      try {
        await a.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await a.destroy();
      }
    },
  };
}
