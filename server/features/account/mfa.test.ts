import { expect } from 'chai';
import request from 'supertest';
import { createHash } from 'node:crypto';
import { csrfFrom, DEMO_PASSWORD, postForm, signIn, startTestApp, type TestContext } from '../../../test/helpers.ts';
import { openTotpSecret, recoveryCodeDigest, sealTotpSecret } from '../../auth/mfa-secrets.ts';
import { currentTotp, newRecoveryCodes, newTotpSecret } from './totp.ts';

const ADDRESS = '203.0.113.30';
const STEP_MS = 30_000;

/** A code of the step after the current one: accepted (one step of drift) and never used before. */
const nextCode = (secret: string, username: string) => currentTotp(secret, username, Date.now() + STEP_MS);

/** Six digits that are no code of the secret around now. */
function wrongCode(secret: string, username: string): string {
  const near = [-1, 0, 1, 2].map((k) => currentTotp(secret, username, Date.now() + k * STEP_MS));
  return ['000000', '111111', '222222', '333333', '444444'].find((c) => !near.includes(c))!;
}

/** Turns TOTP on for a user as enrolment would store it; answers the secret and the recovery codes. */
async function enrolDirectly(ctx: TestContext, username: string): Promise<{ secret: string; codes: string[] }> {
  const secret = newTotpSecret();
  const codes = newRecoveryCodes();
  const user = await ctx.db('users').where({ username }).first();
  await ctx.db('users')
    .where({ id: user.id })
    .update({ totp_secret: sealTotpSecret(ctx.config.integrityKey, user.id, secret), totp_enabled: true, recovery_codes: JSON.stringify(codes.map((c) => recoveryCodeDigest(ctx.config.integrityKey, c))) });
  return { secret, codes };
}

/** The password step from ADDRESS; answers the agent, now owing its second factor. */
async function passwordStep(ctx: TestContext, username: string) {
  const agent = request.agent(ctx.app);
  const token = await csrfFrom(agent);
  const res = await agent.post('/login').set('X-Forwarded-For', ADDRESS).type('form').send({ username, password: DEMO_PASSWORD, _csrf: token });
  expect(res.headers.location, `password step of ${username}`).to.equal('/login/mfa');
  return agent;
}

async function codeStep(agent: request.Agent, code: string) {
  const token = await csrfFrom(agent, '/login/mfa');
  return agent.post('/login/mfa').set('X-Forwarded-For', ADDRESS).type('form').send({ code, _csrf: token });
}

describe('two-factor sign-in', () => {
  let ctx: TestContext;
  before(async () => {
    ctx = await startTestApp({ env: { TRUST_PROXY: 'true' } });
  });
  after(() => ctx.close());

  it('accepts a TOTP code once: the same code does not sign in again', async () => {
    const { secret } = await enrolDirectly(ctx, 'officer1');
    const code = nextCode(secret, 'officer1');
    expect((await codeStep(await passwordStep(ctx, 'officer1'), code)).status).to.equal(303);
    const replay = await codeStep(await passwordStep(ctx, 'officer1'), code);
    expect(replay.status).to.equal(200);
    expect(replay.text).to.include('动态码不正确');
  });

  it('writes login.succeeded only after the second factor; the password step is login.password_ok', async () => {
    const { secret } = await enrolDirectly(ctx, 'auditor');
    const user = await ctx.db('users').where({ username: 'auditor' }).first();
    const actions = () => ctx.db('audit_log').where({ entity_type: 'user', entity_id: String(user.id) }).orderBy('id').pluck('action');
    const agent = await passwordStep(ctx, 'auditor');
    expect(await actions()).to.deep.equal(['login.password_ok']);
    expect((await ctx.db('users').where({ id: user.id }).first()).last_login_at, 'not signed in yet').to.equal(null);
    await codeStep(agent, wrongCode(secret, 'auditor'));
    await codeStep(agent, nextCode(secret, 'auditor'));
    expect(await actions()).to.deep.equal(['login.password_ok', 'login.mfa_failed', 'login.succeeded']);
  });

  it('counts wrong codes with the password failures: five in a row block the username at that address', async () => {
    const { secret } = await enrolDirectly(ctx, 'officer2');
    const agent = await passwordStep(ctx, 'officer2');
    for (let i = 1; i <= 4; i++) expect((await codeStep(agent, wrongCode(secret, 'officer2'))).status, `wrong code ${i}`).to.equal(200);
    const fifth = await codeStep(agent, wrongCode(secret, 'officer2'));
    expect(fifth.status).to.equal(429);
    expect(fifth.text).to.include('该用户名从您所在的地址连续 5 次登录失败，请 15 分钟后再试。');
    expect((await codeStep(agent, nextCode(secret, 'officer2'))).status, 'even the right code').to.equal(429);
    const user = await ctx.db('users').where({ username: 'officer2' }).first();
    expect(user.failed_logins, 'counted against the account too').to.equal(5);
  });

  it('keeps the TOTP secret encrypted and recovery codes as keyed hashes, and uses each recovery code once', async () => {
    const agent = await signIn(ctx.app, 'enterprise1');
    const page = await agent.get('/account/mfa');
    const secret = /data-totp-secret>([A-Z2-7]+)</.exec(page.text)![1]!;
    const sessions = await ctx.db('sessions').pluck('sess');
    expect(sessions.map((s: unknown) => JSON.stringify(s)).join(), 'the secret waits in the session sealed').to.not.include(secret);
    const enrolled = await postForm(agent, '/account/mfa', '/account/mfa', { code: currentTotp(secret, 'enterprise1'), password: DEMO_PASSWORD });
    expect(enrolled.status).to.equal(200);
    const codes = [...enrolled.text.matchAll(/<li>([0-9A-F]{5}-[0-9A-F]{5})<\/li>/g)].map((m) => m[1]!);
    expect(codes).to.have.length(10);

    const row = await ctx.db('users').where({ username: 'enterprise1' }).first();
    expect(row.totp_secret).to.match(/^v1\./);
    expect(row.totp_secret).to.not.include(secret);
    expect(openTotpSecret(ctx.config.integrityKey, row.id, row.totp_secret)).to.equal(secret);
    expect(() => openTotpSecret('another-key-'.padEnd(40, 'z'), row.id, row.totp_secret), 'opens only with the key').to.throw();
    const stored: string[] = JSON.parse(row.recovery_codes);
    const sha256 = (code: string) => createHash('sha256').update(code).digest('hex');
    for (const code of codes) {
      expect(stored).to.not.include(sha256(code));
      expect(row.recovery_codes).to.not.include(code);
    }

    expect((await codeStep(await passwordStep(ctx, 'enterprise1'), codes[3]!.toLowerCase())).status, 'a recovery code signs in').to.equal(303);
    expect((await codeStep(await passwordStep(ctx, 'enterprise1'), codes[3]!)).status, 'once').to.equal(200);
  });
});

