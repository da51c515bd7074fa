import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import knex, { type Knex } from 'knex';
import { createDb } from '../db/connection.ts';
import { migrateLatest } from '../db/migrate.ts';
import { useAuditChain } from '../server/audit/chain.ts';

/** The INTEGRITY_KEY of every test database's audit chain and of the test apps' configuration. */
export const TEST_INTEGRITY_KEY = 'test-integrity-key-'.padEnd(40, 'k');

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
  /** The audit chain's anchor file (AUDIT_ANCHOR_FILE for another process), removed with the database. */
  anchorFile: string;
  drop(): Promise<void>;
}

/** Binds the test key and an anchor file of its own to a new database, as start-up does. */
function withAuditChain(db: Knex, url: string | undefined, drop: () => Promise<void>): TestDatabase {
  const dir = mkdtempSync(path.join(tmpdir(), 'il-anchors-'));
  const anchorFile = path.join(dir, 'audit-anchors.jsonl');
  useAuditChain(db, { integrityKey: TEST_INTEGRITY_KEY, anchorFile });
  return {
    db,
    url,
    anchorFile,
    async drop() {
      await drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A fresh database with every migration applied. */
export async function freshDatabase(): Promise<TestDatabase> {
  if (!PG_URL) {
    const db = createDb({ client: 'sqlite', filename: ':memory:' });
    const test = withAuditChain(db, undefined, () => db.destroy());
    await migrateLatest(db);
    return test;
  }
  return newPgDatabase(`TEMPLATE ${TEMPLATE}`);
}

/** A fresh database without any migration, for tests that migrate step by step. */
export async function emptyDatabase(): Promise<TestDatabase> {
  if (!PG_URL) {
    const db = createDb({ client: 'sqlite', filename: ':memory:' });
    return withAuditChain(db, undefined, () => db.destroy());
  }
  return newPgDatabase('TEMPLATE template0');
}

async function newPgDatabase(template: string): Promise<TestDatabase> {
  const name = `il_test_${randomBytes(6).toString('hex')}`;
  const admin = adminConnection();
  try {
    await admin.raw(`CREATE DATABASE ${name} ${template}`);
  } finally {
    await admin.destroy();
  }
  const db = createDb({ client: 'pg', connectionString: pgUrlFor(name) });
  return withAuditChain(db, pgUrlFor(name), async () => {
    await db.destroy();
    const a = adminConnection();
    try {
      await a.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    } finally {
      await a.destroy();
    }
  });
}
