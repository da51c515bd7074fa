import { expect } from 'chai';
import type { Knex } from 'knex';
import { addDays } from '../../domain/dates.ts';
import { startTestApp, type TestContext } from '../../../test/helpers.ts';
import { TEST_CLOCK } from '../../../test/factories.ts';
import { listArrears } from './queries.ts';
import { insertArrearsRows, refreshArrears } from './repository.ts';
import type { EnterpriseScale } from '../../domain/enterprise-scale.ts';
import { AGEING_BUCKETS, ARREARS_STATUSES, arrearsPosition, nonCompliantTerm, storedPosition, type CreditorResponse, type PaymentDisputeStatus, type PaymentFacts } from './rules.ts';
import type { ArrearsFilters } from './schema.ts';

const TODAY = TEST_CLOCK.today();
const day = (n: number) => addDays(TODAY, n);

interface PaymentSpec {
  amountFen: number;
  daysAgo: number;
  reversed?: boolean;
  response?: CreditorResponse;
  dispute?: PaymentDisputeStatus;
}

interface Spec {
  scale: EnterpriseScale;
  principalFen: number;
  disputedFen: number;
  /** Days from acceptance to the due date; null: none agreed (the statutory 30 days). */
  termDays: number | null;
  /** Days past due on TODAY (negative: not yet due). */
  pastDue: number;
  payments: PaymentSpec[];
}

const EDGE_DAYS = [-30, -1, 0, 1, 30, 31, 90, 91, 180, 181, 365, 366, 800];

/** Every ageing edge with nothing paid, and hand-picked payments, reversals, disputes and terms. */
const EDGES: Spec[] = [
  ...EDGE_DAYS.map((pastDue): Spec => ({ scale: 'small', principalFen: 100_000, disputedFen: 0, termDays: null, pastDue, payments: [] })),
  ...[59, 60, 61, 90].flatMap((termDays) => (['small', 'micro', 'medium', 'large'] as const).map((scale): Spec => ({ scale, principalFen: 50_000, disputedFen: 0, termDays, pastDue: 5, payments: [] }))),
  // Partly paid, then cleared exactly, then cleared by two payments on one day.
  { scale: 'small', principalFen: 100_000, disputedFen: 0, termDays: 30, pastDue: 40, payments: [{ amountFen: 30_000, daysAgo: 10 }] },
  { scale: 'medium', principalFen: 100_000, disputedFen: 0, termDays: 30, pastDue: 40, payments: [{ amountFen: 100_000, daysAgo: 2 }] },
  { scale: 'large', principalFen: 100_000, disputedFen: 0, termDays: 90, pastDue: 100, payments: [{ amountFen: 60_000, daysAgo: 3 }, { amountFen: 40_000, daysAgo: 3, response: 'confirmed' }] },
  // A reversal restores what the payment took off.
  { scale: 'small', principalFen: 100_000, disputedFen: 0, termDays: 30, pastDue: 31, payments: [{ amountFen: 100_000, daysAgo: 5, reversed: true }] },
  { scale: 'small', principalFen: 100_000, disputedFen: 0, termDays: 30, pastDue: 91, payments: [{ amountFen: 40_000, daysAgo: 50, reversed: true }, { amountFen: 40_000, daysAgo: 40 }] },
  // Disputed payments count only once the auditors uphold them.
  { scale: 'micro', principalFen: 100_000, disputedFen: 0, termDays: 30, pastDue: 181, payments: [{ amountFen: 100_000, daysAgo: 20, response: 'disputed', dispute: 'open' }] },
  { scale: 'micro', principalFen: 100_000, disputedFen: 0, termDays: 30, pastDue: 181, payments: [{ amountFen: 100_000, daysAgo: 20, response: 'disputed', dispute: 'upheld' }] },
  { scale: 'micro', principalFen: 100_000, disputedFen: 0, termDays: 30, pastDue: 366, payments: [{ amountFen: 70_000, daysAgo: 20, response: 'disputed', dispute: 'rejected' }, { amountFen: 10_000, daysAgo: 1 }] },
  // A disputed part: overdue only while undisputed money is unpaid (Art. 15).
  { scale: 'small', principalFen: 100_000, disputedFen: 40_000, termDays: 30, pastDue: 45, payments: [{ amountFen: 60_000, daysAgo: 2 }] },
  { scale: 'small', principalFen: 100_000, disputedFen: 40_000, termDays: 30, pastDue: 45, payments: [{ amountFen: 59_999, daysAgo: 2 }] },
  { scale: 'small', principalFen: 100_000, disputedFen: 100_000, termDays: 30, pastDue: 400, payments: [] },
  { scale: 'large', principalFen: 100_000, disputedFen: 30_000, termDays: 120, pastDue: 0, payments: [{ amountFen: 10_000, daysAgo: 0 }] },
];

