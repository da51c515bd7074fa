import { expect } from 'chai';
import { agencyCreditRecord, listCreditRecord } from '../../server/features/complaints/credit-record.ts';
import { TEST_CLOCK, demoUser } from '../../test/factories.ts';
import { signIn, startTestApp, type TestContext } from '../../test/helpers.ts';
import { seedDemoCommitments } from './commitments.ts';
import { seedDemoCreditRecord } from './credit-record.ts';

describe('demo credit record seed', () => {
  let ctx: TestContext;

  before(async () => {
    ctx = await startTestApp({ seed: async (db) => {
      await seedDemoCommitments(db, TEST_CLOCK);
      await seedDemoCreditRecord(db, TEST_CLOCK);
    } });
  });
  after(() => ctx.close());

  it('holds one finding repaired with its evidence and audit entry, and one not, each from its own case', async () => {
    const { items } = await listCreditRecord(ctx.db, {}, 1, 50);
    expect(items).to.have.length(2);
    const repaired = items.filter((e) => e.repairedOn !== null);
    expect(repaired).to.have.length(1);
    expect(repaired[0]!.repairFiles.map((f) => f.originalName)).to.deep.equal(['补偿款支付凭证.pdf']);
    expect(items.every((e) => e.complaintId !== null && e.foundOn <= TEST_CLOCK.today())).to.equal(true);
    const open = items.find((e) => e.repairedOn === null)!;
    expect(open.commitmentRef).to.equal('QDSW-ZS-2024-015');
    expect(await ctx.db('audit_log').where({ action: 'credit_record.repaired', entity_id: String(repaired[0]!.id) }).count({ n: '*' }).first()).to.deep.equal({ n: 1 });
    const cases = await ctx.db('complaints').whereIn('id', items.map((e) => e.complaintId!)).pluck('status');
    expect(cases).to.deep.equal(['default_found', 'default_found']);
  });

  it('shows officer1 its repaired entry on its integrity page, with the evidence', async () => {
    const officer1 = await demoUser(ctx.db, 'officer1');
    const entries = await agencyCreditRecord(ctx.db, officer1.agencyId!);
    expect(entries.map((e) => e.repairedOn !== null)).to.deep.equal([true]);
    const page = await (await signIn(ctx.app, 'officer1')).get(`/agencies/${officer1.agencyId}/integrity`);
    expect(page.status).to.equal(200);
    expect(page.text).to.include('补偿款支付凭证.pdf').and.include('搬迁补偿款');
  });
});
