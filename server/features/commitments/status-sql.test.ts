import { expect } from 'chai';
import { addDays, shanghaiDate } from '../../domain/dates.ts';
import { SYSTEM_ACTOR } from '../../audit/chain.ts';
import { startTestApp, type TestContext } from '../../../test/helpers.ts';
import { filteredCommitments, listCommitments, toListRow } from './queries.ts';
import { COMMITMENT_STATUSES, commitmentStatus, isMilestoneOpen, MILESTONE_STATUSES, type CommitmentStatus, type MilestoneStatus } from './rules.ts';
import { insertCommitment } from './service/register.ts';
import { commitmentInput } from '../../../test/factories.ts';

// 17:30 UTC on 10 March is already 11 March in Shanghai: the SQL must use the Shanghai date it is given.
const TODAY = shanghaiDate(new Date('2026-03-10T17:30:00Z'));
const day = (n: number) => addDays(TODAY, n);

type Spec = { terminatedOn?: string; milestones: Array<[MilestoneStatus, number]> };

/** Hand-picked edges: due today, due yesterday, every status and the precedence between them. */
const EDGES: Spec[] = [
  { milestones: [['pending', 0]] },
  { milestones: [['pending', -1]] },
  { milestones: [['partial', -1]] },
  { milestones: [['partial', 0], ['pending', 5]] },
  { milestones: [['fulfilled', -1], ['waived', -30]] },
  { milestones: [['fulfilled', -1], ['pending', 1]] },
  { milestones: [['breached', 10], ['pending', -3]] },
  { milestones: [['breached', -1]] },
  { milestones: [['waived', -400]] },
  { milestones: [['fulfilled', -1]] },
  { milestones: [['pending', -365], ['fulfilled', -2]] },
  { milestones: [['waived', -1], ['partial', 0]] },
  { terminatedOn: day(0), milestones: [['pending', -1]] },
  { terminatedOn: day(-10), milestones: [['breached', -20], ['pending', -15]] },
  { terminatedOn: day(-1), milestones: [['fulfilled', -5]] },
];

/** A deterministic spread on top of the edges (a small linear congruential generator). */
function generated(count: number): Spec[] {
  let seed = 20260311;
  const next = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  return Array.from({ length: count }, () => ({
    terminatedOn: next(10) === 0 ? day(-next(5)) : undefined,
    milestones: Array.from({ length: 1 + next(4) }, () => [MILESTONE_STATUSES[next(MILESTONE_STATUSES.length)]!, next(7) - 3] as [MilestoneStatus, number]),
  }));
}

describe('commitment status in SQL agrees with commitmentStatus()', () => {
  let ctx: TestContext;
  const expected = new Map<number, CommitmentStatus>();
  const nextDue = new Map<number, string | null>();
  const ids: number[] = [];

  before(async () => {
    ctx = await startTestApp();
    const agencies: number[] = await ctx.db('agencies').orderBy('id').pluck('id');
    const enterprises: number[] = await ctx.db('enterprises').orderBy('id').pluck('id');
    const specs = [...EDGES, ...generated(60)];
    for (const [i, spec] of specs.entries()) {
      const input = commitmentInput(agencies[i % agencies.length]!, {
        kind: (['contract', 'policy', 'investment', 'other'] as const)[i % 4],
        enterpriseId: i % 3 === 0 ? null : enterprises[i % enterprises.length],
        signedOn: day(-500),
        amountFen: 10_000_000,
        milestones: spec.milestones.map(([, due], j) => ({ description: `节点 ${j + 1}`, dueOn: day(due), amountFen: 1000 })),
      });
      const { commitmentId, milestoneIds } = await insertCommitment(ctx, SYSTEM_ACTOR, input);
      // The stored statuses are set directly: this test is about reading them, not about how they arise.
      for (const [j, id] of milestoneIds.entries()) await ctx.db('milestones').where({ id }).update({ status: spec.milestones[j]![0] });
      if (spec.terminatedOn) await ctx.db('commitments').where({ id: commitmentId }).update({ terminated_on: spec.terminatedOn, termination_reason: '测试' });
      const milestones = spec.milestones.map(([status, due]) => ({ status, dueOn: day(due) }));
      expected.set(commitmentId, commitmentStatus({ terminatedOn: spec.terminatedOn ?? null }, milestones, TODAY));
      const open = milestones.filter((m) => isMilestoneOpen(m.status)).map((m) => m.dueOn).sort();
      nextDue.set(commitmentId, spec.terminatedOn ? null : (open[0] ?? null));
      ids.push(commitmentId);
    }
  });
  after(() => ctx.close());

  it('covers every status, including due today and due yesterday', () => {
    expect(TODAY).to.equal('2026-03-11');
    expect(new Set(expected.values())).to.have.all.keys(...COMMITMENT_STATUSES);
    expect(expected.get(ids[0]!), 'due today').to.equal('in_progress');
    expect(expected.get(ids[1]!), 'due yesterday').to.equal('overdue');
  });

  it('computes the same status and next due date for every commitment', async () => {
    const rows = (await filteredCommitments(ctx.db, { kind: 'all' }, {}, TODAY)).map(toListRow);
    expect(rows).to.have.length(expected.size);
    for (const row of rows) {
      expect(row.status, `commitment ${row.id}`).to.equal(expected.get(row.id));
      expect(row.nextDueOn, `next due of ${row.id}`).to.equal(nextDue.get(row.id));
    }
  });

  for (const status of COMMITMENT_STATUSES) {
    it(`filters "${status}" to exactly the commitments the function puts there`, async () => {
      const want = [...expected].filter(([, s]) => s === status).map(([id]) => id).sort((a, b) => a - b);
      const rows = await filteredCommitments(ctx.db, { kind: 'all' }, { status }, TODAY);
      expect(rows.map((r: { id: number }) => Number(r.id)).sort((a: number, b: number) => a - b)).to.deep.equal(want);
      const page = await listCommitments(ctx.db, { kind: 'all' }, { status, sort: 'next_due_asc' }, 1, 5, TODAY);
      expect(page.total).to.equal(want.length);
      expect(page.items.every((r) => r.status === status)).to.equal(true);
    });
  }

  it('pages through the sorted list without losing or repeating a row, nothing left to fulfil last', async () => {
    const seen: Array<{ id: number; nextDueOn: string | null }> = [];
    for (let page = 1; ; page++) {
      const { items, total } = await listCommitments(ctx.db, { kind: 'all' }, { sort: 'next_due_asc' }, page, 7, TODAY);
      expect(total).to.equal(expected.size);
      if (!items.length) break;
      seen.push(...items);
    }
    expect(new Set(seen.map((r) => r.id)).size).to.equal(expected.size);
    const dues = seen.map((r) => r.nextDueOn);
    const withDue = dues.filter((d): d is string => d !== null);
    expect(dues.slice(0, withDue.length)).to.deep.equal([...withDue].sort());
    expect(dues.slice(withDue.length).every((d) => d === null)).to.equal(true);
  });

  it('keeps each scope to its own commitments', async () => {
    const agencyId: number = (await ctx.db('agencies').orderBy('id').first('id')).id;
    const mine = await listCommitments(ctx.db, { kind: 'agency', agencyId }, {}, 1, 500, TODAY);
    expect(mine.items.length).to.be.greaterThan(0);
    expect(mine.items.every((r) => r.agencyId === agencyId)).to.equal(true);
    expect((await listCommitments(ctx.db, { kind: 'none' }, {}, 1, 500, TODAY)).total).to.equal(0);
  });
});

