import { expect } from 'chai';
import request from 'supertest';
import { csrfFrom, DEMO_PASSWORD, postForm, signIn, startTestApp, type TestContext } from '../../../test/helpers.ts';

/*
 * Sign-in throttling counts failures, never successes. Each request names its client address in
 * X-Forwarded-For (the apps trust the proxy), so that one test can sign in from several places.
 */

const HOME = '203.0.113.10';
const WRONG = 'Wrong#password1';

async function tryLogin(ctx: TestContext, username: string, password: string, address = HOME) {
  const agent = request.agent(ctx.app);
  const token = await csrfFrom(agent);
  const res = await agent.post('/login').set('X-Forwarded-For', address).type('form').send({ username, password, _csrf: token });
  return { agent, res };
}

/** The message the sign-in page shows above the form. */
function loginMessage(html: string): string {
  const m = /<div class="flash flash-error" role="alert">([\s\S]*?)<\/div>/.exec(html);
  return m ? m[1]!.trim() : '';
}

const throttledApp = (env: Record<string, string> = {}) => startTestApp({ env: { TRUST_PROXY: 'true', ...env } });

describe('sign-in throttling', () => {
  let ctx: TestContext;
  beforeEach(async () => {
    ctx = await throttledApp();
  });
  afterEach(() => ctx.close());

  it('never counts successes: thirty-one sign-ins in a row from one address all succeed', async function () {
    this.timeout(60_000);
    for (let i = 1; i <= 31; i++) {
      const { res } = await tryLogin(ctx, i % 2 ? 'officer1' : 'auditor', DEMO_PASSWORD);
      expect(res.status, `sign-in ${i}`).to.equal(303);
    }
  });

  it('blocks a username from one address for 15 minutes after five failures in a row, and nothing else', async () => {
    for (let i = 1; i <= 4; i++) {
      const { res } = await tryLogin(ctx, 'officer2', WRONG);
      expect(res.status, `failure ${i}`).to.equal(200);
      expect(res.text).to.include('用户名或密码错误');
    }
    const fifth = await tryLogin(ctx, 'officer2', WRONG);
    expect(fifth.res.status).to.equal(429);
    expect(loginMessage(fifth.res.text)).to.equal('该用户名从您所在的地址连续 5 次登录失败，请 15 分钟后再试。');
    const right = await tryLogin(ctx, 'officer2', DEMO_PASSWORD);
    expect(right.res.status, 'the right password from the blocked pair').to.equal(429);

    expect((await tryLogin(ctx, 'officer2', DEMO_PASSWORD, '198.51.100.7')).res.status, 'the same user from elsewhere').to.equal(303);
    expect((await tryLogin(ctx, 'officer1', DEMO_PASSWORD)).res.status, 'another user from the same address').to.equal(303);
    const refused = await ctx.db('audit_log').where({ action: 'login.failed', actor_name: 'officer2' }).pluck('ip');
    expect(refused, 'the attempt while blocked is not even tried').to.deep.equal(Array(5).fill(HOME));
  });

  it('forgives a username’s failures from an address once it signs in there', async () => {
    for (let i = 0; i < 4; i++) await tryLogin(ctx, 'officer1', WRONG);
    expect((await tryLogin(ctx, 'officer1', DEMO_PASSWORD)).res.status).to.equal(303);
    for (let i = 0; i < 4; i++) await tryLogin(ctx, 'officer1', WRONG);
    expect((await tryLogin(ctx, 'officer1', DEMO_PASSWORD)).res.status).to.equal(303);
  });

  it('locks an account for 15 minutes after 20 failures from any addresses, answering as for a wrong password, and tells the admins', async function () {
    this.timeout(60_000);
    const addresses = ['198.51.100.1', '198.51.100.2', '198.51.100.3', '198.51.100.4', '198.51.100.5'];
    const wrongAnswer = loginMessage((await tryLogin(ctx, 'nobody-at-all', WRONG, '192.0.2.99')).res.text);
    for (const address of addresses) {
      for (let i = 0; i < 4; i++) {
        const { res } = await tryLogin(ctx, 'officer2', WRONG, address);
        expect(res.status).to.equal(200);
        expect(loginMessage(res.text)).to.equal(wrongAnswer);
      }
    }
    const locked = await tryLogin(ctx, 'officer2', DEMO_PASSWORD, '192.0.2.50');
    expect(locked.res.status, 'the right password while locked').to.equal(200);
    expect(loginMessage(locked.res.text)).to.equal(wrongAnswer);

    const user = await ctx.db('users').where({ username: 'officer2' }).first();
    const lockout = await ctx.db('audit_log').where({ action: 'user.lockout', entity_id: String(user.id) }).first();
    expect(JSON.parse(lockout.after_json)).to.deep.equal({ failures: 20, lockedUntil: new Date(ctx.clock.now().getTime() + 15 * 60_000).toISOString() });

    const admin = await signIn(ctx.app, 'admin');
    for (const page of ['/', '/admin/users']) {
      const html = (await admin.get(page)).text;
      const notice = html.slice(html.indexOf('data-lockouts'), html.indexOf('</section>', html.indexOf('data-lockouts')));
      expect(notice, page).to.include('近 7 天因连续验证失败被锁定的账户');
      expect(notice, page).to.include('officer2');
      for (const address of addresses) expect(notice, page).to.include(address);
      expect(notice, page).to.include(`/admin/users/${user.id}/unlock`);
    }
    await postForm(admin, '/admin/users', `/admin/users/${user.id}/unlock`, {});
    expect((await tryLogin(ctx, 'officer2', DEMO_PASSWORD, '192.0.2.50')).res.status, 'signs in once unlocked').to.equal(303);
    expect((await admin.get('/')).text, 'the notice stays, the lock is over').to.include('锁定已结束');
  });

  it('ends the account lock after 15 minutes', async () => {
    let now = ctx.clock.now().getTime();
    const movingClock = { now: () => new Date(now), today: () => ctx.clock.today() };
    const moving = await startTestApp({ env: { TRUST_PROXY: 'true' }, clock: movingClock });
    try {
      await moving.db('users').where({ username: 'officer1' }).update({ failed_logins: 19 });
      await tryLogin(moving, 'officer1', WRONG);
      expect((await tryLogin(moving, 'officer1', DEMO_PASSWORD, '198.51.100.9')).res.status).to.equal(200);
      now += 14 * 60_000;
      expect((await tryLogin(moving, 'officer1', DEMO_PASSWORD, '198.51.100.9')).res.status, 'after 14 minutes').to.equal(200);
      now += 60_000;
      expect((await tryLogin(moving, 'officer1', DEMO_PASSWORD, '198.51.100.9')).res.status, 'after 15 minutes').to.equal(303);
    } finally {
      await moving.close();
    }
  });

  it('answers an unknown, a locked-out, a disabled and a wrong-password sign-in in the same words', async () => {
    const admin = await signIn(ctx.app, 'admin');
    const disabled = await ctx.db('users').where({ username: 'enterprise1' }).first();
    await postForm(admin, '/admin/users', `/admin/users/${disabled.id}/lock`, {});
    await ctx.db('users').where({ username: 'officer1' }).update({ locked_until: new Date(ctx.clock.now().getTime() + 60_000).toISOString() });

    const answers = {
      unknown: await tryLogin(ctx, 'no-such-user', DEMO_PASSWORD),
      wrongPassword: await tryLogin(ctx, 'auditor', WRONG),
      lockedOut: await tryLogin(ctx, 'officer1', DEMO_PASSWORD),
      disabled: await tryLogin(ctx, 'enterprise1', DEMO_PASSWORD),
    };
    const shown = Object.fromEntries(Object.entries(answers).map(([k, { res }]) => [k, `${res.status} ${loginMessage(res.text)}`]));
    expect(shown.unknown).to.equal('200 用户名或密码错误，或该账户暂时不能登录。如多次失败，请稍后再试或联系系统管理员。');
    expect(shown).to.deep.equal({ unknown: shown.unknown, wrongPassword: shown.unknown, lockedOut: shown.unknown, disabled: shown.unknown });
    const reasons = await ctx.db('audit_log').where({ action: 'login.failed' }).orderBy('id').pluck('after_json');
    expect(reasons.map((r: string) => JSON.parse(r).reason), 'the audit log tells them apart').to.deep.equal(['unknown-user', 'wrong-password', 'locked', 'disabled']);
  });
});

describe('sign-in throttling per address', () => {
  let ctx: TestContext;
  before(async () => {
    ctx = await throttledApp({ LOGIN_FAILURES_PER_ADDRESS: '3' });
  });
  after(() => ctx.close());

  it('blocks an address for a day after LOGIN_FAILURES_PER_ADDRESS failures, whatever the usernames', async () => {
    for (const username of ['nobody1', 'nobody2']) expect((await tryLogin(ctx, username, WRONG)).res.status).to.equal(200);
    const third = await tryLogin(ctx, 'nobody3', WRONG);
    expect(third.res.status).to.equal(429);
    expect(loginMessage(third.res.text)).to.include('24 小时内不能登录');
    expect((await tryLogin(ctx, 'auditor', DEMO_PASSWORD)).res.status, 'the right password from the blocked address').to.equal(429);
    expect((await tryLogin(ctx, 'auditor', DEMO_PASSWORD, '198.51.100.20')).res.status, 'another address').to.equal(303);
  });
});
