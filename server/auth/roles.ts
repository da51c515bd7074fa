import type { Role } from '../config.ts';

/*
 * The role lists routes name when they state who may use them: one set, so that "who reads business
 * records" means the same in every feature.
 */
export const ANY_ROLE: readonly Role[] = ['admin', 'auditor', 'officer', 'enterprise'];
/** Everyone with a business scope (an agency, an enterprise, or the auditors' whole city); admins have none. */
export const BUSINESS_READERS: readonly Role[] = ['officer', 'auditor', 'enterprise'];
export const OFFICERS: readonly Role[] = ['officer'];
export const AUDITORS: readonly Role[] = ['auditor'];
export const ENTERPRISES: readonly Role[] = ['enterprise'];
export const ADMINS: readonly Role[] = ['admin'];
/** Those who act on an agency's record as its officers or as its overseers. */
export const OFFICERS_AND_AUDITORS: readonly Role[] = ['officer', 'auditor'];
