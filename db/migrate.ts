import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import { ROOT_DIR } from '../server/config.ts';

export const MIGRATIONS_DIR = path.join(ROOT_DIR, 'db', 'migrations');

/*
 * Migrations are listed from db/migrations by file name (the names knex records) and loaded through
 * an import of that folder, which works the same under tsx and in the compiled server that `npm
 * start` runs (esbuild bundles every file the import can name).
 */
const MIGRATION_FILE = /^\d+_[^/]+(?<!\.test)\.ts$/;

/** A migration as knex's own file source describes it, so that `migrate.list()` reads the same. */
interface MigrationFile {
  file: string;
}

const migrationSource: Knex.MigrationSource<MigrationFile> = {
  getMigrations: async () => readdirSync(MIGRATIONS_DIR).filter((name) => MIGRATION_FILE.test(name)).sort().map((file) => ({ file })),
  getMigrationName: ({ file }) => file,
  getMigration: ({ file }) => import(`./migrations/${file.slice(0, -'.ts'.length)}.ts`),
};

/** Every database handle's migrator settings (createDb): `db.migrate.up()` and the rest find the migrations this way. */
export const MIGRATOR_CONFIG: Knex.MigratorConfig = { migrationSource };
const CONFIG = MIGRATOR_CONFIG;

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
