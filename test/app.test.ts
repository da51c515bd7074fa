import { expect } from 'chai';
import request from 'supertest';
import { createApp } from '../server/app.ts';
import { DEMO_PASSWORD, signIn, startTestApp, testConfig, type TestContext } from './helpers.ts';
import { seedDemoCore } from '../db/seeds/demo.ts';
import { freshDatabase } from './db.ts';

describe('the app shell', () => {
  let ctx: TestContext;
  before(async () => {
    ctx = await startTestApp();
  });
  after(() => ctx.close());

  it('answers /healthz after a database round trip', async () => {
    const res = await request(ctx.app).get('/healthz');
    expect(res.status).to.equal(200);
    expect(res.body).to.deep.equal({ status: 'ok' });
  });

  it('answers 503 on /healthz when the database is gone', async () => {
    const { db, drop } = await freshDatabase();
    const app = await createApp({ db, config: testConfig() });
    await drop();
    const res = await request(app).get('/healthz');
    expect(res.status).to.equal(503);
  });

  it('speaks Chinese by default and English on request, remembering the choice', async () => {
    const agent = request.agent(ctx.app);
    const zh = await agent.get('/login');
    expect(zh.text).to.include('<html lang="zh-CN">');
    expect(zh.text).to.include('登录');
    const en = await agent.get('/login?lang=en');
    expect(en.text).to.include('<html lang="en">');
    expect(en.text).to.include('Sign in');
    const again = await agent.get('/login');
    expect(again.text).to.include('<html lang="en">');
  });

  it('shows 404 pages in the user’s language', async () => {
    const zh = await request(ctx.app).get('/no-such-page');
    expect(zh.status).to.equal(404);
    expect(zh.text).to.include('您要找的页面或记录不存在');
    const en = await request(ctx.app).get('/no-such-page?lang=en');
    expect(en.text).to.include('does not exist');
  });

  it('sets a strict Content-Security-Policy, an httpOnly SameSite=Lax CSRF cookie for visitors and a session cookie only at sign-in', async () => {
    const res = await request(ctx.app).get('/login');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).to.include("script-src 'self'");
    expect(csp).to.include("style-src 'self'");
    expect(csp).to.not.include('unsafe-inline');
    const cookies = res.headers['set-cookie'] as unknown as string[];
    expect(cookies.find((c) => c.startsWith('il.csrf='))).to.match(/^il\.csrf=[^;]+; Path=\/; HttpOnly; SameSite=Lax$/);
    expect(cookies.some((c) => c.startsWith('il.sid='))).to.equal(false);
    const signedIn = await request(ctx.app).post('/login').set('Cookie', cookies.map((c) => c.split(';')[0]).join('; '))
      .type('form').send({ username: 'auditor', password: DEMO_PASSWORD, _csrf: /name="_csrf" value="([^"]+)"/.exec(res.text)![1] });
    expect(String(signedIn.headers['set-cookie'])).to.match(/il\.sid=[^;]+;.*HttpOnly; SameSite=Lax/);
  });

  it('uses Secure cookies in production: __Host- prefixed session and CSRF cookies, and the language cookie', async () => {
    const { db, drop } = await freshDatabase();
    try {
      await seedDemoCore(db, DEMO_PASSWORD);
      const app = await createApp({ db, config: testConfig({ NODE_ENV: 'production', TRUST_PROXY: 'true' }) });
      const page = await request(app).get('/login?lang=en').set('X-Forwarded-Proto', 'https');
      const cookies = page.headers['set-cookie'] as unknown as string[];
      expect(cookies.find((c) => c.startsWith('__Host-il.csrf='))).to.match(/; Path=\/; HttpOnly; Secure; SameSite=Lax$/);
      expect(cookies.find((c) => c.startsWith('lang='))).to.match(/^lang=en;.*; Secure; SameSite=Lax$/);
      const signedIn = await request(app).post('/login').set('X-Forwarded-Proto', 'https').set('Cookie', cookies.map((c) => c.split(';')[0]).join('; '))
        .type('form').send({ username: 'officer1', password: DEMO_PASSWORD, _csrf: /name="_csrf" value="([^"]+)"/.exec(page.text)![1] });
      expect(signedIn.status).to.equal(303);
      expect(String(signedIn.headers['set-cookie'])).to.match(/__Host-il\.sid=[^;]+; Path=\/;.*HttpOnly; Secure; SameSite=Lax/);
    } finally {
      await drop();
    }
  });

  it('tells browsers and proxies to keep no copy of any page or download, for visitors and signed-in users alike', async () => {
    const agent = await signIn(ctx.app, 'officer1');
    for (const path of ['/', '/commitments', '/account/security', '/commitments/export.csv', '/commitments/export.xlsx', '/no-such-page']) {
      const res = await agent.get(path);
      expect(res.headers['cache-control'], path).to.equal('no-store');
    }
    expect((await request(ctx.app).get('/login')).headers['cache-control']).to.equal('no-store');
  });

  it('hides internal errors: no stack trace or SQL in a 500 page', async () => {
    const agent = await signIn(ctx.app, 'admin');
    await ctx.db.schema.renameTable('enterprises', 'enterprises_away');
    try {
      const res = await agent.get('/admin/enterprises');
      expect(res.status).to.equal(500);
      expect(res.text).to.include('服务器内部错误');
      expect(res.text).to.not.match(/select|enterprises_away|SQLITE|at .*\.ts/i);
    } finally {
      await ctx.db.schema.renameTable('enterprises_away', 'enterprises');
    }
  });

  it('refuses request bodies over the size limit', async () => {
    const res = await request(ctx.app).post('/login').type('form').send({ username: 'x'.repeat(2 * 1024 * 1024), password: 'y' });
    expect(res.status).to.equal(413);
  });
});
