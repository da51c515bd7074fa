import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Knex } from 'knex';

export const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

const CONFIG = { directory: MIGRATIONS_DIR, loadExtensions: ['.ts'] };

export async function migrateLatest(db: Knex): Promise<void> {
  await db.migrate.latest(CONFIG);
}

/** Runs the pending migrations up to and including `name` (a file name in db/migrations), for tests of a data migration. */
export async function migrateUpTo(db: Knex, name: string): Promise<void> {
  const [, pending] = (await db.migrate.list(CONFIG)) as [unknown, Array<{ file: string }>];
  const index = pending.findIndex((m) => m.file === name);
  if (index === -1) throw new Error(`migration ${name} is not pending`);
  for (let i = 0; i <= index; i++) await db.migrate.up(CONFIG);
}
