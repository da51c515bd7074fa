import { expect } from 'chai';
import request from 'supertest';
import { csrfFrom, DEMO_PASSWORD, postForm, signIn, startTestApp, type TestContext } from '../../../test/helpers.ts';
import { currentTotp } from './totp.ts';

async function tryLogin(ctx: TestContext, username: string, password: string) {
  const agent = request.agent(ctx.app);
  const token = await csrfFrom(agent);
  const res = await agent.post('/login').type('form').send({ username, password, _csrf: token });
  return { agent, res };
}

describe('account security', () => {
  let ctx: TestContext;
  before(async () => {
    ctx = await startTestApp();
  });
  after(() => ctx.close());

  it('lets the admin unlock an account locked out by failed sign-ins', async () => {
    await ctx.db('users').where({ username: 'officer2' }).update({ locked_until: new Date(ctx.clock.now().getTime() + 10 * 60_000).toISOString() });
    expect((await tryLogin(ctx, 'officer2', DEMO_PASSWORD)).res.status, 'locked out').to.equal(200);
    const admin = await signIn(ctx.app, 'admin');
    const user = await ctx.db('users').where({ username: 'officer2' }).first();
    const res = await postForm(admin, '/admin/users', `/admin/users/${user.id}/unlock`, {});
    expect(res.status).to.equal(303);
    const { res: login } = await tryLogin(ctx, 'officer2', DEMO_PASSWORD);
    expect(login.status).to.equal(303);
  });

  it('refuses a state-changing request without a valid CSRF token and changes nothing', async () => {
    const agent = await signIn(ctx.app, 'admin');
    const before = await ctx.db('agencies').count({ n: '*' });
    const missing = await agent.post('/admin/agencies').type('form').send({ name: '测试局', code: 'T-1', level: 'city' });
    expect(missing.status).to.equal(403);
    const wrong = await agent.post('/admin/agencies').type('form').send({ name: '测试局', code: 'T-1', level: 'city', _csrf: 'forged' });
    expect(wrong.status).to.equal(403);
    const after = await ctx.db('agencies').count({ n: '*' });
    expect(Number(after[0]!.n)).to.equal(Number(before[0]!.n));
  });

  it('signs out only by POST and ends the session, leaving no session row behind', async () => {
    const sessions = async () => Number((await ctx.db('sessions').count({ n: '*' }).first())!.n);
    const before = await sessions();
    const agent = await signIn(ctx.app, 'auditor');
    const get = await agent.get('/logout');
    expect(get.status).to.equal(404);
    expect((await agent.get('/')).status).to.equal(200);
    expect(await sessions()).to.equal(before + 1);
    const out = await postForm(agent, '/', '/logout', {});
    expect(out.status).to.equal(303);
    expect((await agent.get(out.headers.location!)).text).to.include('您已安全退出。');
    expect((await agent.get('/')).headers.location).to.equal('/login');
    expect(await sessions()).to.equal(before);
  });

  it('ends every session of a user who changes the password', async () => {
    const laptop = await signIn(ctx.app, 'officer1');
    const phone = await signIn(ctx.app, 'officer1');
    const res = await postForm(laptop, '/account/password', '/account/password', { current: DEMO_PASSWORD, password: 'Harbour#Light2027', confirm: 'Harbour#Light2027' });
    expect(res.status).to.equal(303);
    expect((await laptop.get('/')).status, 'the session that changed it goes on').to.equal(200);
    const other = await phone.get('/');
    expect(other.status).to.equal(303);
    expect(other.headers.location).to.equal('/login');
    await tryLogin(ctx, 'officer1', DEMO_PASSWORD).then(({ res: r }) => expect(r.text).to.include('用户名或密码错误'));
  });

  it('keeps the input and names the broken rule when a new password is too weak', async () => {
    const agent = await signIn(ctx.app, 'auditor');
    const res = await postForm(agent, '/account/password', '/account/password', { current: DEMO_PASSWORD, password: 'password', confirm: 'password' });
    expect(res.status).to.equal(422);
    expect(res.text).to.include('密码至少需要 10 个字符');
    expect(res.text).to.match(/class="field has-error"[\s\S]*id="f-password"/);
  });

  it('makes an account created by the admin change its password at first sign-in', async () => {
    const admin = await signIn(ctx.app, 'admin');
    const agencyId = (await ctx.db('agencies').where({ code: 'QD-SWJ' }).first()).id;
    const created = await postForm(admin, '/admin/users/new', '/admin/users', { username: 'newofficer', displayName: '新经办', role: 'officer', agencyId, enterpriseId: '', password: 'Initial#Pass2026' });
    expect(created.status).to.equal(303);
    const agent = await signIn(ctx.app, 'newofficer', 'Initial#Pass2026');
    const home = await agent.get('/');
    expect(home.status).to.equal(303);
    expect(home.headers.location).to.equal('/account/password');
    expect((await agent.get('/admin/users')).headers.location).to.equal('/account/password');
    await postForm(agent, '/account/password', '/account/password', { current: 'Initial#Pass2026', password: 'Own#Choice-2027', confirm: 'Own#Choice-2027' });
    const after = await agent.get('/');
    expect(after.status).to.equal(200);
    expect(after.text).to.include('青岛市商务局');
  });

  it('ends a session after 30 idle minutes and after 12 hours in any case', async () => {
    const sids = async (): Promise<string[]> => ctx.db('sessions').pluck('sid');
    const newSession = async (username: string) => {
      const before = await sids();
      const agent = await signIn(ctx.app, username);
      const [sid] = (await sids()).filter((sid) => !before.includes(sid));
      return { agent, row: await ctx.db('sessions').where({ sid }).first() };
    };
    const { agent: idle, row: idleRow } = await newSession('auditor');
    const { agent: busy, row: busyRow } = await newSession('admin');
    expect(Boolean(idleRow && busyRow), 'both sessions are stored in the database').to.equal(true);
    // 31 minutes without a request: the store's expiry has passed.
    await ctx.db('sessions').where({ sid: idleRow.sid }).update({ expired: new Date(Date.now() - 60_000).toISOString() });
    expect((await idle.get('/')).headers.location).to.equal('/login');
    // Active all along, but signed in 12 hours and a minute ago.
    const sess = typeof busyRow.sess === 'string' ? JSON.parse(busyRow.sess) : busyRow.sess;
    sess.createdAt = Date.now() - (12 * 60 + 1) * 60_000;
    await ctx.db('sessions').where({ sid: busyRow.sid }).update({ sess: JSON.stringify(sess) });
    expect((await busy.get('/')).headers.location).to.equal('/login');
  });

  describe('two-factor sign-in (TOTP)', () => {
    let secret: string;

    it('enrols with a QR code, refuses a wrong code and turns on with a right one', async () => {
      const agent = await signIn(ctx.app, 'enterprise1');
      const page = await agent.get('/account/mfa');
      expect(page.status).to.equal(200);
      expect(page.headers['cache-control'], 'the secret is kept by no cache').to.equal('no-store');
      expect(page.text).to.match(/<img src="data:image\/png;base64,/);
      secret = /data-totp-secret>([A-Z2-7]+)</.exec(page.text)![1]!;
      const wrong = await postForm(agent, '/account/mfa', '/account/mfa', { code: '000000' === currentTotp(secret, 'enterprise1') ? '111111' : '000000', password: DEMO_PASSWORD });
      expect(wrong.status).to.equal(422);
      expect(wrong.text).to.include('动态码不正确');
      const right = await postForm(agent, '/account/mfa', '/account/mfa', { code: currentTotp(secret, 'enterprise1'), password: DEMO_PASSWORD });
      expect(right.status).to.equal(200);
      expect(right.text).to.include('恢复码');
      expect(right.headers['cache-control'], 'the recovery codes are kept by no cache').to.equal('no-store');
      const user = await ctx.db('users').where({ username: 'enterprise1' }).first();
      expect(Boolean(user.totp_enabled)).to.equal(true);
    });

    it('then asks for the code after the password, and a password alone reaches nothing', async () => {
      const { agent, res } = await tryLogin(ctx, 'enterprise1', DEMO_PASSWORD);
      expect(res.headers.location).to.equal('/login/mfa');
      expect((await agent.get('/')).headers.location).to.equal('/login');
      const token = await csrfFrom(agent, '/login/mfa');
      const wrong = await agent.post('/login/mfa').type('form').send({ code: '12345', _csrf: token });
      expect(wrong.text).to.include('动态码不正确');
      expect((await agent.get('/')).headers.location).to.equal('/login');
      const token2 = await csrfFrom(agent, '/login/mfa');
      // The enrolment used this time step's code: the next step's code is the first that signs in.
      const ok = await agent.post('/login/mfa').type('form').send({ code: currentTotp(secret, 'enterprise1', Date.now() + 30_000), _csrf: token2 });
      expect(ok.status).to.equal(303);
      expect((await agent.get('/')).status).to.equal(200);
    });
  });

  describe('roles that must use two-factor sign-in', () => {
    let strict: TestContext;
    before(async () => {
      strict = await startTestApp({ env: { MFA_REQUIRED_ROLES: 'admin,auditor' } });
    });
    after(() => strict.close());

    it('sends an auditor without TOTP to enrolment and nowhere else', async () => {
      const agent = await signIn(strict.app, 'auditor');
      for (const path of ['/', '/audit', '/account/password']) {
        const res = await agent.get(path);
        expect(res.status, path).to.equal(303);
        expect(res.headers.location, path).to.equal('/account/mfa');
      }
      expect((await agent.get('/account/mfa')).status).to.equal(200);
    });

    it('does not ask it of an officer', async () => {
      const agent = await signIn(strict.app, 'officer1');
      expect((await agent.get('/')).status).to.equal(200);
    });
  });
});