describe('replacing the authenticator', () => {
  let ctx: TestContext;
  before(async () => {
    ctx = await startTestApp({ env: { TRUST_PROXY: 'true' } });
  });
  after(() => ctx.close());

  /** Signed in with a recovery code, so that the authenticator's codes of now are still unused. */
  async function signedInWithMfa(username: string) {
    const { secret, codes } = await enrolDirectly(ctx, username);
    const agent = await passwordStep(ctx, username);
    expect((await codeStep(agent, codes[0]!)).status).to.equal(303);
    return { agent, secret };
  }

  it('asks for the password and a current code, not the session alone', async () => {
    const { agent, secret: old } = await signedInWithMfa('officer1');
    const page = await agent.get('/account/mfa');
    expect(page.text).to.include('name="currentCode"');
    const secret = /data-totp-secret>([A-Z2-7]+)</.exec(page.text)![1]!;
    const code = currentTotp(secret, 'officer1');

    const sessionOnly = await postForm(agent, '/account/mfa', '/account/mfa', { code });
    expect(sessionOnly.status).to.equal(422);
    expect(sessionOnly.text).to.match(/class="field has-error"[\s\S]*id="f-password"/);

    const wrongPassword = await postForm(agent, '/account/mfa', '/account/mfa', { code, password: 'Wrong#password1', currentCode: nextCode(old, 'officer1') });
    expect(wrongPassword.status).to.equal(422);
    expect(wrongPassword.text).to.include('密码不正确');

    const noCurrentCode = await postForm(agent, '/account/mfa', '/account/mfa', { code, password: DEMO_PASSWORD, currentCode: wrongCode(old, 'officer1') });
    expect(noCurrentCode.status).to.equal(422);
    expect(noCurrentCode.text).to.include('原验证器的动态码或恢复码不正确');

    const user = await ctx.db('users').where({ username: 'officer1' }).first();
    expect(openTotpSecret(ctx.config.integrityKey, user.id, user.totp_secret), 'nothing replaced yet').to.equal(old);
    expect(user.failed_logins, 'both refusals count against the account').to.equal(2);

    const replaced = await postForm(agent, '/account/mfa', '/account/mfa', { code, password: DEMO_PASSWORD, currentCode: nextCode(old, 'officer1') });
    expect(replaced.status).to.equal(200);
    expect(replaced.text).to.include('恢复码');
    const after = await ctx.db('users').where({ id: user.id }).first();
    expect(openTotpSecret(ctx.config.integrityKey, user.id, after.totp_secret)).to.equal(secret);
    const actions = await ctx.db('audit_log').where({ entity_type: 'user', entity_id: String(user.id) }).orderBy('id').pluck('action');
    expect(actions.slice(-3)).to.deep.equal(['user.reauth_failed', 'user.reauth_failed', 'user.mfa_replaced']);
  });

  it('takes a recovery code for a lost phone', async () => {
    const { codes } = await enrolDirectly(ctx, 'enterprise1');
    const agent = await passwordStep(ctx, 'enterprise1');
    expect((await codeStep(agent, codes[0]!)).status).to.equal(303);
    const secret = /data-totp-secret>([A-Z2-7]+)</.exec((await agent.get('/account/mfa')).text)![1]!;
    const replaced = await postForm(agent, '/account/mfa', '/account/mfa', { code: currentTotp(secret, 'enterprise1'), password: DEMO_PASSWORD, currentCode: codes[1]! });
    expect(replaced.status).to.equal(200);
    expect(replaced.text).to.include('恢复码');
  });

  it('locks the account on the twentieth wrong password there, like a sign-in', async () => {
    const { agent } = await signedInWithMfa('auditor');
    const page = await agent.get('/account/mfa');
    const secret = /data-totp-secret>([A-Z2-7]+)</.exec(page.text)![1]!;
    await ctx.db('users').where({ username: 'auditor' }).update({ failed_logins: 19 });
    await postForm(agent, '/account/mfa', '/account/mfa', { code: currentTotp(secret, 'auditor'), password: 'Wrong#password1', currentCode: '' });
    const user = await ctx.db('users').where({ username: 'auditor' }).first();
    expect(new Date(user.locked_until).getTime()).to.equal(ctx.clock.now().getTime() + 15 * 60_000);
    const refused = await postForm(agent, '/account/mfa', '/account/mfa', { code: currentTotp(secret, 'auditor'), password: DEMO_PASSWORD, currentCode: '' });
    expect(refused.status).to.equal(422);
    expect(refused.text).to.include('账户已被临时锁定');
  });
});
