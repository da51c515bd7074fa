import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import PDFDocument from 'pdfkit';
import { systemClock, type Clock } from '../../server/domain/clock.ts';
import { addDays } from '../../server/domain/dates.ts';
import type { CheckedFile } from '../../server/evidence/index.ts';
import { insertTestCase, insertTestFinding, type TestStep } from '../../server/features/complaints/cases-test-data.ts';
import { repairEntry } from '../../server/features/complaints/credit-record.ts';
import type { ComplaintAction } from '../../server/features/complaints/rules.ts';
import { demoUser } from './commitments.ts';
import { DEMO_AGENCIES, DEMO_ENTERPRISES } from './demo.ts';

/*
 * The government credit record's demo: two findings of default, one repaired (信用修复, with its
 * evidence) and one not. Its cases are written here directly, apart from the complaints demo seed
 * (which fills every other state), so that the credit record shows whichever seeds have run.
 */

/** Ten thousand yuan (万元) in fen. */
const wan = (n: number) => Math.round(n * 10_000 * 100);

async function pdfOf(text: string): Promise<Buffer> {
  const doc = new PDFDocument();
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  doc.text(text);
  doc.end();
  return done;
}

export async function seedDemoCreditRecord(db: Knex, clock: Clock = systemClock): Promise<void> {
  const today = clock.today();
  const day = (n: number) => addDays(today, n);
  const at = clock.now().toISOString();
  const take = (step: ComplaintAction, daysFromToday: number): TestStep => ({ action: step, on: day(daysFromToday) });
  const agencyId = async (key: (typeof DEMO_AGENCIES)[number]['key']) => Number((await db('agencies').where({ code: DEMO_AGENCIES.find((a) => a.key === key)!.code }).first('id')).id);
  const enterpriseId = async (index: number) => Number((await db('enterprises').where({ credit_code: DEMO_ENTERPRISES[index]!.code }).first('id')).id);
  const auditor = await demoUser(db, 'auditor');
  // The demo commitment the unrepaired finding is about, when the commitments demo has been seeded.
  const lab = await db('commitments').where({ reference_no: 'QDSW-ZS-2024-015' }).first('id');
  const [commerce, approval, lifeSciences, enterprise1] = [await agencyId('commerce'), await agencyId('approval'), await enterpriseId(3), await enterpriseId(0)];

  const folder = await mkdtemp(path.join(tmpdir(), 'il-seed-'));
  try {
    await db.transaction(async (trx) => {
      // 青岛市商务局: the research reward of a signed investment agreement left unpaid; found in default, not yet repaired.
      const handled = [take('accept', -98), take('investigate', -95), take('find_default', -10)];
      const labCase = (await insertTestCase(trx, {
        agencyId: commerce, enterpriseId: lifeSciences, submittedOn: day(-100), steps: handled, category: 'policy_not_honoured',
        statement: '研发投入奖励逾期四个月未兑现，多次催告无答复。', commitmentId: lab ? Number(lab.id) : null, amountClaimedFen: wan(500),
      })).id;
      await insertTestFinding(trx, {
        agencyId: commerce, complaintId: labCase, commitmentId: lab ? Number(lab.id) : null, amountFen: wan(500), foundOn: day(-10), foundBy: auditor.id, at,
        finding: '经核查，研发投入奖励已逾期四个月未兑现，单位未说明理由，经督促仍拒不整改，认定违约失信。',
      });

      // 青岛市行政审批服务局: a predecessor's compensation promise ignored (新官不理旧账); found in default, then paid and repaired.
      const legacyCase = (await insertTestCase(trx, {
        agencyId: approval, enterpriseId: enterprise1, submittedOn: day(-200), category: 'legacy_ignored', amountClaimedFen: wan(32),
        statement: '原负责人书面承诺的搬迁补偿款，新负责人到任后以不了解情况为由拒绝支付。',
        steps: [take('accept', -198), take('investigate', -190), take('rectify', -170), take('find_default', -150)],
      })).id;
      const legacyFinding = await insertTestFinding(trx, {
        agencyId: approval, complaintId: legacyCase, amountFen: wan(32), foundOn: day(-150), foundBy: auditor.id, at,
        finding: '原负责人书面承诺的搬迁补偿款 32 万元，单位以人员更替为由拒不兑现，认定违约失信。',
      });
      const bytes = await pdfOf('Payment voucher GK-2026-00118: relocation compensation 320,000 yuan');
      const file = path.join(folder, 'voucher.pdf');
      await writeFile(file, bytes);
      const voucher: CheckedFile = { originalName: '补偿款支付凭证.pdf', path: file, mime: 'application/pdf', size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
      await repairEntry({ db: trx, clock }, { user: auditor, actor: { id: auditor.id, username: auditor.username, ip: null } }, legacyFinding, { repairedOn: day(-40), note: '单位已全额支付搬迁补偿款 32 万元，企业确认收到，经核实予以信用修复。' }, [voucher]);
    });
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
