import type { Knex } from 'knex';
import { demoUser } from '../db/seeds/commitments.ts';
import type { SessionUser } from '../server/auth/types.ts';
import type { Caller } from '../server/context.ts';
import { fixedClock } from '../server/domain/clock.ts';
import { addDays } from '../server/domain/dates.ts';
import type { CommitmentInput } from '../server/features/commitments/schema.ts';

/**
 * The clock of every test app: frozen when the test run starts, so that "today" is one day for the
 * whole run even when it crosses midnight in Shanghai.
 */
export const TEST_CLOCK = fixedClock(new Date());

/** Demo accounts as the use cases see them. */
export { demoUser };

export async function callerNamed(db: Knex, username: string): Promise<Caller> {
  return callerFor(await demoUser(db, username));
}

export function callerFor(user: SessionUser): Caller {
  return { user, actor: { id: user.id, username: user.username, ip: '127.0.0.1' } };
}

/** A date counted in days from the test clock's today (Asia/Shanghai). */
export function daysFromToday(days: number): string {
  return addDays(TEST_CLOCK.today(), days);
}

let referenceCounter = 0;

/** A valid commitment input of the agency, to vary per test. */
export function commitmentInput(agencyId: number, over: Partial<CommitmentInput> = {}): CommitmentInput {
  referenceCounter++;
  return {
    kind: 'contract',
    title: `测试承诺 ${referenceCounter}`,
    referenceNo: `TEST-${referenceCounter}`,
    agencyId,
    enterpriseId: null,
    basis: null,
    signedOn: daysFromToday(-200),
    amountFen: 1_000_000,
    responsibleOfficial: '张处长',
    isPublic: true,
    milestones: [{ description: '支付首期款', dueOn: daysFromToday(30), amountFen: 500_000 }],
    ...over,
  };
}
