import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Knex } from 'knex';

export const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

export async function migrateLatest(db: Knex): Promise<void> {
  await db.migrate.latest({ directory: MIGRATIONS_DIR, loadExtensions: ['.ts'] });
}
