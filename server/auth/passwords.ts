import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import argon2 from 'argon2';
import { ROOT_DIR } from '../config.ts';

const require = createRequire(import.meta.url);
const breachedList = require('fxa-common-password-list') as { test(password: string): boolean };

// Passwords common in China that the international list misses; they pass the length and class rules.
const localList = new Set(
  readFileSync(path.join(ROOT_DIR, 'server', 'auth', 'common-passwords.txt'), 'utf8')
    .split('\n')
    .map((l) => l.trim().toLowerCase())
    .filter((l) => l && !l.startsWith('#')),
);

export const MIN_PASSWORD_LENGTH = 10;

export type PasswordRule = 'length' | 'classes' | 'username' | 'common';

/** MLPS level 3 (等保三级) password rules; returns every rule the password breaks. */
export function passwordProblems(password: string, username: string): PasswordRule[] {
  const problems: PasswordRule[] = [];
  if (password.length < MIN_PASSWORD_LENGTH) problems.push('length');
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
  if (classes < 3) problems.push('classes');
  const lower = password.toLowerCase();
  if (username && lower.includes(username.toLowerCase())) problems.push('username');
  if (localList.has(lower) || breachedList.test(password) || breachedList.test(lower)) problems.push('common');
  return problems;
}

const ARGON2_OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, ARGON2_OPTIONS);
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;

/**
 * Does the work of checking a password against an account that cannot sign in (unknown, locked out,
 * disabled), so that a refusal takes as long as a wrong password does. The hash is made with the
 * current parameters, so it costs what a real account's hash costs.
 */
export async function verifyAgainstNoAccount(password: string): Promise<void> {
  dummyHash ??= hashPassword(randomBytes(16).toString('base64url'));
  await verifyPassword(await dummyHash, password);
}
