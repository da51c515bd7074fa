import { definePolicy } from '../../auth/policy.ts';
import type { SessionUser } from '../../auth/types.ts';

/** What an access check needs of a campaign: the agencies in its scope. */
export interface CampaignScope {
  id: number;
  agencyIds: number[];
}

const auditor = (user: SessionUser) => user.role === 'auditor';

/**
 * Who may do what with a clean-up campaign. Auditors create campaigns, assign items (调度) and read
 * every campaign; an agency's officers read the campaigns that include their agency (and only their
 * agency's part of them); enterprises and admins have no part in campaigns.
 */
export const CAMPAIGNS = definePolicy<CampaignScope, 'read' | 'create' | 'assign'>('campaigns', {
  read: (user, c) => auditor(user) || (user.role === 'officer' && user.agencyId !== null && c.agencyIds.includes(user.agencyId)),
  // Asked without a campaign: the new one does not exist yet.
  create: auditor,
  assign: auditor,
});

/** The agencies of a campaign whose figures and items the user sees: all for auditors, its own for an officer. */
export function visibleAgencies(user: SessionUser, c: CampaignScope): number[] {
  if (auditor(user)) return c.agencyIds;
  return user.agencyId !== null && c.agencyIds.includes(user.agencyId) ? [user.agencyId] : [];
}
