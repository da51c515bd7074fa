import type { Knex } from 'knex';

/*
 * Enterprises report defaults (失信违诺投诉): complaint cases with working-day deadlines, their steps,
 * good/bad reviews (好差评) and appeals against them, findings of default in the agencies' government
 * credit record (政务信用记录), and the litigation appearance register (行政机关负责人出庭应诉).
 */

export async function up(db: Knex): Promise<void> {
  // The deadlines in working days, versioned: admins add a new set; each case copies the set it was opened under.
  await db.schema.createTable('complaint_deadline_sets', (t) => {
    t.increments('id');
    t.integer('accept_days').notNullable();
    t.integer('resolve_days').notNullable();
    t.integer('rectify_days').notNullable();
    t.integer('follow_up_days').notNullable();
    t.integer('auto_close_days').notNullable();
    t.text('note');
    t.integer('created_by').references('id').inTable('users');
    t.timestamp('created_at', { useTz: true }).notNullable();
  });

  await db.schema.createTable('complaints', (t) => {
    t.increments('id');
    t.integer('enterprise_id').notNullable().references('id').inTable('enterprises');
    t.integer('agency_id').notNullable().references('id').inTable('agencies');
    // The superior agency an auditor forwarded the case to: its officers see and act on it too.
    t.integer('forwarded_to_agency_id').references('id').inTable('agencies');
    // policy_not_honoured | contract_breached | arrears_unpaid | legacy_ignored | other
    t.string('category', 30).notNullable();
    t.integer('commitment_id').references('id').inTable('commitments');
    t.integer('arrears_id').references('id').inTable('arrears');
    t.text('statement').notNullable();
    t.bigInteger('amount_claimed_fen');
    // The complainant asked that the agency not see its name while the case is investigated.
    t.boolean('withhold_name').notNullable().defaultTo(false);
    // Why an auditor disclosed a withheld name to the agency (the claim could not be investigated without it).
    t.text('name_disclosed_reason');
    t.integer('name_disclosed_by').references('id').inTable('users');
    t.timestamp('name_disclosed_at', { useTz: true });
    // submitted | accepted | rejected | investigating | rectifying | resolved | closed | default_found
    t.string('status', 20).notNullable();
    t.integer('deadline_set_id').notNullable().references('id').inTable('complaint_deadline_sets');
    t.integer('accept_days').notNullable();
    t.integer('resolve_days').notNullable();
    t.integer('rectify_days').notNullable();
    t.integer('follow_up_days').notNullable();
    t.integer('auto_close_days').notNullable();
    // The dates each deadline counts from (the triggering steps, Beijing dates).
    t.date('submitted_on').notNullable();
    t.date('accepted_on');
    t.date('resolved_on');
    t.date('bad_review_on');
    t.date('rectified_on');
    t.date('followed_up_on');
    t.date('closed_on');
    // rated | unrated (closed automatically after the rating window) | rejected | default_found
    t.string('close_kind', 20);
    // The step now awaited and its due date, stored at each transition so that lists can flag and sort in SQL.
    t.string('current_step', 20);
    t.date('current_due_on');
    t.integer('created_by').references('id').inTable('users');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.index(['agency_id', 'status', 'current_due_on']);
    t.index(['forwarded_to_agency_id']);
    t.index(['enterprise_id', 'status']);
    t.index(['status', 'current_due_on']);
  });

  // Each step of a case: who, when, what was noted; files attach to a step (owner complaints.step).
  await db.schema.createTable('complaint_steps', (t) => {
    t.increments('id');
    t.integer('complaint_id').notNullable().references('id').inTable('complaints');
    t.string('action', 30).notNullable();
    t.string('from_status', 20);
    t.string('to_status', 20).notNullable();
    t.text('note');
    t.date('step_on').notNullable();
    t.integer('actor_id').references('id').inTable('users');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.index(['complaint_id', 'id']);
  });

  await db.schema.createTable('complaint_ratings', (t) => {
    t.increments('id');
    t.integer('complaint_id').notNullable().references('id').inTable('complaints');
    t.integer('round').notNullable();
    // very_satisfied | satisfied | basically_satisfied | dissatisfied | very_dissatisfied
    t.string('level', 30).notNullable();
    t.text('comment');
    t.date('rated_on').notNullable();
    t.integer('rated_by').references('id').inTable('users');
    // An auditor voided it on the agency's appeal: it stays visible, struck through, and leaves the statistics.
    t.boolean('voided').notNullable().defaultTo(false);
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.unique(['complaint_id', 'round']);
  });

  // 申诉: the agency appeals a review it thinks malicious or mistaken; an auditor upholds or voids it.
  await db.schema.createTable('complaint_appeals', (t) => {
    t.increments('id');
    t.integer('rating_id').notNullable().unique().references('id').inTable('complaint_ratings');
    t.text('reason').notNullable();
    t.integer('appealed_by').references('id').inTable('users');
    t.timestamp('appealed_at', { useTz: true }).notNullable();
    // null while pending, then upheld (the review stands) or voided
    t.string('decision', 20);
    t.text('decision_note');
    t.integer('decided_by').references('id').inTable('users');
    t.timestamp('decided_at', { useTz: true });
    t.index(['decision']);
  });

  // 政务信用记录: a finding of default against an agency, and its repair (信用修复) once it performed.
  await db.schema.createTable('credit_record_entries', (t) => {
    t.increments('id');
    t.integer('agency_id').notNullable().references('id').inTable('agencies');
    t.integer('complaint_id').references('id').inTable('complaints');
    t.integer('commitment_id').references('id').inTable('commitments');
    t.integer('arrears_id').references('id').inTable('arrears');
    t.bigInteger('amount_fen');
    t.date('found_on').notNullable();
    t.text('finding').notNullable();
    t.integer('found_by').references('id').inTable('users');
    t.date('repaired_on');
    t.text('repair_note');
    t.integer('repaired_by').references('id').inTable('users');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.index(['agency_id', 'found_on']);
  });

  // 民告官: administrative lawsuits brought by enterprises against an agency, and each hearing's appearance.
  await db.schema.createTable('litigation_cases', (t) => {
    t.increments('id');
    t.integer('agency_id').notNullable().references('id').inTable('agencies');
    t.string('case_no', 100).notNullable();
    t.string('court', 200).notNullable();
    t.string('plaintiff', 200).notNullable();
    t.integer('plaintiff_enterprise_id').references('id').inTable('enterprises');
    t.text('cause');
    t.date('filed_on').notNullable();
    t.text('outcome');
    t.date('concluded_on');
    t.integer('created_by').references('id').inTable('users');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.unique(['court', 'case_no']);
    t.index(['agency_id', 'filed_on']);
  });

  await db.schema.createTable('litigation_hearings', (t) => {
    t.increments('id');
    t.integer('case_id').notNullable().references('id').inTable('litigation_cases');
    t.date('hearing_on').notNullable();
    // Whether the agency's head (负责人) appeared (出庭) and spoke (出声); who appeared instead.
    t.boolean('head_appeared').notNullable();
    t.boolean('head_spoke').notNullable();
    t.string('head_name', 100);
    t.string('appeared_instead', 200);
    t.text('note');
    t.integer('recorded_by').references('id').inTable('users');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.index(['case_id', 'hearing_on']);
  });

  await db('complaint_deadline_sets').insert({
    accept_days: 10,
    resolve_days: 30,
    rectify_days: 15,
    follow_up_days: 5,
    auto_close_days: 15,
    note: 'defaults',
    created_at: new Date().toISOString(),
  });
}

export async function down(db: Knex): Promise<void> {
  for (const table of ['litigation_hearings', 'litigation_cases', 'credit_record_entries', 'complaint_appeals', 'complaint_ratings', 'complaint_steps', 'complaints', 'complaint_deadline_sets']) {
    await db.schema.dropTableIfExists(table);
  }
}
