import { createTemplate, dropTemplate } from './db.ts';

// Mocha root hooks: one migrated PostgreSQL template per run (no-op on SQLite).
export const mochaHooks = {
  async beforeAll(this: Mocha.Context) {
    this.timeout(120_000);
    await createTemplate();
  },
  async afterAll(this: Mocha.Context) {
    this.timeout(60_000);
    await dropTemplate();
  },
};
