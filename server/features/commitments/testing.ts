import { demoUser } from '../../../db/seeds/commitments.ts';
import type { SessionUser } from '../../auth/types.ts';
import { addDays } from '../../domain/dates.ts';
import { systemClock } from '../../domain/clock.ts';
import type { AuditActor } from '../../audit/chain.ts';
import type { CommitmentInput } from './schema.ts';

/** Test support: demo accounts as the service sees them, and a commitment input to vary. */
export { demoUser };

export function actorFor(user: SessionUser): AuditActor {
  return { id: user.id, username: user.username, ip: '127.0.0.1' };
}

/** A date counted in days from today in Asia/Shanghai. */
export function daysFromToday(days: number): string {
  return addDays(systemClock.today(), days);
}

let referenceCounter = 0;

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
