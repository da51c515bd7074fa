import type { Knex } from 'knex';
import { addDays } from '../../server/domain/dates.ts';
import { systemClock, type Clock } from '../../server/domain/clock.ts';
import type { Caller } from '../../server/context.ts';
import { insertArrearsRows } from '../../server/features/arrears/repository.ts';
import { assignItem } from '../../server/features/campaigns/service/assign.ts';
import { createCampaign } from '../../server/features/campaigns/service/create.ts';
import { campaignProgress } from '../../server/features/campaigns/service/progress.ts';
import { demoUser } from './commitments.ts';
import { DEMO_AGENCIES, DEMO_ENTERPRISES } from './demo.ts';

/** Ten thousand yuan (万元) in fen. */
const wan = (n: number) => Math.round(n * 10_000 * 100);

/**
 * The demo's running clean-up campaign (清欠专项行动), started sixty days ago over every demo agency,
 * through the service so that its baseline, audit entries and an assignment are what real use leaves.
 * Two arrears of its own make sure it has a legacy item and a new problem whatever the arrears seed
 * holds: one overdue well before the start, one that fell due during the campaign and is unpaid.
 * Runs after the commitments and arrears seeds, so that their overdue items enter the baseline.
 */
export async function seedDemoCampaigns(db: Knex, clock: Clock = systemClock): Promise<void> {
  const today = clock.today();
  const day = (n: number) => addDays(today, n);
  const auditor = await demoUser(db, 'auditor');
  const caller: Caller = { user: auditor, actor: { id: auditor.id, username: auditor.username, ip: null } };
  const agencies: Array<{ id: number; code: string }> = await db('agencies').whereIn('code', DEMO_AGENCIES.map((a) => a.code)).select('id', 'code');
  const agencyId = (key: (typeof DEMO_AGENCIES)[number]['key']) => agencies.find((a) => a.code === DEMO_AGENCIES.find((d) => d.key === key)!.code)!.id;
  const enterprises: Array<{ id: number; credit_code: string }> = await db('enterprises').select('id', 'credit_code');
  const enterpriseId = (index: number) => enterprises.find((e) => e.credit_code === DEMO_ENTERPRISES[index]!.code)!.id;

  await db.transaction(async (trx) => {
    await insertArrearsRows(
      trx,
      [
        {
          agencyId: agencyId('zhanshan'), enterpriseId: enterpriseId(5), category: 'services', principalFen: wan(1.86), acceptedOn: day(-150), dueOn: day(-120),
          contractRef: 'ZSJD-FW-2025-017', description: '社区活动餐饮服务费', responsibleOfficial: '孙丽',
        },
        {
          agencyId: agencyId('commerce'), enterpriseId: enterpriseId(1), category: 'services', principalFen: wan(12.5), acceptedOn: day(-50), dueOn: day(-20),
          contractRef: 'QDSW-FW-2026-004', description: '外贸企业服务平台运维服务费（验收后 30 日内支付）', responsibleOfficial: '周强',
        },
      ],
      null,
      clock.now().toISOString(),
    );
  });

  const ctx = { db, clock };
  const { id } = await createCampaign(ctx, caller, {
    name: '2026 年清理拖欠企业账款专项行动',
    startedOn: day(-60),
    targetOn: day(60),
    goal: '存量拖欠账款和逾期未履行的政府承诺应清尽清；专项行动期间不得新增拖欠、不得新增违约。各单位每月 5 日前报送清理进度。',
    agencyIds: agencies.map((a) => a.id),
  });
  // 调度: the oldest open item of the baseline goes back to its agency with a deadline.
  const progress = await campaignProgress(ctx, auditor, id, today);
  const open = progress.items.find((i) => i.state === 'open') ?? progress.items.find((i) => i.state === 'new');
  if (open) await assignItem(ctx, caller, id, { item: { itemType: open.itemType, itemId: open.itemId }, dueOn: day(14), instruction: '请于两周内清偿或办结，并在系统中登记付款凭证或履约材料。' });
}
