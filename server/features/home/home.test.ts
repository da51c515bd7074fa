import { expect } from 'chai';
import { SYSTEM_ACTOR } from '../../audit/chain.ts';
import { commitmentInput, daysFromToday, demoUser } from '../../../test/factories.ts';
import { signIn, startTestApp, type TestContext } from '../../../test/helpers.ts';
import { HOME_LIST_LIMIT } from '../commitments/queries.ts';
import { insertCommitment } from '../commitments/service/register.ts';

/** The table rows of the panel whose heading starts with `heading`. */
function panelRows(html: string, heading: string): string[] {
  const start = html.indexOf(`<h2>${heading}`);
  const panel = html.slice(start, html.indexOf('</section>', start));
  return [...panel.matchAll(/<tr>\s*<td class="nowrap" data-label="[^"]*">(\d{4}-\d{2}-\d{2})<\/td>/g)].map((m) => m[1]!);
}

describe('home pages of a large ledger', () => {
  let ctx: TestContext;
  const COUNT = HOME_LIST_LIMIT + 5;

  before(async () => {
    ctx = await startTestApp();
    const agencyId = (await demoUser(ctx.db, 'officer1')).agencyId!;
    // One milestone overdue by 1..COUNT days and one due in 1..COUNT days, each on its own commitment.
    for (let n = 1; n <= COUNT; n++) {
      await insertCommitment(ctx, SYSTEM_ACTOR, commitmentInput(agencyId, {
        milestones: [{ description: `逾期 ${n}`, dueOn: daysFromToday(-n), amountFen: null }, { description: `将到期 ${n}`, dueOn: daysFromToday(n), amountFen: null }],
      }));
    }
  });
  after(() => ctx.close());

  it('lists an officer the nearest overdue and due-soon milestones only, with their totals and a link to the ledger', async () => {
    const officer = await signIn(ctx.app, 'officer1');
    const res = await officer.get('/');
    expect(res.status).to.equal(200);
    const overdue = panelRows(res.text, `已逾期的履约节点（${COUNT}）`);
    const dueSoon = panelRows(res.text, `30 天内到期的履约节点（${COUNT}）`);
    expect(overdue, 'the most recently lapsed first').to.deep.equal(Array.from({ length: HOME_LIST_LIMIT }, (_, i) => daysFromToday(-(i + 1))));
    expect(dueSoon, 'the first to fall due first').to.deep.equal(Array.from({ length: HOME_LIST_LIMIT }, (_, i) => daysFromToday(i + 1)));
    expect(res.text).to.include(`共 ${COUNT} 个，以下是最近逾期的 ${HOME_LIST_LIMIT} 个。`);
    expect(res.text).to.include('href="/commitments?status=overdue&amp;sort=next_due_asc"');
    expect(res.text).to.include(`href="/commitments?dueFrom=${daysFromToday(0)}&amp;dueTo=${daysFromToday(30)}&amp;sort=next_due_asc"`);
  });

  it('counts an auditor’s ledger by status once, agreeing with the ledger itself', async () => {
    const auditor = await signIn(ctx.app, 'auditor');
    const home = await auditor.get('/');
    expect(home.status).to.equal(200);
    const card = (status: string) => Number(new RegExp(`href="/commitments\\?status=${status}"><div class="num">(\\d+)</div>`).exec(home.text)?.[1]);
    expect(card('overdue')).to.equal(COUNT);
    expect(card('in_progress')).to.equal(0);
    const ledger = await auditor.get('/commitments?status=overdue');
    expect(ledger.text).to.include(`共 ${COUNT} 条`);
  });
});
