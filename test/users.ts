import type { SessionUser } from '../server/auth/types.ts';

/*
 * Signed-in users for rules tested without a database: one of each role, two officers of different
 * agencies (10 and 11) and two enterprises (20 and 21). A record of agency 10 owed to enterprise 20
 * is "theirs" for officerA and enterpriseX.
 */
const base = { displayName: 'x', agencyName: null, enterpriseName: null, mustChangePassword: false, totpEnabled: false };
export const admin: SessionUser = { ...base, id: 1, username: 'admin', role: 'admin', agencyId: null, enterpriseId: null };
export const auditor: SessionUser = { ...base, id: 2, username: 'auditor', role: 'auditor', agencyId: null, enterpriseId: null };
export const officerA: SessionUser = { ...base, id: 3, username: 'a', role: 'officer', agencyId: 10, enterpriseId: null };
export const officerB: SessionUser = { ...base, id: 4, username: 'b', role: 'officer', agencyId: 11, enterpriseId: null };
export const enterpriseX: SessionUser = { ...base, id: 5, username: 'x', role: 'enterprise', agencyId: null, enterpriseId: 20 };
export const enterpriseY: SessionUser = { ...base, id: 6, username: 'y', role: 'enterprise', agencyId: null, enterpriseId: 21 };
export const recordOfAWithX = { agencyId: 10, enterpriseId: 20 };
