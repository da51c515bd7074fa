import type { Knex } from 'knex';
import { hashPassword } from '../../server/auth/passwords.ts';
import { completeCreditCode } from '../../server/domain/credit-code.ts';
import { recordAudit, SYSTEM_ACTOR } from '../../server/audit/chain.ts';

export const DEMO_AGENCIES = [
  { key: 'city', name: '青岛市人民政府', code: 'QD-GOV', level: 'city', parent: null },
  { key: 'approval', name: '青岛市行政审批服务局', code: 'QD-XZSP', level: 'city', parent: null },
  { key: 'commerce', name: '青岛市商务局', code: 'QD-SWJ', level: 'city', parent: null },
  { key: 'shinan', name: '市南区人民政府', code: 'QD-SN-GOV', level: 'district', parent: 'city' },
  { key: 'zhanshan', name: '湛山街道办事处', code: 'QD-SN-ZS', level: 'street', parent: 'shinan' },
] as const;

// Valid unified social credit codes: area 370200 (Qingdao) and its districts, check characters computed.
export const DEMO_ENTERPRISES = [
  { name: '青岛海滨精密机械有限公司', code: completeCreditCode('9137020056781234'), type: 'private', scale: 'small', district: '市南区' },
  { name: '青岛蓝海软件科技有限公司', code: completeCreditCode('913702027A3B5C6D'), type: 'private', scale: 'micro', district: '市南区' },
  { name: '青岛港湾建设工程有限公司', code: completeCreditCode('91370203MA1K2L3M'), type: 'state_owned', scale: 'medium', district: '市北区' },
  { name: '青岛崂山生物医药股份有限公司', code: completeCreditCode('91370212MA3N4P5Q'), type: 'private', scale: 'medium', district: '崂山区' },
  { name: '青岛中德智能制造有限公司', code: completeCreditCode('91370211MA7R8T9U'), type: 'foreign_invested', scale: 'large', district: '黄岛区' },
  { name: '市南区张记餐饮店', code: completeCreditCode('92370202MA0W1X2Y'), type: 'individual', scale: 'micro', district: '市南区' },
] as const;

export const DEMO_USERS = [
  { username: 'admin', displayName: '系统管理员', role: 'admin', agency: null, enterprise: null },
  { username: 'auditor', displayName: '王审计', role: 'auditor', agency: null, enterprise: null },
  { username: 'officer1', displayName: '李经办', role: 'officer', agency: 'approval', enterprise: null },
  { username: 'officer2', displayName: '赵经办', role: 'officer', agency: 'commerce', enterprise: null },
  { username: 'enterprise1', displayName: '陈总', role: 'enterprise', agency: null, enterprise: 0 },
] as const;

/** Demo agencies, enterprises and the five demo accounts (which need no password change). */
export async function seedDemoCore(db: Knex, demoPassword: string): Promise<void> {
  const hash = await hashPassword(demoPassword);
  const now = new Date().toISOString();
  await db.transaction(async (trx) => {
    const agencyIds: Record<string, number> = {};
    for (const a of DEMO_AGENCIES) {
      const [{ id }] = await trx('agencies')
        .insert({ name: a.name, code: a.code, level: a.level, parent_id: a.parent ? agencyIds[a.parent] : null, created_at: now, updated_at: now })
        .returning('id');
      agencyIds[a.key] = id;
    }
    const enterpriseIds: number[] = [];
    for (const e of DEMO_ENTERPRISES) {
      const [{ id }] = await trx('enterprises')
        .insert({ name: e.name, credit_code: e.code, type: e.type, scale: e.scale, district: e.district, created_at: now, updated_at: now })
        .returning('id');
      enterpriseIds.push(id);
    }
    for (const u of DEMO_USERS) {
      await trx('users').insert({
        username: u.username,
        display_name: u.displayName,
        password_hash: hash,
        role: u.role,
        agency_id: u.agency ? agencyIds[u.agency] : null,
        enterprise_id: u.enterprise === null ? null : enterpriseIds[u.enterprise],
        must_change_password: false,
        created_at: now,
        updated_at: now,
      });
    }
    await recordAudit(trx, SYSTEM_ACTOR, { action: 'demo.seeded', entityType: 'system', after: { agencies: DEMO_AGENCIES.length, enterprises: DEMO_ENTERPRISES.length, users: DEMO_USERS.map((u) => u.username) } });
  });
}
