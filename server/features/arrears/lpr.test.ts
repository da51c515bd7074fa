import { expect } from 'chai';
import { daysFromToday } from '../../../test/factories.ts';
import { csrfFrom, postForm, signIn, startTestApp, type TestContext } from '../../../test/helpers.ts';
import { lprInForce } from './rules.ts';
import { lprRates } from './repository.ts';

describe('the LPR table /arrears/lpr', () => {
  let ctx: TestContext;

  before(async () => {
    ctx = await startTestApp();
  });
  after(() => ctx.close());

  it('shows the published quotations to everyone signed in, and the form to admins only', async () => {
    for (const username of ['officer1', 'enterprise1', 'auditor']) {
      const page = await (await signIn(ctx.app, username)).get('/arrears/lpr');
      expect(page.status, username).to.equal(200);
      expect(page.text).to.include('2019-08-20').and.include('4.25%');
      expect(page.text).to.not.include('action="/arrears/lpr"');
    }
    expect((await (await signIn(ctx.app, 'admin')).get('/arrears/lpr')).text).to.include('action="/arrears/lpr"');
  });

  it('lets an admin add a quotation, exactly as written, audited, and the rules use it from its date', async () => {
    const admin = await signIn(ctx.app, 'admin');
    const date = daysFromToday(-1);
    const res = await postForm(admin, '/arrears/lpr', '/arrears/lpr', { effectiveOn: date, percent: ' 2.95 ' });
    expect(res.status, res.text.slice(0, 300)).to.equal(303);
    const row = await ctx.db('lpr_rates').where({ effective_on: date }).first();
    expect(row.one_year_percent).to.equal('2.95');
    const entry = await ctx.db('audit_log').where({ action: 'arrears.lpr_added' }).first();
    expect(entry).to.include({ entity_type: 'lpr_rate', entity_id: String(row.id), actor_name: 'admin' });
    expect(lprInForce(await lprRates(ctx.db), daysFromToday(0))).to.deep.equal({ effectiveOn: date, percent: '2.95' });
  });

  it('refuses a second quotation for a date, a date in the future, and a percent that is not exact decimal text', async () => {
    const admin = await signIn(ctx.app, 'admin');
    const duplicate = await postForm(admin, '/arrears/lpr', '/arrears/lpr', { effectiveOn: '2025-05-20', percent: '3.00' });
    expect(duplicate.status).to.equal(422);
    expect(duplicate.text).to.include('2025-05-20 的报价已录入');
    const future = await postForm(admin, '/arrears/lpr', '/arrears/lpr', { effectiveOn: daysFromToday(1), percent: '3.00' });
    expect(future.status).to.equal(422);
    expect(future.text).to.include('执行日期不能晚于今天');
    for (const percent of ['3.1.2', '3,00', '-1', '0', '0.00', '120', '']) {
      const bad = await postForm(admin, '/arrears/lpr', '/arrears/lpr', { effectiveOn: '2018-01-01', percent });
      expect(bad.status, percent).to.equal(422);
    }
    expect(await ctx.db('lpr_rates').where({ effective_on: '2018-01-01' }).first()).to.equal(undefined);
  });

  it('answers 403 when anyone but an admin posts a quotation', async () => {
    const auditor = await signIn(ctx.app, 'auditor');
    const token = await csrfFrom(auditor, '/arrears/lpr');
    const res = await auditor.post('/arrears/lpr').type('form').send({ _csrf: token, effectiveOn: '2018-01-01', percent: '4.00' });
    expect(res.status).to.equal(403);
    expect(await ctx.db('lpr_rates').where({ effective_on: '2018-01-01' }).first()).to.equal(undefined);
  });
});