/** A deterministic spread on top of the edges (a small linear congruential generator). */
function generated(count: number): Spec[] {
  let seed = 20261203;
  const next = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  const scales = ['large', 'medium', 'small', 'micro'] as const;
  return Array.from({ length: count }, () => {
    const principalFen = (1 + next(20)) * 10_000;
    return {
      scale: scales[next(4)]!,
      principalFen,
      disputedFen: next(4) === 0 ? next(principalFen + 1) : 0,
      termDays: next(3) === 0 ? null : 10 + next(100),
      pastDue: EDGE_DAYS[next(EDGE_DAYS.length)]! + next(3) - 1,
      payments: Array.from({ length: next(4) }, (): PaymentSpec => {
        const response = [undefined, 'confirmed', 'disputed'][next(3)] as CreditorResponse | undefined;
        return {
          amountFen: (1 + next(8)) * 5_000,
          daysAgo: next(60),
          reversed: next(6) === 0,
          response,
          dispute: response === 'disputed' ? (['open', 'upheld', 'rejected'] as const)[next(3)] : undefined,
        };
      }),
    };
  });
}

interface Case {
  id: number;
  spec: Spec;
  acceptedOn: string;
  dueOn: string;
  payments: PaymentFacts[];
}

const ids = (list: number[]) => [...list].sort((a, b) => a - b);

/** The ids a filter keeps in SQL, and how many it counts. */
async function sqlIds(db: Knex, filters: ArrearsFilters, today: string): Promise<{ ids: number[]; total: number }> {
  const page = await listArrears(db, { kind: 'all' }, filters, 1, 10_000, today);
  return { ids: ids(page.items.map((r) => r.id)), total: page.total };
}

