import { expect } from 'chai';
import type { Knex } from 'knex';
import { addDays, shanghaiDate } from '../../domain/dates.ts';
import { SYSTEM_ACTOR } from '../../audit/chain.ts';
import { migrateLatest, migrateUpTo } from '../../../db/migrate.ts';
import { emptyDatabase } from '../../../test/db.ts';
import { signIn, startTestApp, type TestContext } from '../../../test/helpers.ts';
import { callerNamed, commitmentInput, daysFromToday, demoUser, TEST_CLOCK } from '../../../test/factories.ts';
import { importCommitments } from './import-job.ts';
import { agencyOnTimeRate, agencySummaries, commitmentCountsByStatus, filteredCommitments, listCommitments, toListRow } from './queries.ts';
import { refreshStanding } from './repository.ts';
import { COMMITMENT_STATUSES, commitmentStatus, isMilestoneOpen, MILESTONE_STATUSES, oneYearBefore, onTimeFulfilmentRate, type CommitmentStatus, type MilestoneStatus } from './rules.ts';
import { recordFulfilment, respondToFulfilment, settleDispute } from './service/fulfilments.ts';
import { recordBreach, recordHandover, terminateCommitment } from './service/lifecycle.ts';
import { createCommitment, insertCommitment, updateCommitment } from './service/register.ts';
import { decideWaiver, requestWaiver } from './service/waivers.ts';

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

/**
 * Checks the ledger's SQL against the rule on each day given (by default: today, and every due date
 * and the day after it, where a milestone turns overdue), for every commitment in the database: the
 * status and next due date of each row, each status filter with its count, and the counts by status.
 * The rule reads the milestones and terminations as stored, never the maintained standing.
 */
