import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  // Years whose State Council arrangement an admin loaded; they take the place of the package's copy.
  await db.schema.createTable('calendar_years', (t) => {
    t.integer('year').primary();
    // The notice it comes from, e.g. 国办发明电〔2026〕7号.
    t.string('source', 200).notNullable();
    t.integer('loaded_by').references('id').inTable('users');
    t.timestamp('loaded_at', { useTz: true }).notNullable();
  });

  // The holidays and adjusted working days (调休上班) of those arrangements.
  await db.schema.createTable('calendar_days', (t) => {
    t.increments('id');
    // The arrangement the day belongs to: a notice may place days in the December before its year.
    t.integer('year').notNullable().references('year').inTable('calendar_years');
    t.date('date').notNullable().unique();
    // holiday | workday
    t.string('kind', 10).notNullable();
    t.string('name', 50).notNullable();
    t.integer('created_by').references('id').inTable('users');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.index(['year']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTableIfExists('calendar_days');
  await db.schema.dropTableIfExists('calendar_years');
}
