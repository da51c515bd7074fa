import { z } from 'zod';
import { ROLES } from '../../config.ts';
import { optionalId, optionalText, requiredText } from '../../http/validate.ts';
import { ENTERPRISE_SCALES } from '../../domain/enterprise-scale.ts';

export const AGENCY_LEVELS = ['city', 'district', 'street'] as const;
export const ENTERPRISE_TYPES = ['private', 'state_owned', 'foreign_invested', 'individual'] as const;

export const agencySchema = z.object({
  name: requiredText(200),
  code: requiredText(50),
  level: z.enum(AGENCY_LEVELS, 'validation.invalidOption'),
  parentId: optionalId,
});
export type AgencyInput = z.infer<typeof agencySchema>;

export const enterpriseSchema = z.object({
  name: requiredText(200),
  creditCode: requiredText(18),
  type: z.enum(ENTERPRISE_TYPES, 'validation.invalidOption'),
  scale: z.enum(ENTERPRISE_SCALES, 'validation.invalidOption'),
  district: optionalText(100),
  codeExceptionReason: optionalText(500),
});
export type EnterpriseInput = z.infer<typeof enterpriseSchema>;

export const userSchema = z.object({
  username: z.preprocess((v) => (typeof v === 'string' ? v.trim() : v), z.string().regex(/^[a-zA-Z0-9_.-]{3,64}$/, 'admin:users.usernameRule')),
  displayName: requiredText(100),
  role: z.enum(ROLES, 'validation.invalidOption'),
  agencyId: optionalId,
  enterpriseId: optionalId,
  password: z.string().min(1, 'validation.required').max(200),
});
export type UserInput = z.infer<typeof userSchema>;

export const resetPasswordSchema = z.object({ password: z.string().min(1, 'validation.required').max(200) });

export const tokenSchema = z.object({
  userId: z.coerce.number('validation.required').int().positive('validation.required'),
  label: requiredText(100),
  days: z.coerce.number('validation.invalid').int('validation.invalid').min(1, 'validation.tooSmall').max(366, 'validation.tooBig'),
});
export type TokenInput = z.infer<typeof tokenSchema>;
