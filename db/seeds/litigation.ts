import type { Knex } from 'knex';
import { SYSTEM_ACTOR, recordAudit } from '../../server/audit/chain.ts';
import type { SessionUser } from '../../server/auth/types.ts';
import type { Caller } from '../../server/context.ts';
import { systemClock, type Clock } from '../../server/domain/clock.ts';
import { addDays } from '../../server/domain/dates.ts';
import { insertCase, insertHearing } from '../../server/features/litigation/repository.ts';
import type { CaseInput, HearingInput } from '../../server/features/litigation/schema.ts';
import { recordHearing } from '../../server/features/litigation/service/hearings.ts';
import { recordCase } from '../../server/features/litigation/service/register.ts';
import { demoUser } from './commitments.ts';
import { DEMO_AGENCIES, DEMO_ENTERPRISES } from './demo.ts';

type AgencyKey = (typeof DEMO_AGENCIES)[number]['key'];

/** A hearing of a demo case; `on` in days from today (negative: past). */
interface DemoHearing {
  on: number;
  head?: string;
  spoke?: boolean;
  /** Who appeared when the head did not. */
  instead?: string;
  note?: string;
}

interface DemoCase {
  agency: AgencyKey;
  /** The case number after its year: （year）<court code>… */
  number: string;
  court: string;
  /** Index into DEMO_ENTERPRISES, or a plaintiff who is not a registered enterprise. */
  plaintiff: number | string;
  cause: string;
  filed: number;
  hearings: DemoHearing[];
  concluded?: { on: number; outcome: string };
}

const DEMO_CASES: DemoCase[] = [
  // 青岛市行政审批服务局 (officer1): one hearing its head missed, a deputy appearing instead.
  {
    agency: 'approval', number: '鲁0202行初215号', court: '青岛市市南区人民法院', plaintiff: 1, cause: '行政许可（不予许可决定）', filed: -300,
    hearings: [{ on: -240, head: '王建国', spoke: true }, { on: -180, head: '王建国', spoke: true, note: '负责人当庭陈述答辩意见' }],
    concluded: { on: -150, outcome: '判决驳回原告诉讼请求' },
  },
  {
    agency: 'approval', number: '鲁0202行初37号', court: '青岛市市南区人民法院', plaintiff: '刘某某', cause: '政府信息公开', filed: -90,
    hearings: [{ on: -40, instead: '张海涛（副局长）', note: '局长参加全省营商环境工作会议，经法院准许由副局长出庭' }],
  },
  {
    agency: 'approval', number: '鲁02行初8号', court: '青岛市中级人民法院', plaintiff: 2, cause: '行政处罚（罚款）', filed: -60,
    hearings: [{ on: -20, head: '王建国', spoke: false, note: '负责人出庭，答辩由委托律师发表' }],
  },
  // 青岛市商务局 (officer2)
  {
    agency: 'commerce', number: '鲁0203行初98号', court: '青岛市市北区人民法院', plaintiff: 3, cause: '行政协议（招商引资优惠政策兑现）', filed: -200,
    hearings: [{ on: -150, head: '赵明远', spoke: true }, { on: -100, head: '赵明远', spoke: true }],
    concluded: { on: -80, outcome: '调解结案：商务局兑现约定奖励资金，原告撤诉' },
  },
  { agency: 'commerce', number: '鲁0212行初21号', court: '青岛市崂山区人民法院', plaintiff: 4, cause: '行政协议（履行投资协议）', filed: -45, hearings: [] },
  // 市南区人民政府 (no demo officer: recorded by the system)
  {
    agency: 'shinan', number: '鲁0202行初55号', court: '青岛市市南区人民法院', plaintiff: 5, cause: '行政强制（限期拆除）', filed: -120,
    hearings: [{ on: -70, head: '孙志强', spoke: true }],
  },
];

const callerFor = (user: SessionUser): Caller => ({ user, actor: { id: user.id, username: user.username, ip: null } });

/**
 * The litigation appearance register of the demo agencies: concluded and pending lawsuits, hearings
 * where the head appeared and spoke, one where the head appeared but left the answering to counsel,
 * and one the head missed (a deputy appeared instead). Cases of agencies with a demo officer go
 * through the use cases; the others are written as the system.
 */
export async function seedDemoLitigation(db: Knex, clock: Clock = systemClock): Promise<void> {
  const today = clock.today();
  const day = (n: number) => addDays(today, n);
  const agencies: Array<{ id: number; code: string }> = await db('agencies').select('id', 'code');
  const agencyId = (key: AgencyKey) => agencies.find((a) => a.code === DEMO_AGENCIES.find((d) => d.key === key)!.code)!.id;
  const enterprises: Array<{ id: number; credit_code: string }> = await db('enterprises').select('id', 'credit_code');
  const enterpriseId = (index: number) => enterprises.find((e) => e.credit_code === DEMO_ENTERPRISES[index]!.code)!.id;
  const officers: Partial<Record<AgencyKey, Caller>> = { approval: callerFor(await demoUser(db, 'officer1')), commerce: callerFor(await demoUser(db, 'officer2')) };

  await db.transaction(async (trx) => {
    const ctx = { db: trx, clock };
    for (const c of DEMO_CASES) {
      const input: CaseInput = {
        agencyId: agencyId(c.agency),
        caseNo: `（${day(c.filed).slice(0, 4)}）${c.number}`,
        court: c.court,
        plaintiff: typeof c.plaintiff === 'string' ? c.plaintiff : null,
        plaintiffEnterpriseId: typeof c.plaintiff === 'number' ? enterpriseId(c.plaintiff) : null,
        cause: c.cause,
        filedOn: day(c.filed),
        outcome: c.concluded?.outcome ?? null,
        concludedOn: c.concluded ? day(c.concluded.on) : null,
      };
      const hearings: HearingInput[] = c.hearings.map((h) => ({
        hearingOn: day(h.on),
        headAppeared: h.head !== undefined,
        headSpoke: h.spoke ?? false,
        headName: h.head ?? null,
        appearedInstead: h.instead ?? null,
        note: h.note ?? null,
      }));
      const officer = officers[c.agency];
      if (officer) {
        const { id } = await recordCase(ctx, officer, input);
        for (const h of hearings) await recordHearing(ctx, officer, id, h);
        continue;
      }
      const at = clock.now().toISOString();
      const plaintiffName = typeof c.plaintiff === 'string' ? c.plaintiff : DEMO_ENTERPRISES[c.plaintiff]!.name;
      const id = await insertCase(trx, input, plaintiffName, null, at);
      await recordAudit(trx, SYSTEM_ACTOR, { action: 'litigation.case_recorded', entityType: 'litigation_case', entityId: id, after: { caseNo: input.caseNo, court: input.court, plaintiff: plaintiffName, filedOn: input.filedOn } });
      for (const h of hearings) {
        await insertHearing(trx, id, h, null, at);
        await recordAudit(trx, SYSTEM_ACTOR, { action: 'litigation.hearing_recorded', entityType: 'litigation_case', entityId: id, after: { hearingOn: h.hearingOn, headAppeared: h.headAppeared, headSpoke: h.headSpoke, headName: h.headName } });
      }
    }
  });
}
