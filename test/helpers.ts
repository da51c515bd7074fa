import type { Express } from 'express';
import type { Knex } from 'knex';
import request from 'supertest';
import { expect } from 'chai';
import { pino, type Logger } from 'pino';
import { seedDemoCore } from '../db/seeds/demo.ts';
import { createApp } from '../server/app.ts';
import { loadConfig, type Config } from '../server/config.ts';
import type { Clock } from '../server/domain/clock.ts';
import { TEST_CLOCK } from './factories.ts';
import { FEATURES } from '../server/features/index.ts';
import { runQueuedJobs } from '../server/jobs/runner.ts';
import { freshDatabase, TEST_INTEGRITY_KEY } from './db.ts';

export const DEMO_PASSWORD = 'Demo#2026pass';

/** A test's app and database; with its clock it is also what the use cases take (UseCaseContext). */
export interface TestContext {
  app: Express;
  db: Knex;
  clock: Clock;
  config: Config;
  /** The audit chain's anchor file of this database. */
  anchorFile: string;
  close(): Promise<void>;
}

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({ NODE_ENV: 'test', SESSION_SECRET: 'test-secret-'.padEnd(40, 'x'), INTEGRITY_KEY: TEST_INTEGRITY_KEY, DEMO_PASSWORD, LOG_LEVEL: 'silent', ...overrides });
}

/** A fresh database with the demo agencies, enterprises and accounts, and an app on it. */
export async function startTestApp(options: { env?: Record<string, string>; seed?: (db: Knex) => Promise<void>; clock?: Clock } = {}): Promise<TestContext> {
  const { db, drop, anchorFile } = await freshDatabase();
  await seedDemoCore(db, DEMO_PASSWORD);
  if (options.seed) await options.seed(db);
  const config = testConfig(options.env);
  const clock = options.clock ?? TEST_CLOCK;
  const app = await createApp({ db, config, clock });
  return { app, db, clock, config, anchorFile, close: drop };
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

/** A logger that keeps what it is given (warnings and worse), for tests that read the log. */
export function capturingLogger(): { logger: Logger; entries: Array<{ level: number; msg: string; err?: { message: string; stack: string }; [field: string]: unknown }> } {
  const entries: Array<{ level: number; msg: string }> = [];
  const logger = pino({ level: 'warn' }, { write: (line: string) => void entries.push(JSON.parse(line)) });
  return { logger, entries };
}

/**
 * Runs every due background job of every feature, as an app instance's runner would. A job that
 * fails unexpectedly fails the test with the logged cause, instead of only leaving a failed job.
 */
export async function runJobs(db: Knex, options: { clock?: Clock } = {}): Promise<number> {
  const { logger, entries } = capturingLogger();
  const ran = await runQueuedJobs({ db, logger, clock: options.clock ?? TEST_CLOCK, kinds: FEATURES.flatMap((f) => f.jobs ?? []) });
  const errors = entries.filter((e) => e.level >= 50);
  if (errors.length) throw new Error(`a job failed unexpectedly:\n${errors.map((e) => e.err?.stack ?? e.msg).join('\n')}`);
  return ran;
}

/** An upload form's address as its page writes it: the CSRF token in the URL, because the body is read only after the check. */
export function uploadUrl(action: string, token: string): string {
  return `${action}?_csrf=${encodeURIComponent(token)}`;
}
