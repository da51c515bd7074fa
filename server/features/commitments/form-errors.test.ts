import { expect } from 'chai';
import request from 'supertest';
import { SYSTEM_ACTOR } from '../../audit/chain.ts';
import { issueToken } from '../admin/service.ts';
import { postForm, signIn, startTestApp, type TestContext } from '../../../test/helpers.ts';
import { daysFromToday, demoUser } from '../../../test/factories.ts';

/** The error summary's links: [href, the field's name as linked, the message after it]. */
function summaryLinks(html: string): Array<[string, string, string]> {
  const summary = /<div class="flash flash-error error-summary"[\s\S]*?<\/div>/.exec(html)?.[0] ?? '';
  return [...summary.matchAll(/<li><a href="#([^"]+)">([^<]+)<\/a>([^<]+)<\/li>/g)].map((m) => [m[1]!, m[2]!, m[3]!.trim()]);
}

/** A refused form says which field is wrong, in words, and links to it; the API says where too. */
describe('form errors', () => {
  let ctx: TestContext;

  const fields = (over: Record<string, string> = {}): Record<string, string> => ({
    kind: 'contract', title: '政务云扩容合同', referenceNo: `ERR-${Math.random().toString(36).slice(2, 8)}`, basis: '', signedOn: daysFromToday(-10), amount: '5000', responsibleOfficial: '张处长',
    'milestones[0][description]': '首期', 'milestones[0][dueOn]': daysFromToday(30), 'milestones[0][amount]': '',
    'milestones[1][description]': '尾款', 'milestones[1][dueOn]': '2026-02-30', 'milestones[1][amount]': '',
    ...over,
  });

  before(async () => {
    ctx = await startTestApp();
  });
  after(() => ctx.close());

  it('names a milestone row’s field by its row in the summary and links to that input', async () => {
    const officer = await signIn(ctx.app, 'officer1');
    const res = await postForm(officer, '/commitments/new', '/commitments', fields({ title: '', amount: '' }));
    expect(res.status).to.equal(422);
    const links = summaryLinks(res.text);
    expect(links).to.deep.equal([
      ['f-title', '承诺事项', '：此项必填。'],
      ['f-amount', '金额（元）', '：此项必填。'],
      ['m-1-dueOn', '第 2 个履约节点的到期日', '：请输入有效日期（YYYY-MM-DD）。'],
    ]);
    expect(res.text).to.include('表单中有 3 处错误：');
    // Every link leads to a field on the page, labelled with the same words.
    for (const [id, label] of links) {
      expect(res.text).to.match(new RegExp(`id="${id}"`));
      expect(res.text).to.include(`for="${id}"`);
      if (id.startsWith('m-')) expect(res.text).to.include(`<label for="${id}" class="sr-only">${label}</label>`);
    }
    expect(res.text).to.include('data-error-summary');

    const english = await postForm(officer, '/commitments/new?lang=en', '/commitments?lang=en', fields());
    expect(summaryLinks(english.text)).to.deep.equal([['m-1-dueOn', 'Due date of milestone 2', ': Enter a valid date (YYYY-MM-DD).']]);
    expect(english.text).to.include('The form has one error:');
  });

  it('says that at least one milestone is needed, linked to the first row', async () => {
    const officer = await signIn(ctx.app, 'officer1');
    const blank = { 'milestones[0][description]': '', 'milestones[0][dueOn]': '', 'milestones[1][description]': '', 'milestones[1][dueOn]': '' };
    const res = await postForm(officer, '/commitments/new', '/commitments', fields(blank));
    expect(res.status).to.equal(422);
    expect(summaryLinks(res.text)).to.deep.equal([['m-0-description', '履约节点', '：至少需要一个履约节点。']]);
    expect(res.text).to.not.include('数值过小');
  });

  it('gives the API the path of each bad field and the same words', async () => {
    const officer = await demoUser(ctx.db, 'officer1');
    const { token } = await issueToken(ctx.db, SYSTEM_ACTOR, { userId: officer.id, label: 'errors', days: 1 }, ctx.config);
    const post = (body: object) => request(ctx.app).post('/api/v1/commitments').set('Authorization', `Bearer ${token}`).send(body);
    const body = {
      kind: 'contract', title: '政务云扩容合同', referenceNo: 'API-ERR-1', agencyId: officer.agencyId, signedOn: daysFromToday(-10), amountFen: 500_000, responsibleOfficial: '张处长', isPublic: true,
      milestones: [{ description: '首期', dueOn: daysFromToday(30) }, { description: '尾款', dueOn: '2026-02-30' }],
    };
    const bad = await post(body);
    expect(bad.status).to.equal(422);
    expect(bad.body.error.details).to.deep.equal([{ path: 'milestones.1.dueOn', message: '请输入有效日期（YYYY-MM-DD）。' }]);
    const none = await post({ ...body, milestones: [] });
    expect(none.body.error.details).to.deep.equal([{ path: 'milestones', message: '至少需要一个履约节点。' }]);
  });
});