async function expectLedgerFollowsRule(db: Knex, days?: string[]): Promise<void> {
  const commitments: Array<{ id: number; terminated_on: string | null }> = await db('commitments').select('id', 'terminated_on');
  const milestones: Array<{ commitment_id: number; status: MilestoneStatus; due_on: string }> = await db('milestones').select('commitment_id', 'status', 'due_on');
  const dues = [...new Set(milestones.map((m) => m.due_on))];
  const checkDays = days ?? [...new Set([TEST_CLOCK.today(), ...dues, ...dues.map((d) => addDays(d, 1))])].sort();
  const ofCommitment = new Map<number, Array<{ status: MilestoneStatus; dueOn: string }>>(commitments.map((c) => [c.id, []]));
  for (const m of milestones) ofCommitment.get(m.commitment_id)!.push({ status: m.status, dueOn: m.due_on });
  const all = { kind: 'all' } as const;
  for (const day of checkDays) {
    const expected = new Map(commitments.map((c) => [c.id, commitmentStatus({ terminatedOn: c.terminated_on }, ofCommitment.get(c.id)!, day)]));
    const rows = (await filteredCommitments(db, all, {}, day)).map(toListRow);
    expect(rows, day).to.have.length(commitments.length);
    for (const row of rows) {
      expect(row.status, `status of commitment ${row.id} on ${day}`).to.equal(expected.get(row.id));
      const open = ofCommitment.get(row.id)!.filter((m) => isMilestoneOpen(m.status)).map((m) => m.dueOn).sort();
      expect(row.nextDueOn, `next due of ${row.id}`).to.equal(row.terminatedOn ? null : (open[0] ?? null));
    }
    const counts = await commitmentCountsByStatus(db, all, day);
    for (const status of COMMITMENT_STATUSES) {
      const want = [...expected].filter(([, s]) => s === status).map(([id]) => id).sort((a, b) => a - b);
      const page = await listCommitments(db, all, { status }, 1, 10_000, day);
      expect(page.items.map((r) => r.id).sort((a, b) => a - b), `"${status}" on ${day}`).to.deep.equal(want);
      expect(page.total, `"${status}" counted on ${day}`).to.equal(want.length);
      expect(counts[status], `"${status}" by status on ${day}`).to.equal(want.length);
    }
  }
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
      // The stored statuses are set directly, then the standing refreshed as every write does: this test is
      // about reading them, not about how they arise (the use cases are checked below).
      for (const [j, id] of milestoneIds.entries()) await ctx.db('milestones').where({ id }).update({ status: spec.milestones[j]![0] });
      if (spec.terminatedOn) await ctx.db('commitments').where({ id: commitmentId }).update({ terminated_on: spec.terminatedOn, termination_reason: '测试' });
      await refreshStanding(ctx.db, [commitmentId]);
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

  it('stays equal to the rule as the days pass, with nothing written: a milestone turns overdue the day after it falls due', async () => {
    await expectLedgerFollowsRule(ctx.db);
    const dueToday = ids[0]!;
    const on = async (d: string) => (await filteredCommitments(ctx.db, { kind: 'all' }, {}, d)).map(toListRow).find((r: { id: number }) => r.id === dueToday)!.status;
    expect(await on(TODAY)).to.equal('in_progress');
    expect(await on(day(1))).to.equal('overdue');
  });

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

describe('the stored standing follows every use case that changes a status', () => {
  let ctx: TestContext;
  let agencyId: number;
  let enterpriseId: number;
  const milestones = async (commitmentId: number) => ctx.db('milestones').where({ commitment_id: commitmentId }).orderBy('seq').select('id', 'due_on', 'amount_fen', 'description');

  before(async () => {
    ctx = await startTestApp();
    agencyId = (await demoUser(ctx.db, 'officer1')).agencyId!;
    enterpriseId = (await demoUser(ctx.db, 'enterprise1')).enterpriseId!;
  });
  after(() => ctx.close());

  const register = async (dues: number[]) => {
    const officer = await callerNamed(ctx.db, 'officer1');
    const input = commitmentInput(agencyId, { enterpriseId, milestones: dues.map((d, i) => ({ description: `节点 ${i + 1}`, dueOn: daysFromToday(d), amountFen: 1000 })) });
    return createCommitment(ctx, officer, input);
  };

  it('after registering, fulfilling, editing, waiving, disputing, breaching, handing over and terminating', async () => {
    const officer = await callerNamed(ctx.db, 'officer1');
    const auditor = await callerNamed(ctx.db, 'auditor');
    const enterprise = await callerNamed(ctx.db, 'enterprise1');
    const fulfil = (id: number, milestoneId: number, complete: boolean) => recordFulfilment(ctx, officer, id, milestoneId, { fulfilledOn: daysFromToday(-1), note: '已拨付', amountFen: complete ? 1000 : 400, complete });

    const paid = await register([-10, 5, 40]);
    await expectLedgerFollowsRule(ctx.db);
    const [first, second] = await milestones(paid);
    await fulfil(paid, first!.id, true);
    await expectLedgerFollowsRule(ctx.db);
    await fulfil(paid, second!.id, false);
    await expectLedgerFollowsRule(ctx.db);

    const edited = await register([10, 20]);
    const before = await milestones(edited);
    const input = commitmentInput(agencyId, {
      enterpriseId,
      referenceNo: (await ctx.db('commitments').where({ id: edited }).first('reference_no')).reference_no,
      milestones: [{ id: before[0]!.id, description: '提前', dueOn: daysFromToday(-3), amountFen: 1000 }, { description: '新增', dueOn: daysFromToday(60), amountFen: 1000 }],
    });
    await updateCommitment(ctx, officer, edited, input);
    await expectLedgerFollowsRule(ctx.db);

    const waived = await register([-5]);
    const [owed] = await milestones(waived);
    const { waiverId } = await requestWaiver(ctx, officer, waived, owed!.id, '不可抗力');
    await expectLedgerFollowsRule(ctx.db);
    await decideWaiver(ctx, auditor, waived, waiverId, 'confirmed', '情况属实');
    await expectLedgerFollowsRule(ctx.db);

    const disputed = await register([-4, 30]);
    const [due] = await milestones(disputed);
    const { fulfilmentId } = await fulfil(disputed, due!.id, true);
    await expectLedgerFollowsRule(ctx.db);
    await respondToFulfilment(ctx, enterprise, disputed, fulfilmentId, { response: 'not_at_all', comment: '未收到款项' });
    await expectLedgerFollowsRule(ctx.db);
    await settleDispute(ctx, auditor, disputed, fulfilmentId, { decision: 'upheld', note: '凭证齐全' });
    await expectLedgerFollowsRule(ctx.db);

    const breached = await register([-2, 15]);
    const [lapsed] = await milestones(breached);
    await recordBreach(ctx, auditor, breached, { findings: '逾期未付', milestoneId: lapsed!.id });
    await expectLedgerFollowsRule(ctx.db);
    const wholly = await register([3, 9]);
    await recordBreach(ctx, officer, wholly, { findings: '单方终止合作' });
    await expectLedgerFollowsRule(ctx.db);

    const handedOver = await register([-1]);
    await recordHandover(ctx, officer, handedOver, { toOfficial: '李新任', handedOverOn: daysFromToday(-1) });
    const ended = await register([-6, 12]);
    await terminateCommitment(ctx, officer, ended, { reason: '项目取消' });
    await expectLedgerFollowsRule(ctx.db);

    const statuses = new Set((await listCommitments(ctx.db, { kind: 'all' }, {}, 1, 100, TEST_CLOCK.today())).items.map((r) => r.status));
    expect(statuses).to.have.all.keys(...COMMITMENT_STATUSES);
  });

  it('after an import, whose commitments are stored in bulk', async () => {
    const officer = await demoUser(ctx.db, 'officer1');
    const inputs = [[-30, 10], [2], [0], [-1, -1, 400], [20, -200]].map((dues) => commitmentInput(agencyId, { milestones: dues.map((d, i) => ({ description: `导入节点 ${i + 1}`, dueOn: daysFromToday(d), amountFen: null })) }));
    await importCommitments(ctx.db, { id: officer.id, username: officer.username, ip: null }, { id: 1, agencyId, filename: 'ledger.csv' }, inputs, TEST_CLOCK);
    await expectLedgerFollowsRule(ctx.db);
    const imported = await listCommitments(ctx.db, { kind: 'all' }, { q: inputs[0]!.referenceNo }, 1, 5, TEST_CLOCK.today());
    expect(imported.items.map((r) => [r.status, r.nextDueOn])).to.deep.equal([['overdue', daysFromToday(-30)]]);
  });
});

describe('the migration that adds the stored standing', () => {
  it('fills it for the commitments already in the ledger, equal to the rule', async () => {
    const { db, drop } = await emptyDatabase();
    try {
      await migrateUpTo(db, '20261130000300_jobs.ts');
      const now = '2026-11-01T02:00:00.000Z';
      const [{ id: agencyId }] = await db('agencies').insert({ name: '迁移测试局', code: 'MIG', level: 'city', created_at: now, updated_at: now }).returning('id');
      const specs = [...EDGES, ...generated(40), { milestones: [] }];
      for (const [i, spec] of specs.entries()) {
        const [{ id }] = await db('commitments')
          .insert({ kind: 'contract', title: `迁移 ${i}`, reference_no: `MIG-${i}`, agency_id: agencyId, signed_on: day(-500), amount_fen: 100, responsible_official: '张', terminated_on: spec.terminatedOn ?? null, created_at: now, updated_at: now })
          .returning('id');
        for (const [seq, [status, due]] of spec.milestones.entries()) {
          await db('milestones').insert({ commitment_id: id, seq: seq + 1, description: '节点', due_on: day(due), status, created_at: now, updated_at: now });
        }
      }
      await migrateLatest(db);
      await expectLedgerFollowsRule(db);
    } finally {
      await drop();
    }
  });
});

describe('on-time rate in SQL agrees with onTimeFulfilmentRate()', () => {
  let ctx: TestContext;
  let agencyId: number;

  before(async () => {
    ctx = await startTestApp();
    [agencyId] = await ctx.db('agencies').orderBy('id').limit(1).pluck('id');
    const rnd = (() => {
      let seed = 20261201;
      return (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    })();
    // Due dates around both ends of the twelve months, completions before, on and after the due date, some terminated.
    const edges = [-1, 0, 1, -364, -365, -366, -367, -30];
    for (let i = 0; i < 40; i++) {
      const dues = Array.from({ length: 1 + rnd(4) }, () => (rnd(3) === 0 ? edges[rnd(edges.length)]! : -rnd(400)));
      const { commitmentId, milestoneIds } = await insertCommitment(ctx, SYSTEM_ACTOR, commitmentInput(agencyId, { signedOn: day(-800), milestones: dues.map((d, j) => ({ description: `节点 ${j}`, dueOn: day(d), amountFen: null })) }));
      for (const [j, id] of milestoneIds.entries()) {
        const status = MILESTONE_STATUSES[rnd(MILESTONE_STATUSES.length)]!;
        await ctx.db('milestones').where({ id }).update({ status, completed_on: status === 'fulfilled' ? day(dues[j]! + rnd(5) - 2) : null });
      }
      if (rnd(5) === 0) await ctx.db('commitments').where({ id: commitmentId }).update({ terminated_on: day(-rnd(200)), termination_reason: '测试' });
    }
    // And one of each edge for certain: fulfilled on time a year ago give or take a day, and open today.
    const sure = [-367, -366, -365, -364, -363];
    const { milestoneIds } = await insertCommitment(ctx, SYSTEM_ACTOR, commitmentInput(agencyId, { signedOn: day(-800), milestones: [...sure, 0, 1].map((d, j) => ({ description: `边界 ${j}`, dueOn: day(d), amountFen: null })) }));
    for (const [j, d] of sure.entries()) await ctx.db('milestones').where({ id: milestoneIds[j] }).update({ status: 'fulfilled', completed_on: day(d) });
  });
  after(() => ctx.close());

  it('on every day around the ends of the twelve months', async () => {
    const rows: Array<{ status: MilestoneStatus; due_on: string; completed_on: string | null; terminated_on: string | null }> = await ctx.db('milestones as m')
      .join('commitments as c', 'c.id', 'm.commitment_id')
      .where('c.agency_id', agencyId)
      .select('m.status', 'm.due_on', 'm.completed_on', 'c.terminated_on');
    for (const d of [-2, -1, 0, 1, 2]) {
      const on = day(d);
      // A terminated commitment's milestones count only if they fell due before it ended.
      const counted = rows.filter((m) => m.terminated_on === null || m.due_on <= m.terminated_on).map((m) => ({ status: m.status, dueOn: m.due_on, completedOn: m.completed_on }));
      const want = onTimeFulfilmentRate(counted, on);
      expect(want.due, `milestones due in the year to ${on}`).to.be.greaterThan(5);
      expect(await agencyOnTimeRate(ctx.db, agencyId, on), on).to.deep.equal(want);
    }
    expect(oneYearBefore(TODAY)).to.equal(day(-365));
  });
});

describe('agency summary', () => {
  let ctx: TestContext;
  const today = TEST_CLOCK.today();

  before(async () => {
    ctx = await startTestApp();
  });
  after(() => ctx.close());

  it('rolls streets up into their district and districts into the city, each agency followed by those beneath it', async () => {
    const ids = Object.fromEntries((await ctx.db('agencies').select('id', 'code')).map((a: { id: number; code: string }) => [a.code, a.id]));
    const add = (code: string, dueDays: number) => insertCommitment(ctx, SYSTEM_ACTOR, commitmentInput(ids[code], { milestones: [{ description: 'a', dueOn: daysFromToday(dueDays), amountFen: null }] }));
    await add('QD-GOV', 10);
    await add('QD-SN-GOV', -5);
    await add('QD-SN-ZS', -5);
    await add('QD-SN-ZS', 10);
    await add('QD-SWJ', 10);

    const summaries = await agencySummaries(ctx.db, today);
    const row = (code: string) => summaries.find((s) => s.agencyId === ids[code])!;
    const order = summaries.map((s) => s.agencyId);
    expect(order.indexOf(ids['QD-SN-GOV'])).to.equal(order.indexOf(ids['QD-GOV']) + 1);
    expect(order.indexOf(ids['QD-SN-ZS'])).to.equal(order.indexOf(ids['QD-SN-GOV']) + 1);
    expect([row('QD-SN-ZS').depth, row('QD-SN-ZS').total, row('QD-SN-ZS').overdue, row('QD-SN-ZS').subordinates]).to.deep.equal([2, 2, 1, 0]);
    expect([row('QD-SN-GOV').depth, row('QD-SN-GOV').total, row('QD-SN-GOV').overdue, row('QD-SN-GOV').own.total, row('QD-SN-GOV').subordinates]).to.deep.equal([1, 3, 2, 1, 1]);
    expect([row('QD-GOV').depth, row('QD-GOV').total, row('QD-GOV').inProgress, row('QD-GOV').overdue, row('QD-GOV').own.total, row('QD-GOV').subordinates]).to.deep.equal([0, 4, 2, 2, 1, 2]);
    expect([row('QD-SWJ').total, row('QD-SWJ').subordinates]).to.deep.equal([1, 0]);

    // The rolled-up figures open the ledger with the agencies beneath; each matches its count there.
    const ledger = (agencyId: number, subordinates: boolean, status?: CommitmentStatus) => listCommitments(ctx.db, { kind: 'all' }, { agencyId, subordinates, status }, 1, 50, today);
    expect((await ledger(ids['QD-GOV'], true)).total).to.equal(4);
    expect((await ledger(ids['QD-GOV'], true, 'overdue')).total).to.equal(2);
    expect((await ledger(ids['QD-SN-GOV'], true)).total).to.equal(3);
    expect((await ledger(ids['QD-SN-GOV'], false)).total).to.equal(1);
  });

  it('shows the tree on the auditor’s home, each rolled-up number linking to the ledger with the agencies beneath', async () => {
    const auditor = await signIn(ctx.app, 'auditor');
    const res = await auditor.get('/');
    expect(res.status).to.equal(200);
    const shinan = (await ctx.db('agencies').where({ code: 'QD-SN-GOV' }).first('id')).id;
    expect(res.text).to.include(`/commitments?agencyId=${shinan}&amp;subordinates=1&amp;status=overdue`);
    expect(res.text).to.match(/class="stack-head depth-2">湛山街道办事处/);
    const filtered = await auditor.get(`/commitments?agencyId=${shinan}&subordinates=1&status=overdue`);
    expect(filtered.status).to.equal(200);
    expect(filtered.text).to.match(/name="subordinates" value="on" checked/);
  });
});
