import { expect } from 'chai';
import type { Express } from 'express';
import type { Knex } from 'knex';
import request from 'supertest';
import { seedDemoCore } from '../db/seeds/demo.ts';
import { freshDatabase } from '../test/db.ts';
import { DEMO_PASSWORD, testConfig } from '../test/helpers.ts';
import { SYSTEM_ACTOR } from './audit/chain.ts';
import { createApp } from './app.ts';
import { createLogger } from './logging.ts';
import { issueToken } from './features/admin/service.ts';

/** The values of the cookies a response sets that a reader of the log could replay (all but the language). */
function secretCookieValues(res: request.Response): string[] {
  const header = res.headers['set-cookie'] as unknown as string[] | undefined;
  return (header ?? [])
    .map((cookie) => cookie.split(';')[0]!.split('='))
    .filter(([name, ...value]) => name !== 'lang' && value.join('='))
    .map(([, ...value]) => value.join('='));
}

describe('the request log', () => {
  let db: Knex;
  let drop: () => Promise<void>;
  let app: Express;
  const config = testConfig({ LOG_LEVEL: 'info' });
  const lines: string[] = [];

  before(async () => {
    ({ db, drop } = await freshDatabase());
    await seedDemoCore(db, DEMO_PASSWORD);
    app = await createApp({ db, config, logger: createLogger(config, { write: (line: string) => void lines.push(line) }) });
  });
  after(() => drop());

  it('logs a sign-in without the session cookie it set', async () => {
    const agent = request.agent(app);
    const form = await agent.get('/login');
    const token = /name="_csrf" value="([^"]+)"/.exec(form.text)![1]!;
    const res = await agent.post('/login').type('form').send({ username: 'officer1', password: DEMO_PASSWORD, _csrf: token });
    expect(res.status).to.equal(303);
    const cookies = [...secretCookieValues(form), ...secretCookieValues(res)];
    expect(cookies, 'the sign-in set a session cookie').to.have.length.greaterThan(0);
    expect((await agent.get('/')).status, 'the cookie signs in').to.equal(200);

    const log = lines.join('');
    expect(log, 'the sign-in was logged').to.include('"url":"/login"');
    for (const cookie of cookies) {
      expect(log).to.not.include(cookie);
      expect(log).to.not.include(decodeURIComponent(cookie));
    }
    expect(log).to.include('[Redacted]');
  });

  it('logs an API call without its bearer token', async () => {
    const user = await db('users').where({ username: 'officer1' }).first('id');
    const { token } = await issueToken(db, SYSTEM_ACTOR, { userId: user.id, label: 'log test', days: 1 }, config);
    const res = await request(app).get('/api/v1/me').set('Authorization', `Bearer ${token}`);
    expect(res.status).to.equal(200);
    const log = lines.join('');
    expect(log).to.include('"url":"/api/v1/me"');
    expect(log).to.not.include(token);
  });
});
