import type { Knex } from 'knex';

/*
 * Arrears owed to enterprises (清欠): the debts, their payments and reversals, repayment plans,
 * handovers of the responsible official, the one-year LPR table, clean-up campaigns and the annual
 * disclosure. What can be derived from the facts (outstanding amount, status) is stored beside them
 * and recomputed by the service after every change, so that lists can filter and page in SQL; a test
 * proves the stored values equal the pure rules. What depends on today (ageing, interest) is never stored.
 */

/**
 * The one-year loan prime rate (贷款市场报价利率) as published by the National Interbank Funding Center
 * on behalf of the People's Bank of China, from the reformed LPR's first quotation on. Admins add new ones.
 */
const ONE_YEAR_LPR: ReadonlyArray<[string, string]> = [
  ['2019-08-20', '4.25'],
  ['2019-09-20', '4.20'],
  ['2019-11-20', '4.15'],
  ['2020-02-20', '4.05'],
  ['2020-04-20', '3.85'],
  ['2021-12-20', '3.80'],
  ['2022-01-20', '3.70'],
  ['2022-08-22', '3.65'],
  ['2023-06-20', '3.55'],
  ['2023-08-21', '3.45'],
  ['2024-07-22', '3.35'],
  ['2024-10-21', '3.10'],
  ['2025-05-20', '3.00'],
];