describe('arrears status, ageing and flags in SQL agree with the pure rules', () => {
  let ctx: TestContext;
  const cases: Case[] = [];

  before(async () => {
    ctx = await startTestApp();
    const agencyId: number = (await ctx.db('agencies').orderBy('id').first('id')).id;
    const enterpriseOf = new Map<EnterpriseScale, number>();
    for (const scale of ['large', 'medium', 'small', 'micro'] as const) enterpriseOf.set(scale, (await ctx.db('enterprises').where({ scale }).orderBy('id').first('id')).id);
    const at = TEST_CLOCK.now().toISOString();
    for (const spec of [...EDGES, ...generated(80)]) {
      const dueOn = day(-spec.pastDue);
      const acceptedOn = addDays(dueOn, -(spec.termDays ?? 30));
      const [id] = await insertArrearsRows(ctx.db, [{
        agencyId, enterpriseId: enterpriseOf.get(spec.scale)!, category: 'works', principalFen: spec.principalFen, disputedFen: spec.disputedFen,
        acceptedOn, dueOn: spec.termDays === null ? null : dueOn, description: '核对用欠款',
      }], null, at);
      for (const [i, p] of spec.payments.entries()) {
        const [{ id: paymentId }] = await ctx.db('arrears_payments').insert({
          arrears_id: id, amount_fen: p.amountFen, paid_on: day(-p.daysAgo), voucher_no: `V-${id}-${i}`, creditor_response: p.response ?? null, dispute_status: p.dispute ?? null, created_at: at,
        }).returning('id');
        if (p.reversed) await ctx.db('arrears_reversals').insert({ payment_id: paymentId, reversed_on: TODAY, reason: '录入错误', created_at: at });
      }
      cases.push({
        id: id!,
        spec,
        acceptedOn,
        dueOn,
        payments: spec.payments.map((p) => ({ amountFen: p.amountFen, paidOn: day(-p.daysAgo), reversed: Boolean(p.reversed), creditorResponse: p.response ?? null, disputeStatus: p.dispute ?? null })),
      });
    }
    await refreshArrears(ctx.db, cases.map((c) => c.id), at);
  });
  after(() => ctx.close());

  it('stores the paid and outstanding amounts, status and cleared date that storedPosition gives', async () => {
    const rows: Array<{ id: number; due_on: string; paid_fen: number; outstanding_fen: number; status: string; cleared_on: string | null }> = await ctx.db('arrears').select('id', 'due_on', 'paid_fen', 'outstanding_fen', 'status', 'cleared_on');
    const byId = new Map(rows.map((r) => [Number(r.id), r]));
    const statuses = new Set<string>();
    for (const c of cases) {
      const want = storedPosition({ principalFen: c.spec.principalFen, disputedFen: c.spec.disputedFen, dueOn: c.dueOn }, c.payments);
      const row = byId.get(c.id)!;
      expect(row.due_on, `due date of ${c.id}`).to.equal(c.dueOn);
      expect({ paidFen: Number(row.paid_fen), outstandingFen: Number(row.outstanding_fen), status: row.status, clearedOn: row.cleared_on }, `arrears ${c.id}`).to.deep.equal(want);
      statuses.add(row.status);
    }
    // The data set reaches every status.
    expect([...statuses]).to.have.members([...ARREARS_STATUSES]);
  });

  for (const offset of [0, 1, 30, 31, 185, 366]) {
    it(`filters by status, ageing, overdue, dispute and term exactly as the rules do, ${offset} days after today`, async () => {
      const asOf = day(offset);
      const expected = cases.map((c) => ({
        id: c.id,
        c,
        position: arrearsPosition({ principalFen: c.spec.principalFen, disputedFen: c.spec.disputedFen, dueOn: c.dueOn }, c.payments, asOf),
        nonCompliant: nonCompliantTerm(c.spec.scale, { acceptedOn: c.acceptedOn, dueOn: c.dueOn }),
      }));
      const select = (keep: (e: (typeof expected)[number]) => boolean) => ids(expected.filter(keep).map((e) => e.id));

      // Each row as the ledger shows it.
      const rows = new Map((await listArrears(ctx.db, { kind: 'all' }, {}, 1, 10_000, asOf)).items.map((r) => [r.id, r]));
      expect(rows.size).to.equal(cases.length);
      for (const e of expected) {
        const row = rows.get(e.id)!;
        expect(
          { status: row.status, overdue: row.overdue, daysPastDue: row.daysPastDue, ageingBucket: row.ageingBucket, undisputedOutstandingFen: row.undisputedOutstandingFen, nonCompliantTerm: row.nonCompliantTerm },
          `arrears ${e.id} on ${asOf}`,
        ).to.deep.equal({ ...pick(e.position), nonCompliantTerm: e.nonCompliant });
      }

      const checks: Array<[ArrearsFilters, number[]]> = [
        ...ARREARS_STATUSES.map((status): [ArrearsFilters, number[]] => [{ status }, select((e) => e.position.status === status)]),
        ...AGEING_BUCKETS.map(({ bucket }): [ArrearsFilters, number[]] => [{ ageing: bucket }, select((e) => e.position.ageingBucket === bucket)]),
        [{ overdue: 'yes' }, select((e) => e.position.overdue)],
        [{ overdue: 'no' }, select((e) => !e.position.overdue)],
        [{ nonCompliant: 'yes' }, select((e) => e.nonCompliant)],
        [{ nonCompliant: 'no' }, select((e) => !e.nonCompliant)],
        [{ disputed: 'yes' }, select((e) => e.c.spec.disputedFen > 0)],
        [{ nonCompliant: 'yes', overdue: 'yes', status: 'outstanding' }, select((e) => e.nonCompliant && e.position.overdue && e.position.status === 'outstanding')],
      ];
      for (const [filters, want] of checks) {
        const got = await sqlIds(ctx.db, filters, asOf);
        expect(got.ids, `${JSON.stringify(filters)} on ${asOf}`).to.deep.equal(want);
        expect(got.total, `${JSON.stringify(filters)} counted on ${asOf}`).to.equal(want.length);
      }
      // Every bucket and both term flags are reached on today's data.
      if (offset === 0) for (const [filters, want] of checks) expect(want.length, JSON.stringify(filters)).to.be.greaterThan(0);
    });
  }
});

function pick(p: ReturnType<typeof arrearsPosition>) {
  return { status: p.status, overdue: p.overdue, daysPastDue: p.daysPastDue, ageingBucket: p.ageingBucket, undisputedOutstandingFen: p.undisputedOutstandingFen };
}
