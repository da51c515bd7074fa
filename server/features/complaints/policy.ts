import { definePolicy, type ScopedRecord } from '../../auth/policy.ts';
import type { SessionUser } from '../../auth/types.ts';

/** A case is against one agency; once forwarded, its superior's officers see and act on it too. */
export interface ComplaintScope extends ScopedRecord {
  id: number;
  agencyId: number;
  enterpriseId: number;
  forwardedToAgencyId: number | null;
}

/** The officers of the agency the case is against, or of the superior it was forwarded to. */
function isHandlingOfficer(user: SessionUser, c: ComplaintScope): boolean {
  return user.role === 'officer' && user.agencyId !== null && (c.agencyId === user.agencyId || c.forwardedToAgencyId === user.agencyId);
}

function isComplainant(user: SessionUser, c: ComplaintScope): boolean {
  return user.role === 'enterprise' && user.enterpriseId !== null && c.enterpriseId === user.enterpriseId;
}

/**
 * Who may do what with a complaint case. The complainant files, rates and re-rates; the handling
 * agency's officers take the handling steps and may appeal a review; auditors read every case, forward
 * it, record findings of default, decide appeals and disclose a withheld name with a reason.
 */
export const COMPLAINTS = definePolicy<ComplaintScope, 'read' | 'handle' | 'rate' | 'appeal' | 'supervise'>('complaints', {
  read: (user, c) => user.role === 'auditor' || isHandlingOfficer(user, c) || isComplainant(user, c),
  handle: isHandlingOfficer,
  rate: isComplainant,
  appeal: isHandlingOfficer,
  supervise: (user) => user.role === 'auditor',
});

/** An enterprise files a case for itself only. */
export const COMPLAINT_FILING = definePolicy<{ enterpriseId: number }, 'file'>('complaintFiling', {
  file: (user, r) => user.role === 'enterprise' && user.enterpriseId !== null && user.enterpriseId === r.enterpriseId,
});

/** The agency sees "匿名企业" while the complainant's name is withheld and not disclosed by an auditor. */
export function mayKnowComplainant(user: SessionUser, c: ComplaintScope & { withholdName: boolean; nameDisclosed: boolean }): boolean {
  if (!c.withholdName || c.nameDisclosed) return true;
  return user.role === 'auditor' || isComplainant(user, c);
}
