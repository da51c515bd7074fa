import { expect } from 'chai';
import type request from 'supertest';
import { DEMO_ENTERPRISES } from '../../../db/seeds/demo.ts';
import { idOf, signIn, startTestApp, type TestContext } from '../../../test/helpers.ts';
import { daysFromToday, demoUser } from '../../../test/factories.ts';
import { insertTestCase } from './cases-test-data.ts';

/** The case lists of each role, their flags, filters and pager, the auditors' overdue queue, the navigation and the enterprise's cases to rate. */
describe('the case lists', () => {
  let ctx: TestContext;
  let approval: number;
  let commerce: number;
  let zhanshan: number;
  let own: number;
  let agents: Record<'officer1' | 'officer2' | 'auditor' | 'enterprise1', request.Agent>;
  const ids: Record<string, number> = {};
  /** Case ids in a list page's order. */
  const listed = (html: string) => [...html.matchAll(/<a href="\/complaints\/(\d+)">/g)].map((m) => Number(m[1]));

  before(async () => {
    ctx = await startTestApp();
    approval = (await demoUser(ctx.db, 'officer1')).agencyId!;
    commerce = (await demoUser(ctx.db, 'officer2')).agencyId!;
    zhanshan = await idOf(ctx.db, 'agencies', { code: 'QD-SN-ZS' });
    own = (await demoUser(ctx.db, 'enterprise1')).enterpriseId!;
    const other = await idOf(ctx.db, 'enterprises', { name: DEMO_ENTERPRISES[3].name });
    const add = async (key: string, spec: Parameters<typeof insertTestCase>[1]) => (ids[key] = (await insertTestCase(ctx.db, spec)).id);
    await add('lateAccept', { enterpriseId: own, agencyId: approval, submittedOn: daysFromToday(-40), category: 'arrears_unpaid' });
    await add('fresh', { enterpriseId: own, agencyId: approval, submittedOn: daysFromToday(0) });
    await add('investigating', { enterpriseId: other, agencyId: approval, submittedOn: daysFromToday(-6), steps: [{ action: 'accept', by: 'agency', on: daysFromToday(-5) }, { action: 'investigate', by: 'agency', on: daysFromToday(-4) }] });
    await add('rejected', { enterpriseId: own, agencyId: approval, submittedOn: daysFromToday(-10), steps: [{ action: 'reject', by: 'agency', on: daysFromToday(-9), note: '不属于本单位职责' }] });
    await add('forwarded', { enterpriseId: other, agencyId: commerce, forwardedToAgencyId: approval, submittedOn: daysFromToday(-30), steps: [{ action: 'forward', by: 'auditor', on: daysFromToday(-29) }] });
    await add('commerceOnly', { enterpriseId: own, agencyId: commerce, submittedOn: daysFromToday(-3), category: 'policy_not_honoured' });
    await add('toRate', { enterpriseId: own, agencyId: commerce, submittedOn: daysFromToday(-60), steps: [{ action: 'accept', by: 'agency', on: daysFromToday(-59) }, { action: 'investigate', by: 'agency', on: daysFromToday(-58) }, { action: 'resolve', by: 'agency', on: daysFromToday(-2), note: '已兑现' }] });
    await add('visitOwed', {
      enterpriseId: own, agencyId: commerce, submittedOn: daysFromToday(-60),
      steps: [{ action: 'accept', by: 'agency', on: daysFromToday(-59) }, { action: 'investigate', by: 'agency', on: daysFromToday(-58) }, { action: 'resolve', by: 'agency', on: daysFromToday(-20), note: '办结' }, { rate: 'dissatisfied', on: daysFromToday(-18) }, { action: 'resolve', by: 'agency', on: daysFromToday(-1), note: '整改完成' }],
    });
    agents = Object.fromEntries(await Promise.all((['officer1', 'officer2', 'auditor', 'enterprise1'] as const).map(async (n) => [n, await signIn(ctx.app, n)]))) as typeof agents;
  });
  after(() => ctx.close());

  it('shows an officer the cases against its agency and forwarded to it, nearest deadline first, closed last, overdue steps flagged', async () => {
    const page = await agents.officer1.get('/complaints');
    expect(page.status).to.equal(200);
    const dueOf = async (id: number) => (await ctx.db('complaints').where({ id }).first('current_due_on')).current_due_on as string | null;
    const expected = [ids.lateAccept!, ids.fresh!, ids.investigating!, ids.rejected!, ids.forwarded!];
    const dues = new Map(await Promise.all(expected.map(async (id) => [id, await dueOf(id)] as const)));
    expected.sort((a, b) => (dues.get(a) === null ? 1 : 0) - (dues.get(b) === null ? 1 : 0) || String(dues.get(a)).localeCompare(String(dues.get(b))) || a - b);
    expect(listed(page.text)).to.deep.equal(expected);
    expect(expected.at(-1)).to.equal(ids.rejected);
    expect(page.text.match(/flag-overdue/g)).to.have.length(2);
    const rowOf = (id: number) => page.text.slice(page.text.indexOf(`href="/complaints/${id}"`), page.text.indexOf('</tr>', page.text.indexOf(`href="/complaints/${id}"`)));
    expect(rowOf(ids.lateAccept!)).to.include('flag-overdue').and.include('待受理');
    expect(rowOf(ids.forwarded!)).to.include('flag-overdue');
    expect(rowOf(ids.fresh!)).to.not.include('flag-overdue');
    expect(rowOf(ids.investigating!)).to.include('待办结').and.include(DEMO_ENTERPRISES[3].name);
  });

  it('filters by status, overdue and category, and reports a bad filter beside it', async () => {
    const list = async (query: string) => listed((await agents.officer1.get(`/complaints?${query}`)).text).sort((a, b) => a - b);
    expect(await list('overdue=yes')).to.deep.equal([ids.lateAccept, ids.forwarded].sort((a, b) => a! - b!));
    expect(await list('overdue=no')).to.deep.equal([ids.fresh, ids.investigating, ids.rejected].sort((a, b) => a! - b!));
    expect(await list('status=rejected')).to.deep.equal([ids.rejected]);
    expect(await list('category=arrears_unpaid')).to.deep.equal([ids.lateAccept]);
    const bad = await agents.officer1.get('/complaints?status=lost&category=arrears_unpaid');
    expect(bad.status).to.equal(422);
    expect(listed(bad.text)).to.deep.equal([ids.lateAccept]);
  });

  it('shows an enterprise its own cases, newest first; auditors every case, with the agency filter and a pager', async () => {
    const mine = listed((await agents.enterprise1.get('/complaints')).text);
    expect(mine.sort((a, b) => a - b)).to.deep.equal([ids.lateAccept, ids.fresh, ids.rejected, ids.commerceOnly, ids.toRate, ids.visitOwed].sort((a, b) => a! - b!));
    expect(listed((await agents.auditor.get(`/complaints?agencyId=${commerce}`)).text).sort((a, b) => a - b)).to.deep.equal([ids.forwarded, ids.commerceOnly, ids.toRate, ids.visitOwed].sort((a, b) => a! - b!));
    for (let i = 0; i < 52; i++) await insertTestCase(ctx.db, { enterpriseId: own, agencyId: zhanshan, submittedOn: daysFromToday(-i) });
    const first = await agents.auditor.get(`/complaints?agencyId=${zhanshan}`);
    expect(listed(first.text)).to.have.length(50);
    expect(first.text).to.include(`href="/complaints?agencyId=${zhanshan}&amp;page=2"`);
    expect(listed((await agents.auditor.get(`/complaints?agencyId=${zhanshan}&page=2`)).text)).to.have.length(2);
    await ctx.db('complaint_steps').whereIn('complaint_id', ctx.db('complaints').where({ agency_id: zhanshan }).select('id')).delete();
    await ctx.db('complaints').where({ agency_id: zhanshan }).delete();
  });

  it('gives the auditors the overdue queue, the longest overdue first, and no one else', async () => {
    const queue = await agents.auditor.get('/complaints/overdue');
    expect(queue.status).to.equal(200);
    expect(listed(queue.text)).to.deep.equal([ids.lateAccept, ids.forwarded]);
    expect(queue.text).to.include('超期案件');
    expect((await agents.officer1.get('/complaints/overdue')).status).to.equal(403);
    expect((await agents.enterprise1.get('/complaints/overdue')).status).to.equal(403);
  });

  it('puts the entries in each role’s navigation, and the auditors’ queues and figures on their case list', async () => {
    const nav = async (agent: request.Agent) => (await agent.get('/complaints')).text;
    expect(await nav(agents.enterprise1)).to.match(/<a href="\/complaints"[^>]*>我的投诉<\/a>/).and.match(/<a href="\/complaints\/new"[^>]*>投诉违约<\/a>/);
    expect(await nav(agents.officer1)).to.match(/<a href="\/complaints"[^>]*>投诉办理<\/a>/);
    expect(await nav(agents.auditor))
      .to.match(/<a href="\/complaints"[^>]*>投诉监督<\/a>/)
      .and.match(/<a [^>]*href="\/complaints\/overdue"[^>]*>超期案件<\/a>/)
      .and.match(/<a [^>]*href="\/complaints\/appeals"[^>]*>/)
      .and.match(/<a [^>]*href="\/complaints\/statistics"[^>]*>/);
    expect(await nav(agents.officer1)).to.not.match(/href="\/complaints\/overdue"/);
  });

  it('lists on the enterprise’s home the resolved cases it may rate now, linked to the rating form, not one owed a follow-up visit', async () => {
    const home = (await agents.enterprise1.get('/')).text;
    expect(home).to.include('待评价的投诉（1）').and.include(`href="/complaints/${ids.toRate}/rate"`).and.not.include(`/complaints/${ids.visitOwed}/rate`);
    const dueOn = (await ctx.db('complaints').where({ id: ids.toRate }).first('current_due_on')).current_due_on;
    expect(home).to.include(`请于 ${dueOn} 前评价`);
  });
});