export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('arrears', (t) => {
    t.increments('id');
    t.integer('agency_id').notNullable().references('id').inTable('agencies');
    t.integer('enterprise_id').notNullable().references('id').inTable('enterprises');
    // works | goods | services | policy_funds | deposit | other
    t.string('category', 20).notNullable();
    t.string('contract_ref', 100);
    // The date the contract was signed: the LPR in force on it is the floor of an agreed interest rate.
    t.date('contract_signed_on');
    t.bigInteger('principal_fen').notNullable();
    // Delivery, or acceptance (验收) where payment depends on it: the payment term runs from here.
    t.date('accepted_on').notNullable();
    // The agreed due date when one was agreed; null means the statutory 30 days apply.
    t.date('agreed_due_on');
    // The due date in force: agreed_due_on, or accepted_on + 30 days (rules.dueDate).
    t.date('due_on').notNullable();
    t.bigInteger('disputed_fen').notNullable().defaultTo(0);
    // Annual percentage as exact decimal text ('3.45'); null means the statutory 0.05% a day.
    t.string('agreed_annual_rate', 20);
    t.integer('commitment_id').references('id').inTable('commitments');
    t.string('responsible_official', 100);
    t.text('description').notNullable();
    // Derived and stored (see above): counted payments, what is still owed, outstanding | partly_cleared | cleared.
    t.bigInteger('paid_fen').notNullable().defaultTo(0);
    t.bigInteger('outstanding_fen').notNullable();
    t.string('status', 20).notNullable().defaultTo('outstanding');
    t.date('cleared_on');
    t.integer('created_by').references('id').inTable('users');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.index(['agency_id', 'status', 'due_on']);
    t.index(['enterprise_id', 'status']);
    t.index(['status', 'due_on']);
    t.index(['commitment_id']);
  });

  await db.schema.createTable('arrears_payments', (t) => {
    t.increments('id');
    t.integer('arrears_id').notNullable().references('id').inTable('arrears');
    t.bigInteger('amount_fen').notNullable();
    t.date('paid_on').notNullable();
    t.string('voucher_no', 100).notNullable();
    t.text('note');
    // The creditor's answer: null (not yet), confirmed, disputed.
    t.string('creditor_response', 20);
    t.text('creditor_comment');
    t.timestamp('responded_at', { useTz: true });
    t.integer('responded_by').references('id').inTable('users');
    // A disputed payment waits for the auditors: open, then upheld (counts again) or rejected (never counts).
    t.string('dispute_status', 20);
    t.text('dispute_decision_note');
    t.integer('dispute_decided_by').references('id').inTable('users');
    t.timestamp('dispute_decided_at', { useTz: true });
    t.integer('recorded_by').references('id').inTable('users');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.index(['arrears_id', 'paid_on']);
    t.index(['dispute_status']);
  });

  // A payment is never edited or deleted: a mistake is corrected by a reversing entry, at most one per payment.
  await db.schema.createTable('arrears_reversals', (t) => {
    t.increments('id');
    t.integer('payment_id').notNullable().unique().references('id').inTable('arrears_payments');
    t.date('reversed_on').notNullable();
    t.text('reason').notNullable();
    t.integer('recorded_by').references('id').inTable('users');
    t.timestamp('created_at', { useTz: true }).notNullable();
  });

  // Changes to the disputed part, each with its reason: the disputed amount of an arrears is the latest.
  await db.schema.createTable('arrears_dispute_changes', (t) => {
    t.increments('id');
    t.integer('arrears_id').notNullable().references('id').inTable('arrears');
    t.bigInteger('from_fen').notNullable();
    t.bigInteger('to_fen').notNullable();
    t.text('reason').notNullable();
    t.integer('recorded_by').references('id').inTable('users');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.index(['arrears_id']);
  });

  // A new plan supersedes the earlier one; its instalments add up to what was outstanding when it was saved.
  await db.schema.createTable('arrears_plans', (t) => {
    t.increments('id');
    t.integer('arrears_id').notNullable().references('id').inTable('arrears');
    // Counted payments when the plan was saved: instalments are measured against payments made after.
    t.bigInteger('paid_fen_at_start').notNullable();
    t.bigInteger('total_fen').notNullable();
    t.text('note');
    t.timestamp('superseded_at', { useTz: true });
    t.integer('created_by').references('id').inTable('users');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.index(['arrears_id']);
  });

  await db.schema.createTable('arrears_instalments', (t) => {
    t.increments('id');
    t.integer('plan_id').notNullable().references('id').inTable('arrears_plans');
    t.integer('seq').notNullable();
    t.date('due_on').notNullable();
    t.bigInteger('amount_fen').notNullable();
    t.unique(['plan_id', 'seq']);
    t.index(['due_on']);
  });

  await db.schema.createTable('arrears_handovers', (t) => {
    t.increments('id');
    t.integer('arrears_id').notNullable().references('id').inTable('arrears');
    t.string('from_official', 100).notNullable();
    t.string('to_official', 100).notNullable();
    t.date('handed_over_on').notNullable();
    t.text('note');
    t.integer('recorded_by').references('id').inTable('users');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.index(['arrears_id']);
  });

  await db.schema.createTable('lpr_rates', (t) => {
    t.increments('id');
    t.date('effective_on').notNullable().unique();
    // Percent a year as exact decimal text ('3.45').
    t.string('one_year_percent', 20).notNullable();
    t.integer('created_by').references('id').inTable('users');
    t.timestamp('created_at', { useTz: true }).notNullable();
  });

  await db.schema.createTable('campaigns', (t) => {
    t.increments('id');
    t.string('name', 200).notNullable();
    t.date('started_on').notNullable();
    t.date('target_on').notNullable();
    t.text('goal').notNullable();
    // Set when the baseline was frozen (on the start date, or at once when the campaign starts in the past or today).
    t.timestamp('baseline_frozen_at', { useTz: true });
    t.integer('created_by').references('id').inTable('users');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
  });

  await db.schema.createTable('campaign_agencies', (t) => {
    t.integer('campaign_id').notNullable().references('id').inTable('campaigns');
    t.integer('agency_id').notNullable().references('id').inTable('agencies');
    t.primary(['campaign_id', 'agency_id']);
  });

  // The frozen baseline: every item open at the start, with what it owed then.
  await db.schema.createTable('campaign_baseline_items', (t) => {
    t.increments('id');
    t.integer('campaign_id').notNullable().references('id').inTable('campaigns');
    t.integer('agency_id').notNullable().references('id').inTable('agencies');
    // arrears | milestone
    t.string('item_type', 20).notNullable();
    t.integer('item_id').notNullable();
    // Outstanding undisputed amount (arrears) or outstanding amount (milestone; null when it has none).
    t.bigInteger('amount_fen');
    t.unique(['campaign_id', 'item_type', 'item_id']);
    t.index(['campaign_id', 'agency_id']);
  });

  // 调度: an auditor assigns an item to an agency with a due date.
  await db.schema.createTable('campaign_assignments', (t) => {
    t.increments('id');
    t.integer('campaign_id').notNullable().references('id').inTable('campaigns');
    t.integer('agency_id').notNullable().references('id').inTable('agencies');
    t.string('item_type', 20).notNullable();
    t.integer('item_id').notNullable();
    t.date('due_on').notNullable();
    t.text('instruction').notNullable();
    t.integer('assigned_by').references('id').inTable('users');
    t.timestamp('assigned_at', { useTz: true }).notNullable();
    t.index(['campaign_id', 'agency_id']);
    t.index(['item_type', 'item_id']);
  });

  // 年度逾期未支付中小企业款项公示: one row per agency and year, computed, reviewed by the agency, published by an auditor.
  await db.schema.createTable('arrears_disclosures', (t) => {
    t.increments('id');
    t.integer('year').notNullable();
    t.integer('agency_id').notNullable().references('id').inTable('agencies');
    t.integer('overdue_count').notNullable();
    t.bigInteger('overdue_fen').notNullable();
    // draft | reviewed | published
    t.string('status', 20).notNullable().defaultTo('draft');
    t.text('review_note');
    t.integer('reviewed_by').references('id').inTable('users');
    t.timestamp('reviewed_at', { useTz: true });
    t.integer('published_by').references('id').inTable('users');
    t.timestamp('published_at', { useTz: true });
    // The Beijing date of publication: after 31 March of the following year it is late.
    t.date('published_on');
    t.timestamp('computed_at', { useTz: true }).notNullable();
    t.unique(['year', 'agency_id']);
  });

  const now = new Date().toISOString();
  await db('lpr_rates').insert(ONE_YEAR_LPR.map(([effective_on, one_year_percent]) => ({ effective_on, one_year_percent, created_at: now })));
}

export async function down(db: Knex): Promise<void> {
  for (const table of [
    'arrears_disclosures',
    'campaign_assignments',
    'campaign_baseline_items',
    'campaign_agencies',
    'campaigns',
    'lpr_rates',
    'arrears_handovers',
    'arrears_instalments',
    'arrears_plans',
    'arrears_dispute_changes',
    'arrears_reversals',
    'arrears_payments',
    'arrears',
  ]) {
    await db.schema.dropTableIfExists(table);
  }
}
