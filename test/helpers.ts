import type { Express } from 'express';
import type { Knex } from 'knex';
import request from 'supertest';
import { expect } from 'chai';
import { seedDemoCore } from '../db/seeds/demo.ts';
import { createApp } from '../server/app.ts';
import { loadConfig, type Config } from '../server/config.ts';
import type { Clock } from '../server/domain/clock.ts';
import { TEST_CLOCK } from './factories.ts';
import { freshDatabase } from './db.ts';

export const DEMO_PASSWORD = 'Demo#2026pass';

/** A test's app and database; with its clock it is also what the use cases take (UseCaseContext). */
export interface TestContext {
  app: Express;
  db: Knex;
  clock: Clock;
  config: Config;
  close(): Promise<void>;
}

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({ NODE_ENV: 'test', SESSION_SECRET: 'test-secret-'.padEnd(40, 'x'), DEMO_PASSWORD, LOG_LEVEL: 'silent', ...overrides });
}

/** A fresh database with the demo agencies, enterprises and accounts, and an app on it. */
export async function startTestApp(options: { env?: Record<string, string>; seed?: (db: Knex) => Promise<void>; clock?: Clock } = {}): Promise<TestContext> {
  const { db, drop } = await freshDatabase();
  await seedDemoCore(db, DEMO_PASSWORD);
  if (options.seed) await options.seed(db);
  const config = testConfig(options.env);
  const clock = options.clock ?? TEST_CLOCK;
  const app = await createApp({ db, config, clock });
  return { app, db, clock, config, close: drop };
}

/** The CSRF token of the agent's session, read from a page's form as a browser would. */
export async function csrfFrom(agent: request.Agent, path = '/login'): Promise<string> {
  const res = await agent.get(path);
  const m = /name="_csrf" value="([^"]+)"/.exec(res.text);
  if (!m) throw new Error(`no CSRF token on ${path} (status ${res.status})`);
  return m[1]!;
}

export async function signIn(app: Express, username: string, password = DEMO_PASSWORD): Promise<request.Agent> {
  const agent = request.agent(app);
  const token = await csrfFrom(agent, '/login');
  const res = await agent.post('/login').type('form').send({ username, password, _csrf: token });
  expect(res.status, `sign-in of ${username}: ${res.text.slice(0, 300)}`).to.be.oneOf([302, 303]);
  return agent;
}

/** Posts a form with the agent's current CSRF token, read from `formPage`. */
export async function postForm(agent: request.Agent, formPage: string, action: string, fields: Record<string, unknown>) {
  const token = await csrfFrom(agent, formPage);
  return agent.post(action).type('form').send({ ...fields, _csrf: token });
}

export async function idOf(db: Knex, table: string, where: Record<string, unknown>): Promise<number> {
  const row = await db(table).where(where).first('id');
  if (!row) throw new Error(`no ${table} row for ${JSON.stringify(where)}`);
  return row.id;
}
