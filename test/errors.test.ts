import { expect } from 'chai';
import request from 'supertest';
import { capturingLogger, signIn, startTestApp, type TestContext } from './helpers.ts';
import { createApp } from '../server/app.ts';

/** Error answers: a page in the reader's language whatever failed, and the API's JSON envelope. */
describe('error answers', () => {
  let ctx: TestContext;
  before(async () => {
    ctx = await startTestApp();
  });
  after(() => ctx.close());

  it('renders the error page in the reader’s language for a body refused before the page knew its user (413)', async () => {
    const res = await request(ctx.app).post('/login?lang=en').type('form').send({ username: 'x'.repeat(2 * 1024 * 1024), password: 'y' });
    expect(res.status).to.equal(413);
    expect(res.headers['content-type']).to.match(/^text\/html/);
    expect(res.text).to.include('<html lang="en">');
    expect(res.text).to.include('What you sent is too large.');
  });

  it('renders the error page in the reader’s language when the session store fails, logs the cause and keeps running', async () => {
    const { logger, entries } = capturingLogger();
    const app = await createApp({ db: ctx.db, config: ctx.config, clock: ctx.clock, logger });
    const agent = await signIn(app, 'officer1');
    // An unhandled rejection stops a Node process (mocha only reports it): the store must not leave one.
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    const mochaListeners = process.listeners('unhandledRejection');
    process.removeAllListeners('unhandledRejection');
    process.on('unhandledRejection', onUnhandled);
    await ctx.db.schema.renameTable('sessions', 'sessions_away');
    try {
      const res = await agent.get('/?lang=en');
      expect(res.status).to.equal(500);
      expect(res.headers['content-type']).to.match(/^text\/html/);
      expect(res.text).to.include('<html lang="en">');
      expect(res.text).to.include('Something went wrong on our side');
      expect(res.text).to.not.include('sessions');
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      await ctx.db.schema.renameTable('sessions_away', 'sessions');
      process.off('unhandledRejection', onUnhandled);
      for (const listener of mochaListeners) process.on('unhandledRejection', listener);
    }
    expect(unhandled.map((r) => (r as Error).message)).to.deep.equal([]);
    expect(entries.some((e) => e.msg === 'request failed' && /sessions/.test(e.err?.message ?? ''))).to.equal(true);
    expect((await agent.get('/')).status, 'the session is there again').to.equal(200);
  });

  describe('on the API', () => {
    it('answers 405 with the methods a path takes, in the JSON error shape, to OPTIONS and to any other wrong method', async () => {
      for (const [method, path, allow] of [
        ['options', '/api/v1/me', 'GET, HEAD'],
        ['delete', '/api/v1/me', 'GET, HEAD'],
        ['put', '/api/v1/commitments/1', 'GET, HEAD'],
        ['options', '/api/v1/commitments', 'GET, HEAD, POST'],
        ['get', '/api/v1/commitments/1/terminate', 'POST'],
      ] as const) {
        const res = await request(ctx.app)[method](path);
        expect(res.status, `${method} ${path}`).to.equal(405);
        expect(res.headers.allow, `${method} ${path}`).to.equal(allow);
        expect(res.body).to.deep.equal({ error: { code: 'method_not_allowed', message: `此地址不支持 ${method.toUpperCase()} 请求。` } });
      }
    });

    it('still answers 404 for a path it does not have, and 401 to a right method without a token', async () => {
      const missing = await request(ctx.app).delete('/api/v1/nothing-here');
      expect(missing.status).to.equal(404);
      expect(missing.body.error.code).to.equal('not_found');
      expect((await request(ctx.app).get('/api/v1/me')).status).to.equal(401);
    });
  });
});
