import { canEditRecord, definePolicy } from '../../auth/policy.ts';
import type { SessionUser } from '../../auth/types.ts';

/** A litigation case as the rules see it: the defendant agency. */
export interface LitigationScope {
  agencyId: number | null;
}

/** The auditors read every agency's register; an agency's officers read its own. Enterprises read none (the plaintiff's view is not this register). */
export function mayReadLitigation(user: SessionUser, record: LitigationScope): boolean {
  if (user.role === 'auditor') return true;
  return user.role === 'officer' && user.agencyId !== null && record.agencyId === user.agencyId;
}

/**
 * Who may do what in the litigation appearance register: the defendant agency's officers record its
 * cases, edit them and record their hearings; the auditors read every agency's.
 */
export const LITIGATION = definePolicy<LitigationScope, 'read' | 'record' | 'edit' | 'recordHearing'>('litigation', {
  read: mayReadLitigation,
  // `record` is asked with the agency the new case names: officers record cases against their own agency only.
  record: canEditRecord,
  edit: canEditRecord,
  recordHearing: canEditRecord,
});