describe('commitment list filters', () => {
  let ctx: TestContext;
  let agencyA: number;
  let agencyB: number;
  let enterprise: number;

  before(async () => {
    ctx = await startTestApp();
    [agencyA, agencyB] = await ctx.db('agencies').orderBy('id').limit(2).pluck('id');
    enterprise = (await ctx.db('enterprises').orderBy('id').first('id')).id;
    const add = (agencyId: number, over: Parameters<typeof commitmentInput>[1]) => insertCommitment(ctx, SYSTEM_ACTOR, commitmentInput(agencyId, over));
    await add(agencyA!, { kind: 'policy', title: '人才住房补贴兑现', referenceNo: 'QZ-2025-7', signedOn: day(-300), amountFen: 3_000_000, milestones: [{ description: 'a', dueOn: day(10), amountFen: null }] });
    await add(agencyA!, { kind: 'contract', title: '数据中心运维服务合同', enterpriseId: enterprise, signedOn: day(-200), amountFen: 1_000_000, responsibleOfficial: '孙科长', milestones: [{ description: 'b', dueOn: day(40), amountFen: null }] });
    await add(agencyB!, { kind: 'investment', title: '智能制造产业园招商协议', enterpriseId: enterprise, signedOn: day(-100), amountFen: 2_000_000, milestones: [{ description: 'c', dueOn: day(-40), amountFen: null }, { description: 'd', dueOn: day(90), amountFen: null }] });
  });
  after(() => ctx.close());

  const titles = async (filters: Parameters<typeof listCommitments>[2]) => (await listCommitments(ctx.db, { kind: 'all' }, filters, 1, 50, TODAY)).items.map((r) => r.title).sort();

  it('filters by kind, agency, enterprise and keyword (title, reference, official, enterprise name)', async () => {
    expect(await titles({ kind: 'policy' })).to.deep.equal(['人才住房补贴兑现']);
    expect(await titles({ agencyId: agencyB })).to.deep.equal(['智能制造产业园招商协议']);
    expect(await titles({ enterpriseId: enterprise })).to.deep.equal(['数据中心运维服务合同', '智能制造产业园招商协议']);
    expect(await titles({ q: '招商' })).to.deep.equal(['智能制造产业园招商协议']);
    expect(await titles({ q: 'qz-2025' })).to.deep.equal(['人才住房补贴兑现']);
    expect(await titles({ q: '孙科长' })).to.deep.equal(['数据中心运维服务合同']);
    expect(await titles({ q: '海滨精密' })).to.deep.equal(['数据中心运维服务合同', '智能制造产业园招商协议']);
    expect(await titles({ q: '100%' })).to.deep.equal([]);
  });

  it('keeps commitments with a milestone due in the date range', async () => {
    expect(await titles({ dueFrom: day(0), dueTo: day(30) })).to.deep.equal(['人才住房补贴兑现']);
    expect(await titles({ dueFrom: day(30) })).to.deep.equal(['数据中心运维服务合同', '智能制造产业园招商协议']);
    expect(await titles({ dueTo: day(-1) })).to.deep.equal(['智能制造产业园招商协议']);
  });

  it('sorts by title, amount and signing date', async () => {
    const order = async (sort: 'title_asc' | 'signed_desc' | 'signed_asc' | 'amount_desc') => (await listCommitments(ctx.db, { kind: 'all' }, { sort }, 1, 10, TODAY)).items.map((r) => r.title);
    expect(await order('title_asc')).to.deep.equal(await titles({}));
    expect(await order('signed_desc')).to.deep.equal(['智能制造产业园招商协议', '数据中心运维服务合同', '人才住房补贴兑现']);
    expect(await order('signed_asc')).to.deep.equal(['人才住房补贴兑现', '数据中心运维服务合同', '智能制造产业园招商协议']);
    expect(await order('amount_desc')).to.deep.equal(['人才住房补贴兑现', '智能制造产业园招商协议', '数据中心运维服务合同']);
  });
});
