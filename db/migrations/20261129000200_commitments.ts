import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('commitments', (t) => {
    t.increments('id');
    t.string('kind', 20).notNullable();
    t.string('title', 300).notNullable();
    t.string('reference_no', 100).notNullable();
    t.integer('agency_id').notNullable().references('id').inTable('agencies');
    t.integer('enterprise_id').references('id').inTable('enterprises');
    t.text('basis');
    t.date('signed_on').notNullable();
    t.bigInteger('amount_fen').notNullable().defaultTo(0);
    t.string('responsible_official', 100).notNullable();
    t.boolean('is_public').notNullable().defaultTo(false);
    t.date('terminated_on');
    t.text('termination_reason');
    t.integer('created_by').references('id').inTable('users');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.unique(['agency_id', 'reference_no']);
    t.index(['enterprise_id']);
    t.index(['kind']);
  });

  await db.schema.createTable('milestones', (t) => {
    t.increments('id');
    t.integer('commitment_id').notNullable().references('id').inTable('commitments');
    t.integer('seq').notNullable();
    t.string('description', 500).notNullable();
    t.date('due_on').notNullable();
    t.bigInteger('amount_fen');
    // pending | partial | fulfilled | waived | breached — recomputed by the service from the facts below;
    // "overdue" is never stored: it depends on today's date.
    t.string('status', 20).notNullable().defaultTo('pending');
    t.date('completed_on');
    t.text('breach_findings');
    t.date('breached_on');
    t.integer('breached_by').references('id').inTable('users');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
    // Per-commitment lookups of open and overdue milestones (the list's status and next due date).
    t.index(['commitment_id', 'status', 'due_on']);
    t.index(['status', 'due_on']);
  });

  await db.schema.createTable('fulfilments', (t) => {
    t.increments('id');
    t.integer('milestone_id').notNullable().references('id').inTable('milestones');
    t.date('fulfilled_on').notNullable();
    t.text('note').notNullable();
    t.bigInteger('amount_fen');
    t.boolean('completes').notNullable().defaultTo(false);
    // The counterparty's answer: null (not yet), confirmed, partly, not_at_all.
    t.string('enterprise_response', 20);
    t.text('enterprise_comment');
    t.timestamp('responded_at', { useTz: true });
    // A disputed fulfilment waits for the auditors: open, then upheld (counts) or rejected (does not).
    t.string('dispute_status', 20);
    t.text('dispute_decision_note');
    t.integer('dispute_decided_by').references('id').inTable('users');
    t.timestamp('dispute_decided_at', { useTz: true });
    t.integer('recorded_by').references('id').inTable('users');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.index(['milestone_id']);
    t.index(['dispute_status']);
  });

  await db.schema.createTable('waivers', (t) => {
    t.increments('id');
    t.integer('milestone_id').notNullable().references('id').inTable('milestones');
    t.text('reason').notNullable();
    t.integer('requested_by').references('id').inTable('users');
    t.timestamp('requested_at', { useTz: true }).notNullable();
    // pending | confirmed | refused
    t.string('decision', 20).notNullable().defaultTo('pending');
    t.text('decision_note');
    t.integer('decided_by').references('id').inTable('users');
    t.timestamp('decided_at', { useTz: true });
    t.index(['milestone_id']);
    t.index(['decision']);
  });

  await db.schema.createTable('handovers', (t) => {
    t.increments('id');
    t.integer('commitment_id').notNullable().references('id').inTable('commitments');
    t.string('from_official', 100).notNullable();
    t.string('to_official', 100).notNullable();
    t.date('handed_over_on').notNullable();
    t.text('note');
    t.integer('recorded_by').references('id').inTable('users');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.index(['commitment_id']);
  });

  // Evidence bytes are stored once per content (SHA-256), so one database backup holds everything.
  await db.schema.createTable('evidence_blobs', (t) => {
    t.string('sha256', 64).primary();
    t.string('mime', 100).notNullable();
    t.bigInteger('size').notNullable();
    t.binary('data').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable();
  });

  await db.schema.createTable('evidence_files', (t) => {
    t.increments('id');
    t.string('sha256', 64).notNullable().references('sha256').inTable('evidence_blobs');
    t.string('original_name', 255).notNullable();
    t.integer('commitment_id').notNullable().references('id').inTable('commitments');
    // fulfilment | waiver | breach
    t.string('owner_type', 20).notNullable();
    t.integer('owner_id').notNullable();
    t.integer('uploaded_by').references('id').inTable('users');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.index(['owner_type', 'owner_id']);
    t.index(['commitment_id']);
  });

  // Background imports: the file and the progress live in the database, so any instance can run or show them.
  await db.schema.createTable('import_jobs', (t) => {
    t.increments('id');
    t.integer('agency_id').notNullable().references('id').inTable('agencies');
    t.integer('user_id').notNullable().references('id').inTable('users');
    t.string('filename', 255).notNullable();
    t.string('format', 10).notNullable();
    t.binary('data');
    // queued | validating | importing | done | failed
    t.string('status', 20).notNullable().defaultTo('queued');
    t.integer('total_rows').notNullable().defaultTo(0);
    t.integer('rows_checked').notNullable().defaultTo(0);
    t.integer('rows_imported').notNullable().defaultTo(0);
    t.integer('commitments_created').notNullable().defaultTo(0);
    t.integer('milestones_created').notNullable().defaultTo(0);
    // The first MAX_REPORTED_ERRORS problems ({ row, column, key, params }) and how many there were in all.
    t.text('errors_json');
    t.integer('error_count').notNullable().defaultTo(0);
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('started_at', { useTz: true });
    // Written as the worker makes progress: a running job whose heartbeat stops (a crashed instance) is taken up again.
    t.timestamp('heartbeat_at', { useTz: true });
    t.timestamp('finished_at', { useTz: true });
    t.index(['status']);
    t.index(['agency_id', 'created_at']);
  });
}

export async function down(db: Knex): Promise<void> {
  for (const table of ['import_jobs', 'evidence_files', 'evidence_blobs', 'handovers', 'waivers', 'fulfilments', 'milestones', 'commitments']) {
    await db.schema.dropTableIfExists(table);
  }
}
