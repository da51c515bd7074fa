import type { Knex } from 'knex';
import type { SessionUser } from '../server/auth/types.ts';
import type { Caller, UseCaseContext } from '../server/context.ts';
import { clockOn } from '../server/features/complaints/cases-test-data.ts';
import type { ComplaintAction } from '../server/features/complaints/rules.ts';
import type { ComplaintInput } from '../server/features/complaints/schema.ts';
import { fileComplaint } from '../server/features/complaints/service/file.ts';
import { rateCase } from '../server/features/complaints/service/rating.ts';
import { takeStep } from '../server/features/complaints/service/transitions.ts';
import { callerFor, demoUser } from './factories.ts';

/*
 * Cases for the complaint handling tests: filed on a given day and walked through steps, each on the
 * clock of its own day, by the demo officer1 (agency 青岛市行政审批服务局), the auditor and enterprise1.
 */

export { clockOn };

export const on = (db: Knex, date: string): UseCaseContext => ({ db, clock: clockOn(date) });

export interface HandlingCast {
  officer1: Caller;
  officer2: Caller;
  auditor: Caller;
  enterprise1: Caller;
  admin: Caller;
  approvalId: number;
  commerceId: number;
  enterprise1Id: number;
}

export async function handlingCast(db: Knex): Promise<HandlingCast> {
  const [officer1, officer2, auditor, enterprise1, admin] = await Promise.all(['officer1', 'officer2', 'auditor', 'enterprise1', 'admin'].map((u) => demoUser(db, u)));
  return {
    officer1: callerFor(officer1!),
    officer2: callerFor(officer2!),
    auditor: callerFor(auditor!),
    enterprise1: callerFor(enterprise1!),
    admin: callerFor(admin!),
    approvalId: officer1!.agencyId!,
    commerceId: officer2!.agencyId!,
    enterprise1Id: enterprise1!.enterpriseId!,
  };
}

/** An officer account of the agency with this code (the demo has officers for two agencies only). */
export async function officerOf(db: Knex, agencyCode: string, username: string): Promise<Caller> {
  const agency = await db('agencies').where({ code: agencyCode }).first('id', 'name');
  const now = new Date().toISOString();
  const [{ id }] = await db('users')
    .insert({ username, display_name: username, password_hash: 'x', role: 'officer', agency_id: agency.id, must_change_password: false, created_at: now, updated_at: now })
    .returning('id');
  const user: SessionUser = { id: Number(id), username, displayName: username, role: 'officer', agencyId: Number(agency.id), agencyName: agency.name, enterpriseId: null, enterpriseName: null, mustChangePassword: false, totpEnabled: false };
  return callerFor(user);
}

/** Files a case of enterprise1 against the agency on the day, as enterprise1 files it. */
export async function fileOn(db: Knex, date: string, cast: HandlingCast, over: Partial<ComplaintInput> = {}): Promise<number> {
  const filed = await fileComplaint(on(db, date), cast.enterprise1, {
    agencyId: cast.approvalId,
    category: 'arrears_unpaid',
    statement: '验收合格后货款一直未付。',
    amountClaimedFen: 1_200_000,
    ...over,
  });
  return filed.id;
}

/** Takes the steps in order, each on its day, as the agency's officer1 or (forward, find_default) the auditor. */
export async function walk(db: Knex, cast: HandlingCast, id: number, steps: Array<[ComplaintAction, string]>): Promise<void> {
  for (const [action, date] of steps) {
    const by = action === 'forward' || action === 'find_default' ? cast.auditor : cast.officer1;
    await takeStep(on(db, date), by, id, { action, note: `${action} on ${date}` });
  }
}

export async function rateOn(db: Knex, cast: HandlingCast, id: number, date: string, level: Parameters<typeof rateCase>[3]['level'], comment = '评价意见') {
  return rateCase(on(db, date), cast.enterprise1, id, { level, comment });
}
