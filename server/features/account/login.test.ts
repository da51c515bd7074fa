import { expect } from 'chai';
import request from 'supertest';
import { csrfFrom, DEMO_PASSWORD, signIn, startTestApp, type TestContext } from '../../../test/helpers.ts';

describe('sign-in', () => {
  let ctx: TestContext;
  before(async () => {
    ctx = await startTestApp();
  });
  after(() => ctx.close());

  it('shows a form with username, password and a hidden CSRF token', async () => {
    const res = await request(ctx.app).get('/login');
    expect(res.status).to.equal(200);
    expect(res.text).to.match(/<input type="text" id="f-username" name="username"/);
    expect(res.text).to.match(/<input type="password" id="f-password" name="password"/);
    expect(res.text).to.match(/<input type="hidden" name="_csrf" value="[^"]+"/);
  });

  for (const [username, role, scope] of [
    ['admin', '系统管理员', ''],
    ['auditor', '监督审计', ''],
    ['officer1', '机关经办人', '青岛市行政审批服务局'],
    ['officer2', '机关经办人', '青岛市商务局'],
    ['enterprise1', '企业用户', '青岛海滨精密机械有限公司'],
  ] as const) {
    it(`signs in ${username} and shows the ${role} home page`, async () => {
      const agent = await signIn(ctx.app, username);
      const home = await agent.get('/');
      expect(home.status).to.equal(200);
      expect(home.text).to.include(role);
      if (scope) expect(home.text).to.include(scope);
      expect(home.text).to.include('退出登录');
    });
  }

  it('refuses a wrong password and re-renders the form with an error', async () => {
    const agent = request.agent(ctx.app);
    const token = await csrfFrom(agent);
    const res = await agent.post('/login').type('form').send({ username: 'officer2', password: 'Wrong#password1', _csrf: token });
    expect(res.status).to.equal(200);
    expect(res.text).to.include('用户名或密码错误');
    expect(res.text).to.include('value="officer2"');
    const home = await agent.get('/');
    expect(home.status).to.equal(303);
    expect(home.headers.location).to.equal('/login');
  });

  it('stores no session for visitors: 50 views of the sign-in page and failed sign-ins write no session row', async () => {
    const sessions = async () => Number((await ctx.db('sessions').count({ n: '*' }).first())!.n);
    const before = await sessions();
    for (let i = 0; i < 50; i++) expect((await request(ctx.app).get('/login')).status).to.equal(200);
    const agent = request.agent(ctx.app);
    for (let i = 0; i < 3; i++) {
      const token = await csrfFrom(agent);
      const res = await agent.post('/login').type('form').send({ username: 'officer2', password: 'Wrong#password1', _csrf: token });
      expect(res.text).to.include('用户名或密码错误');
      expect(String(res.headers['set-cookie'] ?? '')).to.not.include('il.sid=');
    }
    expect(await sessions()).to.equal(before);
    await signIn(ctx.app, 'officer1');
    expect(await sessions()).to.equal(before + 1);
  });

  it('gives a new session id at sign-in and ends the session the browser had', async () => {
    const sidOf = (res: request.Response) => /il\.sid=([^;]+)/.exec(String(res.headers['set-cookie']))![1];
    const agent = request.agent(ctx.app);
    const token = await csrfFrom(agent);
    const before = sidOf(await agent.post('/login').type('form').send({ username: 'auditor', password: DEMO_PASSWORD, _csrf: token }));
    const signedInToken = await csrfFrom(agent, '/');
    const again = await agent.post('/login').type('form').send({ username: 'officer1', password: DEMO_PASSWORD, _csrf: signedInToken });
    expect(again.status).to.equal(303);
    expect(sidOf(again)).to.not.equal(before);
    const stored = await ctx.db('sessions').pluck('sid');
    expect(stored.some((sid: string) => before!.includes(sid))).to.equal(false);
  });
});
