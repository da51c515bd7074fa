import type { Knex } from 'knex';
import { createRateLimitTable, dropAppendOnly, makeAppendOnly } from '../dialect.ts';

export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('agencies', (t) => {
    t.increments('id');
    t.string('name', 200).notNullable().unique();
    t.string('code', 50).notNullable().unique();
    t.string('level', 20).notNullable();
    t.integer('parent_id').references('id').inTable('agencies');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
  });

  await db.schema.createTable('enterprises', (t) => {
    t.increments('id');
    t.string('name', 200).notNullable();
    t.string('credit_code', 18).notNullable().unique();
    t.string('type', 30).notNullable();
    t.string('scale', 20).notNullable();
    t.string('district', 100).notNullable().defaultTo('');
    t.string('code_exception_reason', 500);
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.index(['name']);
  });

  await db.schema.createTable('users', (t) => {
    t.increments('id');
    t.string('username', 64).notNullable().unique();
    t.string('display_name', 100).notNullable();
    t.string('password_hash', 200).notNullable();
    t.string('role', 20).notNullable();
    t.integer('agency_id').references('id').inTable('agencies');
    t.integer('enterprise_id').references('id').inTable('enterprises');
    t.boolean('must_change_password').notNullable().defaultTo(false);
    t.boolean('is_locked').notNullable().defaultTo(false);
    t.integer('failed_logins').notNullable().defaultTo(0);
    t.timestamp('locked_until', { useTz: true });
    // Bumped on password change or lock: every session that carries an older epoch is over.
    t.integer('session_epoch').notNullable().defaultTo(0);
    t.string('totp_secret', 64);
    t.boolean('totp_enabled').notNullable().defaultTo(false);
    t.text('recovery_codes');
    t.timestamp('last_login_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
  });

  await db.schema.createTable('api_tokens', (t) => {
    t.increments('id');
    t.integer('user_id').notNullable().references('id').inTable('users');
    t.string('label', 100).notNullable();
    t.string('token_hash', 64).notNullable().unique();
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('revoked_at', { useTz: true });
    t.timestamp('last_used_at', { useTz: true });
    t.integer('created_by').references('id').inTable('users');
    t.timestamp('created_at', { useTz: true }).notNullable();
  });

  await db.schema.createTable('audit_log', (t) => {
    t.increments('id');
    t.timestamp('at', { useTz: true }).notNullable();
    t.integer('actor_id');
    t.string('actor_name', 64);
    t.string('action', 64).notNullable();
    t.string('entity_type', 64).notNullable();
    t.string('entity_id', 64);
    t.text('before_json');
    t.text('after_json');
    t.string('ip', 64);
    t.string('prev_hash', 64).notNullable();
    t.string('hash', 64).notNullable();
    t.index(['entity_type', 'entity_id']);
  });
  await makeAppendOnly(db, 'audit_log');

  // The session table connect-session-knex expects.
  await db.schema.createTable('sessions', (t) => {
    t.string('sid', 255).primary();
    t.json('sess').notNullable();
    t.timestamp('expired', { useTz: true }).notNullable().index();
  });

  await createRateLimitTable(db);
}

export async function down(db: Knex): Promise<void> {
  await dropAppendOnly(db, 'audit_log');
  for (const table of ['rate_limits', 'sessions', 'audit_log', 'api_tokens', 'users', 'enterprises', 'agencies']) {
    await db.schema.dropTableIfExists(table);
  }
}
