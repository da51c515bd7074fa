import { expect } from 'chai';
import request from 'supertest';
import { createApp } from '../server/app.ts';
import { signIn, startTestApp, testConfig, type TestContext } from './helpers.ts';
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

  it('sets a strict Content-Security-Policy and an httpOnly, SameSite=Lax session cookie', async () => {
    const res = await request(ctx.app).get('/login');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).to.include("script-src 'self'");
    expect(csp).to.include("style-src 'self'");
    expect(csp).to.not.include('unsafe-inline');
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).to.match(/il\.sid=[^;]+;.*HttpOnly/);
    expect(cookie).to.include('SameSite=Lax');
  });

  it('uses a Secure __Host- cookie in production', async () => {
    const { db, drop } = await freshDatabase();
    const app = await createApp({ db, config: testConfig({ NODE_ENV: 'production', TRUST_PROXY: 'true' }) });
    const res = await request(app).get('/login').set('X-Forwarded-Proto', 'https');
    expect(String(res.headers['set-cookie'])).to.match(/__Host-il\.sid=[^;]+; Path=\/;.*HttpOnly; Secure; SameSite=Lax/);
    await drop();
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
