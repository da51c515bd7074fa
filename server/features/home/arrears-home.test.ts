import { expect } from 'chai';
import { TEST_CLOCK } from '../../../test/factories.ts';
import { signIn, startTestApp, type TestContext } from '../../../test/helpers.ts';
import { insertKnownArrears, type KnownArrears } from '../arrears/summary-test-data.ts';
import { yearStart } from '../arrears/summary.ts';
import { formatYuan } from '../../domain/money.ts';

/** The figure a home card shows under its id. */
function card(html: string, id: string): string | undefined {
  return new RegExp(`<div class="num" id="${id}">([^<]*)</div>`).exec(html)?.[1];
}

describe('the arrears on each role’s home', () => {
  let ctx: TestContext;
  let known: KnownArrears;
  const today = TEST_CLOCK.today();

  before(async () => {
    ctx = await startTestApp();
    known = await insertKnownArrears(ctx.db, today);
  });
  after(() => ctx.close());

  it('shows an officer what its agency owes, cleared this year, its clearance rate, the overdue money and the missed instalments of current plans', async () => {
    const html = (await (await signIn(ctx.app, 'officer1')).get('/')).text;
    expect(card(html, 'arrears-owed')).to.equal('20,000.00');
    // Only the counted payments dated this calendar year (the reversed and the disputed ones never count).
    const thisYear = known.countedOfA.filter((p) => p.paidOn >= yearStart(today)).reduce((sum, p) => sum + p.amountFen, 0);
    expect(card(html, 'arrears-cleared-this-year')).to.equal(formatYuan(thisYear));
    expect(card(html, 'arrears-rate')).to.equal('60%');
    expect(card(html, 'arrears-overdue')).to.equal('7,000.00');
    expect(html).to.include('逾期未付（元，2 笔）');
    // The current plan's first instalment was missed; the superseded plan no longer counts.
    expect(card(html, 'arrears-missed-instalments')).to.equal('1');
    expect(html).to.include('href="/arrears?overdue=yes&amp;sort=overdue_desc"');
  });

  it('shows another agency’s officer only its own arrears', async () => {
    const html = (await (await signIn(ctx.app, 'officer2')).get('/')).text;
    expect(card(html, 'arrears-owed')).to.equal('3,500.00');
    expect(card(html, 'arrears-rate')).to.equal('0%');
    expect(card(html, 'arrears-overdue')).to.equal('1,500.00');
    expect(card(html, 'arrears-missed-instalments')).to.equal('0');
  });

  it('shows auditors the city’s figures with a link to the clearance dashboard', async () => {
    const html = (await (await signIn(ctx.app, 'auditor')).get('/')).text;
    expect(card(html, 'arrears-owed')).to.equal('23,500.00');
    expect(card(html, 'arrears-paid')).to.equal('12,000.00');
    expect(card(html, 'arrears-rate')).to.equal('51.1%');
    expect(card(html, 'arrears-overdue')).to.equal('8,500.00');
    expect(html).to.include('<a class="button secondary" href="/arrears/dashboard">打开清欠看板</a>');
  });

  it('lists on an enterprise’s to-do the payments waiting for its answer and its open payment disputes', async () => {
    const html = (await (await signIn(ctx.app, 'enterprise1')).get('/')).text;
    expect(html).to.include('待您确认的付款（1）');
    expect(html).to.include(`<a href="/arrears/${known.awaiting.arrearsId}/payments/${known.awaiting.paymentId}/respond">${known.countedOfA[1]!.paidOn} 付款 2,000.00 元</a>`);
    expect(html).to.include('待审计裁定的付款异议（1）');
    expect(html).to.include(`<a href="/arrears/${known.openDispute.arrearsId}">`);
    expect(html).to.include('500.00 元');
    // The reversed payment waits for nobody.
    expect(html).to.not.include('1,000.00 元');
  });
});
