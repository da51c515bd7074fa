import { expect } from 'chai';
import request from 'supertest';
import { SYSTEM_ACTOR } from '../../audit/chain.ts';
import { completeCreditCode } from '../../domain/credit-code.ts';
import type { ValidationError } from '../../http/errors.ts';
import { issueToken } from './service.ts';
import { postForm, signIn, startTestApp, type TestContext } from '../../../test/helpers.ts';

describe('administration', () => {
  let ctx: TestContext;
  let admin: request.Agent;
  before(async () => {
    ctx = await startTestApp();
    admin = await signIn(ctx.app, 'admin');
  });
  after(() => ctx.close());

  it('forbids admin pages to an enterprise user (403) and asks strangers to sign in', async () => {
    const enterprise = await signIn(ctx.app, 'enterprise1');
    for (const path of ['/admin/agencies', '/admin/enterprises', '/admin/users', '/admin/tokens']) {
      const res = await enterprise.get(path);
      expect(res.status, path).to.equal(403);
      expect(res.text).to.include('您无权访问此页面');
    }
    const anonymous = await request(ctx.app).get('/admin/users');
    expect(anonymous.status).to.equal(303);
    expect(anonymous.headers.location).to.equal('/login?next=%2Fadmin%2Fusers');
  });

  it('keeps the auditor out of account management (separation of duties)', async () => {
    const auditor = await signIn(ctx.app, 'auditor');
    expect((await auditor.get('/admin/users')).status).to.equal(403);
  });

  it('shows the agencies as a city → district → street tree', async () => {
    const res = await admin.get('/admin/agencies');
    expect(res.status).to.equal(200);
    const tree = res.text.slice(res.text.indexOf('class="tree"'));
    const city = tree.indexOf('青岛市人民政府');
    const district = tree.indexOf('市南区人民政府');
    const street = tree.indexOf('湛山街道办事处');
    expect(city).to.be.greaterThan(-1);
    expect(district).to.be.greaterThan(city);
    expect(street).to.be.greaterThan(district);
    expect(tree.slice(district, street)).to.include('<ul class="tree">');
  });

  it('creates and edits an agency, refusing a parent of a lower level', async () => {
    const streetId = (await ctx.db('agencies').where({ code: 'QD-SN-ZS' }).first()).id;
    const bad = await postForm(admin, '/admin/agencies/new', '/admin/agencies', { name: '市南区财政局', code: 'QD-SN-CZ', level: 'district', parentId: streetId });
    expect(bad.status).to.equal(422);
    expect(bad.text).to.include('上级单位的层级必须高于本单位');
    expect(bad.text).to.include('value="市南区财政局"');
    const cityId = (await ctx.db('agencies').where({ code: 'QD-GOV' }).first()).id;
    const ok = await postForm(admin, '/admin/agencies/new', '/admin/agencies', { name: '青岛市财政局', code: 'QD-CZJ', level: 'city', parentId: '' });
    expect(ok.status).to.equal(303);
    const created = await ctx.db('agencies').where({ code: 'QD-CZJ' }).first();
    const edit = await postForm(admin, `/admin/agencies/${created.id}/edit`, `/admin/agencies/${created.id}`, { name: '青岛市财政局（改）', code: 'QD-CZJ', level: 'district', parentId: cityId });
    expect(edit.status).to.equal(303);
    expect((await ctx.db('agencies').where({ id: created.id }).first()).parent_id).to.equal(cityId);
    const audit = await ctx.db('audit_log').where({ entity_type: 'agency', entity_id: String(created.id) }).pluck('action');
    expect(audit).to.deep.equal(['agency.created', 'agency.updated']);
  });

  it('re-renders a refused edit as the same edit, so saving again does not create a new agency', async () => {
    const agency = await ctx.db('agencies').where({ code: 'QD-SWJ' }).first();
    const res = await postForm(admin, `/admin/agencies/${agency.id}/edit`, `/admin/agencies/${agency.id}`, { name: '', code: 'QD-SWJ', level: 'city', parentId: '' });
    expect(res.status).to.equal(422);
    expect(res.text).to.include(`action="/admin/agencies/${agency.id}"`);
    expect(res.text).to.include('此项必填');
  });

  describe('enterprises and the unified social credit code', () => {
    const valid = completeCreditCode('91370202MA5X6Y7W');

    it('registers an enterprise with a valid code and finds it by name or code', async () => {
      const res = await postForm(admin, '/admin/enterprises/new', '/admin/enterprises', { name: '青岛测试贸易有限公司', creditCode: valid.toLowerCase(), type: 'private', scale: 'small', district: '市南区' });
      expect(res.status).to.equal(303);
      expect((await admin.get(`/admin/enterprises?q=${encodeURIComponent('测试贸易')}`)).text).to.include(valid);
      expect((await admin.get(`/admin/enterprises?q=${valid.slice(0, 10)}`)).text).to.include('青岛测试贸易有限公司');
      expect((await admin.get(`/admin/enterprises?q=${encodeURIComponent('不存在的企业')}`)).text).to.not.include('青岛测试贸易有限公司');
    });

    it('refuses a wrong overall check character, naming the rule and keeping the input', async () => {
      const wrong = valid.slice(0, 17) + (valid[17] === '0' ? '1' : '0');
      const res = await postForm(admin, '/admin/enterprises/new', '/admin/enterprises', { name: '校验位错误公司', creditCode: wrong, type: 'private', scale: 'micro', district: '' });
      expect(res.status).to.equal(422);
      expect(res.text).to.include(`第 18 位校验位错误：应为“${valid[17]}”`);
      expect(res.text).to.include('value="校验位错误公司"');
      expect(res.text).to.include(`value="${wrong}"`);
    });

    it('refuses a wrong organisation-code check character (position 17)', async () => {
      const wrong17 = valid.slice(0, 16) + (valid[16] === '1' ? '2' : '1') + valid[17];
      const res = await postForm(admin, '/admin/enterprises/new', '/admin/enterprises', { name: '组织机构代码错误公司', creditCode: wrong17, type: 'private', scale: 'micro' });
      expect(res.status).to.equal(422);
      expect(res.text).to.include('第 17 位组织机构代码校验位错误');
    });

    it('accepts a legacy code failing a check only with a recorded reason', async () => {
      const legacy = valid.slice(0, 17) + (valid[17] === 'Y' ? 'X' : 'Y');
      const res = await postForm(admin, '/admin/enterprises/new', '/admin/enterprises', { name: '历史代码企业', creditCode: legacy, type: 'state_owned', scale: 'large', codeExceptionReason: '1990 年代登记的存量代码，经市场监管局书面确认' });
      expect(res.status).to.equal(303);
      expect((await ctx.db('enterprises').where({ credit_code: legacy }).first()).code_exception_reason).to.include('市场监管局');
    });

    it('refuses a duplicate code and a code of the wrong length, in English too', async () => {
      const dup = await postForm(admin, '/admin/enterprises/new', '/admin/enterprises', { name: '重复', creditCode: valid, type: 'private', scale: 'small' });
      expect(dup.status).to.equal(422);
      expect(dup.text).to.include('该统一社会信用代码已登记');
      const englishAdmin = await signIn(ctx.app, 'admin');
      const short = await postForm(englishAdmin, '/admin/enterprises/new?lang=en', '/admin/enterprises', { name: 'Short', creditCode: '9137', type: 'private', scale: 'small' });
      expect(short.text).to.include('The code must have 18 characters; it has 4.');
    });
  });

  describe('users', () => {
    it('lists users with their last sign-in', async () => {
      const res = await admin.get('/admin/users');
      expect(res.text).to.include('officer1');
      expect(res.text).to.include('最近登录');
      expect(res.text).to.include('从未');
    });

    it('requires an agency for an officer and keeps the form input', async () => {
      const res = await postForm(admin, '/admin/users/new', '/admin/users', { username: 'noagency', displayName: '无单位', role: 'officer', agencyId: '', enterpriseId: '', password: 'Initial#Pass2026' });
      expect(res.status).to.equal(422);
      expect(res.text).to.include('机关经办人必须选择所属机关单位');
      expect(res.text).to.include('value="noagency"');
    });

    it('locks an account, ending its sessions, and a reset password must be changed', async () => {
      const officer = await signIn(ctx.app, 'officer2');
      const id = (await ctx.db('users').where({ username: 'officer2' }).first()).id;
      await postForm(admin, '/admin/users', `/admin/users/${id}/lock`, {});
      expect((await officer.get('/')).headers.location).to.equal('/login');
      await postForm(admin, '/admin/users', `/admin/users/${id}/unlock`, {});
      const reset = await postForm(admin, `/admin/users/${id}/password`, `/admin/users/${id}/password`, { password: 'Reset#Pass-2026' });
      expect(reset.status).to.equal(303);
      const again = await signIn(ctx.app, 'officer2', 'Reset#Pass-2026');
      expect((await again.get('/')).headers.location).to.equal('/account/password');
      const actions = await ctx.db('audit_log').where({ entity_type: 'user', entity_id: String(id) }).pluck('action');
      expect(actions).to.include.members(['user.locked', 'user.unlocked', 'user.password_reset']);
    });
  });

  describe('API tokens', () => {
    it('issues a token shown once, which acts as its user on /api/v1 until revoked', async () => {
      const officerId = (await ctx.db('users').where({ username: 'officer1' }).first()).id;
      const res = await postForm(admin, '/admin/tokens', '/admin/tokens', { userId: officerId, label: 'ERP 对接', days: 30 });
      expect(res.status).to.equal(200);
      const token = /data-token>(il_[A-Za-z0-9_-]+)</.exec(res.text)![1]!;
      const stored = await ctx.db('api_tokens').where({ label: 'ERP 对接' }).first();
      expect(stored.token_hash).to.have.length(64);
      expect(JSON.stringify(stored)).to.not.include(token);
      expect((await admin.get('/admin/tokens')).text).to.not.include(token);

      const me = await request(ctx.app).get('/api/v1/me').set('Authorization', `Bearer ${token}`);
      expect(me.status).to.equal(200);
      expect(me.body).to.include({ username: 'officer1', role: 'officer' });
      expect(me.body.agency.name).to.equal('青岛市行政审批服务局');
      expect((await ctx.db('api_tokens').where({ id: stored.id }).first()).last_used_at, 'use is recorded').to.be.a('string');

      await postForm(admin, '/admin/tokens', `/admin/tokens/${stored.id}/revoke`, {});
      const after = await request(ctx.app).get('/api/v1/me').set('Authorization', `Bearer ${token}`);
      expect(after.status).to.equal(401);
      expect(after.body.error.code).to.equal('unauthorized');
      expect(await ctx.db('audit_log').where({ entity_type: 'api_token', entity_id: String(stored.id) }).pluck('action')).to.deep.equal(['token.created', 'token.revoked']);
    });

    it('issues a token only to a user who has met the sign-in duties of their role', async () => {
      const agencyId = (await ctx.db('agencies').where({ code: 'QD-SWJ' }).first()).id;
      await postForm(admin, '/admin/users/new', '/admin/users', { username: 'erpbot', displayName: 'ERP 接口', role: 'officer', agencyId, enterpriseId: '', password: 'Initial#Pass2026' });
      const botId = (await ctx.db('users').where({ username: 'erpbot' }).first()).id;
      const refused = await postForm(admin, '/admin/tokens', '/admin/tokens', { userId: botId, label: 'ERP', days: 30 });
      expect(refused.status).to.equal(422);
      expect(refused.text).to.include('erpbot 须先登录并修改管理员设置的初始密码，之后才能签发令牌。');
      expect(await ctx.db('api_tokens').where({ user_id: botId }).count({ n: '*' }).first()).to.deep.equal({ n: 0 });

      const strict = await startTestApp({ env: { MFA_REQUIRED_ROLES: 'officer' } });
      try {
        const officerId = (await strict.db('users').where({ username: 'officer1' }).first()).id;
        const input = { userId: officerId, label: 'ERP', days: 30 };
        const error = await issueToken(strict.db, SYSTEM_ACTOR, input, strict.config).then(() => null, (err: ValidationError) => err.fieldErrors);
        expect(error).to.deep.equal([{ path: 'userId', key: 'admin:tokens.notReady.mfa', params: { username: 'officer1' } }]);
        const { token } = await issueToken(strict.db, SYSTEM_ACTOR, input, { mfaRequiredRoles: [] });
        const me = await request(strict.app).get('/api/v1/me').set('Authorization', `Bearer ${token}`);
        expect(me.status, 'a token issued before the role required TOTP').to.equal(401);
      } finally {
        await strict.close();
      }
    });

    it('revokes every token of a user when an admin resets the password or disables the account', async () => {
      const officerId = (await ctx.db('users').where({ username: 'officer1' }).first()).id;
      const issue = async (label: string) => (await issueToken(ctx.db, SYSTEM_ACTOR, { userId: officerId, label, days: 30 }, ctx.config)).token;
      const works = async (token: string) => (await request(ctx.app).get('/api/v1/me').set('Authorization', `Bearer ${token}`)).status;

      const before = [await issue('报表同步'), await issue('数据交换')];
      for (const token of before) expect(await works(token)).to.equal(200);
      await postForm(admin, `/admin/users/${officerId}/password`, `/admin/users/${officerId}/password`, { password: 'Reset#Pass-2027' });
      for (const token of before) expect(await works(token), 'after the reset').to.equal(401);
      const revoked = await ctx.db('audit_log').where({ action: 'token.revoked' }).orderBy('id', 'desc').limit(2).pluck('after_json');
      expect(revoked.map((j: string) => JSON.parse(j).reason)).to.deep.equal(['password-reset', 'password-reset']);

      await ctx.db('users').where({ id: officerId }).update({ must_change_password: false });
      const again = await issue('数据交换 2');
      expect(await works(again)).to.equal(200);
      await postForm(admin, '/admin/users', `/admin/users/${officerId}/lock`, {});
      expect(await works(again), 'after the account is disabled').to.equal(401);
      expect((await ctx.db('api_tokens').where({ user_id: officerId }).whereNull('revoked_at').count({ n: '*' }).first())!.n).to.equal(0);
      await postForm(admin, '/admin/users', `/admin/users/${officerId}/unlock`, {});
    });

    it('answers JSON errors in one shape, without a token and for unknown routes', async () => {
      const none = await request(ctx.app).get('/api/v1/me');
      expect(none.status).to.equal(401);
      expect(none.body).to.have.nested.property('error.code', 'unauthorized');
      expect(none.body).to.have.nested.property('error.message');
      const bogus = await request(ctx.app).get('/api/v1/me').set('Authorization', 'Bearer il_nottherightone');
      expect(bogus.status).to.equal(401);
      const unknown = await request(ctx.app).get('/api/v1/nothing-here').set('Authorization', 'Bearer il_x');
      expect(unknown.status).to.equal(401);
    });
  });
});
