import { expect } from 'chai';
import type { ListScope } from '../../auth/policy.ts';
import { addDays } from '../../domain/dates.ts';
import { daysFromToday, TEST_CLOCK } from '../../../test/factories.ts';
import { startTestApp, type TestContext } from '../../../test/helpers.ts';
import { arrearsFacts, paymentFacts, paymentsByArrears, paymentsOf, type ArrearsRow } from './repository.ts';
import type { EnterpriseScale } from '../../domain/enterprise-scale.ts';
import { AGEING_BUCKETS, arrearsPosition, isNewArrears, nonCompliantTerm, paymentCounts, type AgeingBucket, type CreditorResponse, type PaymentDisputeStatus } from './rules.ts';
import { arrearsSummary, type ArrearsFigures } from './summary.ts';
import { insertTestArrears, type TestArrears, type TestPayment } from './summary-test-data.ts';

/** The answers a creditor and the auditors may have given a payment, and whether it was reversed. */
const PAYMENT_STATES: Array<Pick<TestPayment, 'response' | 'disputeStatus' | 'reversed'>> = [
  { response: null },
  { response: 'confirmed' },
  { response: 'confirmed', reversed: true },
  { response: null, reversed: true },
  { response: 'disputed', disputeStatus: 'open' },
  { response: 'disputed', disputeStatus: 'upheld' },
  { response: 'disputed', disputeStatus: 'rejected' },
];

/** The days the figures are checked on: today, and dates in the past where later payments must not count. */
const AS_OF = [daysFromToday(0), daysFromToday(-1), daysFromToday(-45), daysFromToday(-200), daysFromToday(5)];
const SINCE = [undefined, daysFromToday(-1000), daysFromToday(-120), daysFromToday(-31), daysFromToday(-1)];

/**
 * What the rules say of the arrears a scope may see on a date, added up per agency: the figures the
 * SQL must give. The rules read the arrears and payments as stored, never the stored position.
 */
async function expectedFigures(ctx: TestContext, scope: ListScope, asOf: string, since: string | undefined): Promise<Map<number, ArrearsFigures>> {
  const rows: Array<ArrearsRow & { scale: EnterpriseScale }> = await ctx.db('arrears as a').join('enterprises as e', 'e.id', 'a.enterprise_id').select('a.*', 'e.scale');
  const inScope = rows.filter((r) => scope.kind === 'all' || (scope.kind === 'agency' ? Number(r.agency_id) === scope.agencyId : scope.kind === 'enterprise' && Number(r.enterprise_id) === scope.enterpriseId));
  const payments = paymentsByArrears(await paymentsOf(ctx.db, inScope.map((r) => Number(r.id))));
  const byAgency = new Map<number, ArrearsFigures>();
  for (const row of inScope) {
    const facts = arrearsFacts(row);
    const paid = (payments.get(Number(row.id)) ?? []).map(paymentFacts);
    const position = arrearsPosition(facts, paid, asOf);
    const f = byAgency.get(Number(row.agency_id)) ?? {
      arrearsCount: 0, owedFen: 0, paidFen: 0, confirmedFen: 0, outstandingFen: 0, overdueCount: 0, overdueFen: 0, clearanceRate: null,
      ageing: Object.fromEntries(AGEING_BUCKETS.map(({ bucket }) => [bucket, { count: 0, amountFen: 0 }])) as Record<AgeingBucket, { count: number; amountFen: number }>,
      nonCompliantCount: 0, nonCompliantFen: 0, newArrears: since === undefined ? null : { count: 0, amountFen: 0 },
    };
    f.arrearsCount++;
    f.owedFen += facts.principalFen;
    f.paidFen += position.paidFen;
    f.confirmedFen += paid.filter((p) => paymentCounts(p) && p.paidOn <= asOf && p.creditorResponse === 'confirmed').reduce((sum, p) => sum + p.amountFen, 0);
    f.outstandingFen += position.outstandingFen;
    if (position.overdue) {
      f.overdueCount++;
      f.overdueFen += position.undisputedOutstandingFen;
      f.ageing[position.ageingBucket!].count++;
      f.ageing[position.ageingBucket!].amountFen += position.undisputedOutstandingFen;
    }
    if (nonCompliantTerm(row.scale, { acceptedOn: row.accepted_on, dueOn: row.due_on })) {
      f.nonCompliantCount++;
      f.nonCompliantFen += facts.principalFen;
    }
    if (since !== undefined && isNewArrears(facts, paid, since, asOf)) {
      f.newArrears!.count++;
      f.newArrears!.amountFen += position.undisputedOutstandingFen;
    }
    f.clearanceRate = f.paidFen / f.owedFen;
    byAgency.set(Number(row.agency_id), f);
  }
  return byAgency;
}

