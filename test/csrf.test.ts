import { Writable } from 'node:stream';
import { expect } from 'chai';
import type { Express } from 'express';
import request from 'supertest';
import { createApp } from '../server/app.ts';
import { createLogger } from '../server/logging.ts';
import { csrfFrom, DEMO_PASSWORD, signIn, startTestApp, uploadUrl, type TestContext } from './helpers.ts';

interface RouteLayer {
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: RouteLayer[] };
  matchers?: Array<(path: string) => unknown>;
}

/** Every POST route of the pages (not the API, which takes bearer tokens and no cookies), with 1 for each parameter. */
function pagePostRoutes(app: Express): string[] {
  const paths: string[] = [];
  const walk = (stack: RouteLayer[]) => {
    for (const layer of stack) {
      if (layer.route?.methods.post) paths.push(layer.route.path.replace(/:[A-Za-z]+/g, '1'));
      else if (layer.handle?.stack && !layer.matchers?.[0]?.('/api/v1/me')) walk(layer.handle.stack);
    }
  };
  walk((app as unknown as { router: { stack: RouteLayer[] } }).router.stack);
  return [...new Set(paths)];
}

const tokenIn = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1]!;

describe('CSRF protection', () => {
  let ctx: TestContext;
  before(async () => {
    ctx = await startTestApp();
  });
  after(() => ctx.close());

  it('refuses every forged post to every page form with 403, and changes nothing', async () => {
    const routes = pagePostRoutes(ctx.app);
    expect(routes).to.include.members(['/login', '/logout', '/commitments/1/fulfilments', '/commitments/import', '/admin/users']);
    expect(routes, 'the API takes no cookies').to.not.include('/commitments/1/milestones/1/fulfilments');
    expect(routes.length, 'every page form, 28 when this was written').to.be.at.least(28);
    const auditRows = async () => Number((await ctx.db('audit_log').count({ n: '*' }).first())!.n);
    // The victim signed in after an attacker had read the sign-in page's token in the victim's browser.
    const victim = request.agent(ctx.app);
    const tokenBeforeSignIn = await csrfFrom(victim);
    await victim.post('/login').type('form').send({ username: 'officer1', password: DEMO_PASSWORD, _csrf: tokenBeforeSignIn });
    const attacker = await signIn(ctx.app, 'officer2');
    const attackersOwnToken = await csrfFrom(attacker, '/');
    const before = await auditRows();

    const forgeries = {
      'no token': (path: string) => victim.post(path).type('form').send({}),
      'a made-up token': (path: string) => victim.post(path).type('form').send({ _csrf: 'forged' }),
      'the attacker’s own valid token': (path: string) => victim.post(path).type('form').send({ _csrf: attackersOwnToken }),
      'the victim’s token from before sign-in': (path: string) => victim.post(path).set('X-CSRF-Token', tokenBeforeSignIn),
      'an upload with a made-up token in its URL': (path: string) => victim.post(uploadUrl(path, 'forged')).attach('file', Buffer.from('x'), 'x.pdf'),
    };
    let refused = 0;
    for (const path of routes) {
      for (const [forgery, post] of Object.entries(forgeries)) {
        const res = await post(path);
        expect(res.status, `${forgery} → POST ${path}`).to.equal(403);
        refused++;
      }
    }
    expect(refused).to.equal(routes.length * 5);
    expect(await auditRows(), 'nothing was recorded').to.equal(before);
    expect((await victim.get('/')).status, 'the victim is still signed in').to.equal(200);
  });

  it('says the form has expired, in the reader’s language, rather than that access is forbidden', async () => {
    const res = await request(ctx.app).post('/login?lang=en').type('form').send({ username: 'officer1', password: DEMO_PASSWORD, _csrf: 'forged' });
    expect(res.status).to.equal(403);
    expect(res.text).to.include('This form has expired; please reload the page and submit it again.');
  });

  it('binds the sign-in form’s token to its own cookie: another browser’s pair does not mix', async () => {
    const mine = request.agent(ctx.app);
    await csrfFrom(mine);
    const theirs = await request(ctx.app).get('/login');
    const res = await mine.post('/login').type('form').send({ username: 'officer1', password: DEMO_PASSWORD, _csrf: tokenIn(theirs.text) });
    expect(res.status).to.equal(403);
  });

  it('accepts an upload form’s token only from its URL or a header, and any other form’s from its body or a header', async () => {
    const officer = await signIn(ctx.app, 'officer1');
    const token = await csrfFrom(officer, '/commitments/import');
    const page = await officer.get('/commitments/import');
    expect(page.text).to.include(`action="/commitments/import?_csrf=${encodeURIComponent(token)}"`);
    // A URL token does not stand in for the body's on an ordinary form.
    const urlOnly = await officer.post(uploadUrl('/commitments', token)).type('form').send({ title: '' });
    expect(urlOnly.status).to.equal(403);
    const header = await officer.post('/commitments').set('X-CSRF-Token', token).type('form').send({ title: '' });
    expect(header.status).to.equal(422);
  });

  it('keeps tokens and session ids out of the request log', async () => {
    const lines: string[] = [];
    const config = { ...ctx.config, logLevel: 'info' as const };
    const app = await createApp({ db: ctx.db, config, clock: ctx.clock, logger: createLogger(config, new Writable({ write: (chunk: Buffer, _encoding, done) => { lines.push(chunk.toString('utf8')); done(); } })) });
    const agent = request.agent(app);
    const token = await csrfFrom(agent);
    await agent.post('/login').type('form').send({ username: 'officer1', password: DEMO_PASSWORD, _csrf: token });
    await agent.post(uploadUrl('/commitments/import', token)).set('X-CSRF-Token', token).attach('file', Buffer.from('x'), 'x.csv');
    const log = lines.join('');
    expect(log).to.include('"url":"/commitments/import?_csrf=…"');
    expect(log).to.not.include(token);
    expect(log).to.not.match(/il\.sid=/);
  });
});
