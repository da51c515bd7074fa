import { expect } from 'chai';
import { postForm, signIn, startTestApp, type TestContext } from './helpers.ts';
import { callerFor, commitmentInput, daysFromToday, demoUser, TEST_CLOCK } from './factories.ts';
import { recordFulfilment, respondToFulfilment } from '../server/features/commitments/service/fulfilments.ts';
import { createCommitment } from '../server/features/commitments/service/register.ts';
import { requestWaiver } from '../server/features/commitments/service/waivers.ts';
import { formatDate } from '../server/i18n/formats.ts';

/** The text a page shows, without its markup, scripts or attribute values. */
function visibleText(html: string): string {
  return html.replace(/<script[\s\S]*?<\/script>/g, '').replace(/<[^>]+>/g, ' ').replace(/&[a-z]+;/g, ' ').replace(/\s+/g, ' ');
}

/** Each full-width punctuation mark in the text, with what surrounds it. */
function fullWidthIn(text: string): string[] {
  return [...text.matchAll(/.{0,30}[，。：；！？（）【】、《》「」\u3000].{0,30}/g)].map((m) => m[0].trim());
}

/** Dates, times and punctuation look the same on every page of one language. */
describe('formats on the pages', () => {
  let ctx: TestContext;
  let commitmentId: number;
  let properNames: string[];

  before(async () => {
    ctx = await startTestApp();
    const officer = callerFor(await demoUser(ctx.db, 'officer1'));
    const enterprise = callerFor(await demoUser(ctx.db, 'enterprise1'));
    // Records in plain ASCII: any full-width punctuation on an English page then comes from the app itself.
    const milestones = [{ description: 'First payment', dueOn: daysFromToday(-5), amountFen: 100_000 }, { description: 'Final payment', dueOn: daysFromToday(40), amountFen: 100_000 }];
    commitmentId = await createCommitment(ctx, officer, commitmentInput(officer.user.agencyId!, { title: 'Smart hall contract', referenceNo: 'EN-1', basis: 'Contract 7', responsibleOfficial: 'Zhang', enterpriseId: enterprise.user.enterpriseId, signedOn: daysFromToday(-30), milestones }));
    const [first, second] = await ctx.db('milestones').where({ commitment_id: commitmentId }).orderBy('seq').pluck('id');
    const { fulfilmentId } = await recordFulfilment(ctx, officer, commitmentId, first, { fulfilledOn: daysFromToday(-1), note: 'Paid in part', amountFen: 50_000, complete: false });
    await respondToFulfilment(ctx, enterprise, commitmentId, fulfilmentId, { response: 'partly', comment: 'Half arrived' });
    await requestWaiver(ctx, officer, commitmentId, second, 'Not needed');
    await ctx.db('users').update({ display_name: 'Tester' });
    properNames = [...(await ctx.db('agencies').pluck('name')), ...(await ctx.db('enterprises').pluck('name'))];
  });
  after(() => ctx.close());

  it('writes English pages with half-width punctuation throughout', async () => {
    const pages: Array<[string, string[]]> = [
      ['officer1', ['/', '/commitments', `/commitments/${commitmentId}`, '/commitments/new', '/commitments/import', '/calendar/working-days?from=2025-09-30&days=10', '/account/security']],
      ['auditor', ['/', '/commitments/waivers']],
      ['enterprise1', ['/']],
      ['admin', ['/admin/users', '/admin/users/new', '/admin/tokens', '/admin/enterprises']],
    ];
    for (const [user, paths] of pages) {
      const agent = await signIn(ctx.app, user);
      for (const path of paths) {
        const res = await agent.get(`${path}${path.includes('?') ? '&' : '?'}lang=en`);
        expect(res.status, path).to.equal(200);
        // Agency and enterprise names are Chinese proper names, not the app's words.
        const text = properNames.reduce((t, name) => t.split(name).join(''), visibleText(res.text));
        expect(fullWidthIn(text), `${user} ${path}`).to.deep.equal([]);
      }
    }
    const refused = await postForm(await signIn(ctx.app, 'officer1'), '/commitments/new?lang=en', '/commitments?lang=en', { kind: 'contract', title: '', 'milestones[0][description]': 'x', 'milestones[0][dueOn]': '2026-02-30' });
    expect(refused.status).to.equal(422);
    expect(fullWidthIn(visibleText(refused.text))).to.deep.equal([]);
  });

  it('shows dates and times as 29 Nov 2026, 14:05 in English and 2026-11-29 14:05 in Chinese', async () => {
    const agent = await signIn(ctx.app, 'officer1');
    const english = visibleText((await agent.get(`/commitments/${commitmentId}?lang=en`)).text);
    expect(english).to.include(`Signed on ${formatDate(daysFromToday(-30), 'en')}`);
    expect(english).to.match(/\d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2}/);
    expect(english).to.not.match(/\d{4}-\d{2}-\d{2}/);
    const chinese = visibleText((await agent.get(`/commitments/${commitmentId}?lang=zh-CN`)).text);
    expect(chinese).to.match(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
    expect(chinese).to.not.match(/\d{4}\/\d{2}\/\d{2}/);
    expect(chinese).to.include(TEST_CLOCK.today());
  });
});