describe('the clearance summary in SQL agrees with the rules', () => {
  let ctx: TestContext;
  let agencyIds: number[];
  let enterpriseIds: number[];

  before(async () => {
    ctx = await startTestApp();
    agencyIds = (await ctx.db('agencies').orderBy('id').pluck('id')).map(Number);
    enterpriseIds = (await ctx.db('enterprises').orderBy('id').pluck('id')).map(Number);
    const today = TEST_CLOCK.today();
    const list: TestArrears[] = [];
    // Edges: every bucket boundary as of today and as of 45 days ago, terms of exactly 60 and 61 days.
    const edgeDays = [0, 1, 30, 31, 90, 91, 180, 181, 365, 366, -1, -5];
    for (const [i, back] of edgeDays.entries()) {
      for (const base of [today, addDays(today, -45)]) {
        const dueOn = addDays(base, -back);
        list.push({ agencyId: agencyIds[i % agencyIds.length]!, enterpriseId: enterpriseIds[i % enterpriseIds.length]!, principalFen: 100_000 + i, acceptedOn: addDays(dueOn, -(59 + (i % 3))), dueOn });
      }
    }
    // A disputed part that covers everything unpaid, and one that leaves some undisputed money overdue.
    list.push({ agencyId: agencyIds[1]!, enterpriseId: enterpriseIds[0]!, principalFen: 500_000, disputedFen: 200_000, acceptedOn: addDays(today, -100), payments: [{ amountFen: 300_000, paidOn: addDays(today, -20) }] });
    list.push({ agencyId: agencyIds[1]!, enterpriseId: enterpriseIds[0]!, principalFen: 500_000, disputedFen: 100_000, acceptedOn: addDays(today, -100), payments: [{ amountFen: 300_000, paidOn: addDays(today, -20) }] });
    // A deterministic spread of arrears, each with payments in every state before and after the as-of dates.
    let seed = 20261203;
    const next = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let n = 0; n < 80; n++) {
      const principalFen = (1 + next(50)) * 10_000;
      const acceptedOn = addDays(today, -next(700));
      const payments: TestPayment[] = Array.from({ length: next(4) }, () => ({
        amountFen: (1 + next(20)) * 1_000,
        paidOn: addDays(acceptedOn, next(Math.max(1, 1 + (Date.parse(today) - Date.parse(acceptedOn)) / 86_400_000))),
        ...PAYMENT_STATES[next(PAYMENT_STATES.length)],
      }));
      list.push({
        agencyId: agencyIds[next(agencyIds.length)]!,
        enterpriseId: enterpriseIds[next(enterpriseIds.length)]!,
        principalFen,
        acceptedOn,
        dueOn: next(3) === 0 ? null : addDays(acceptedOn, [10, 30, 60, 61, 90][next(5)]!),
        disputedFen: next(4) === 0 ? next(principalFen) : 0,
        payments,
      });
    }
    // One paid in full and cleared, one paid over by an upheld dispute.
    list.push({ agencyId: agencyIds[2]!, enterpriseId: enterpriseIds[4]!, principalFen: 80_000, acceptedOn: addDays(today, -300), payments: [{ amountFen: 80_000, paidOn: addDays(today, -100), response: 'confirmed' }] });
    list.push({
      agencyId: agencyIds[2]!,
      enterpriseId: enterpriseIds[3]!,
      principalFen: 50_000,
      acceptedOn: addDays(today, -300),
      payments: [{ amountFen: 30_000, paidOn: addDays(today, -90), response: 'disputed', disputeStatus: 'upheld' as PaymentDisputeStatus }, { amountFen: 30_000, paidOn: addDays(today, -80), response: 'confirmed' as CreditorResponse }],
    });
    await insertTestArrears(ctx.db, list);
  });
  after(() => ctx.close());

  it('gives each agency’s and the total figures of the rules on every as-of date and since date, for every scope', async () => {
    const scopes: ListScope[] = [{ kind: 'all' }, { kind: 'agency', agencyId: agencyIds[1]! }, { kind: 'enterprise', enterpriseId: enterpriseIds[0]! }, { kind: 'none' }];
    let checked = 0;
    for (const scope of scopes) {
      for (const asOf of AS_OF) {
        for (const since of SINCE) {
          const label = `${JSON.stringify(scope)} as of ${asOf} since ${since}`;
          const summary = await arrearsSummary(ctx.db, scope, { asOf, since });
          const expected = await expectedFigures(ctx, scope, asOf, since);
          expect(summary.agencies.map((a) => a.agencyId).sort(), label).to.deep.equal([...expected.keys()].sort());
          for (const agency of summary.agencies) {
            const { agencyId: _id, agencyName, ...figures } = agency;
            expect(agencyName, label).to.be.a('string').and.not.equal('');
            expect(figures, `${label}, agency ${agency.agencyId}`).to.deep.equal(expected.get(agency.agencyId));
            checked++;
          }
          const all = [...expected.values()];
          expect(summary.total.owedFen, label).to.equal(all.reduce((s, f) => s + f.owedFen, 0));
          expect(summary.total.overdueFen, label).to.equal(all.reduce((s, f) => s + f.overdueFen, 0));
          expect(summary.total.newArrears?.count ?? null, label).to.equal(since === undefined ? null : all.reduce((s, f) => s + f.newArrears!.count, 0));
        }
      }
    }
    expect(checked, 'agencies compared').to.be.greaterThan(50);
  });

  it('agrees with the stored position for today, and counts only the payments made by a past as-of date', async () => {
    const stored = await ctx.db('arrears').sum({ paid: 'paid_fen', outstanding: 'outstanding_fen' }).first();
    const today = await arrearsSummary(ctx.db, { kind: 'all' }, { asOf: TEST_CLOCK.today() });
    expect(today.total.paidFen).to.equal(Number(stored!.paid));
    expect(today.total.outstandingFen).to.equal(Number(stored!.outstanding));
    const past = await arrearsSummary(ctx.db, { kind: 'all' }, { asOf: daysFromToday(-200) });
    expect(past.total.paidFen).to.be.below(today.total.paidFen);
    expect(past.total.owedFen).to.equal(today.total.owedFen);
  });

  it('sums one agency only when asked', async () => {
    const one = await arrearsSummary(ctx.db, { kind: 'all' }, { asOf: TEST_CLOCK.today(), agencyId: agencyIds[1]! });
    expect(one.agencies.map((a) => a.agencyId)).to.deep.equal([agencyIds[1]]);
    expect(one.total).to.deep.equal((({ agencyId: _a, agencyName: _n, ...f }) => f)(one.agencies[0]!));
  });
});
