import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';

/*
 * Second-factor secrets at rest. A copy of the database alone must not let anyone sign in as a user:
 * TOTP secrets are encrypted (AES-256-GCM) and recovery codes are stored as keyed hashes (HMAC-SHA256),
 * both under keys derived by HKDF from INTEGRITY_KEY, which is kept outside the database.
 */

const SEALED_PREFIX = 'v1.';
const IV_BYTES = 12;
const TAG_BYTES = 16;

const derivedKeys = new Map<string, Buffer>();

/** A 256-bit key for one purpose, derived from the integrity key (each purpose gets an unrelated key). */
function keyFor(integrityKey: string, purpose: 'totp-secret' | 'recovery-code'): Buffer {
  const cacheKey = `${purpose}\0${integrityKey}`;
  let key = derivedKeys.get(cacheKey);
  if (!key) {
    key = Buffer.from(hkdfSync('sha256', integrityKey, 'integrity-ledger', `mfa/${purpose}`, 32));
    derivedKeys.set(cacheKey, key);
  }
  return key;
}

/** The user id is authenticated with the secret, so a sealed secret copied to another user's row does not open. */
function associatedData(userId: number): Buffer {
  return Buffer.from(`user:${userId}`);
}

export function sealTotpSecret(integrityKey: string, userId: number, secret: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', keyFor(integrityKey, 'totp-secret'), iv);
  cipher.setAAD(associatedData(userId));
  const body = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return SEALED_PREFIX + Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url');
}

/** The base32 secret; throws when the value was not sealed for this user under this key. */
export function openTotpSecret(integrityKey: string, userId: number, sealed: string): string {
  if (!sealed.startsWith(SEALED_PREFIX)) throw new Error(`the TOTP secret of user ${userId} is not sealed`);
  const raw = Buffer.from(sealed.slice(SEALED_PREFIX.length), 'base64url');
  const decipher = createDecipheriv('aes-256-gcm', keyFor(integrityKey, 'totp-secret'), raw.subarray(0, IV_BYTES));
  decipher.setAAD(associatedData(userId));
  decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
  return Buffer.concat([decipher.update(raw.subarray(IV_BYTES, raw.length - TAG_BYTES)), decipher.final()]).toString('utf8');
}

export function isSealedTotpSecret(value: string): boolean {
  return value.startsWith(SEALED_PREFIX);
}

/** The unkeyed SHA-256 of a recovery code, as codes were stored before they were keyed. */
export function plainRecoveryCodeHash(code: string): string {
  return createHash('sha256').update(code.trim().toUpperCase()).digest('hex');
}

/**
 * The keyed hash of a plain recovery-code hash. Keying the plain hash (rather than the code) lets the
 * migration key the hashes already stored, whose codes nobody knows any more.
 */
export function keyPlainRecoveryHash(integrityKey: string, plainHash: string): string {
  return createHmac('sha256', keyFor(integrityKey, 'recovery-code')).update(plainHash).digest('hex');
}

/** What is stored for a recovery code. */
export function recoveryCodeDigest(integrityKey: string, code: string): string {
  return keyPlainRecoveryHash(integrityKey, plainRecoveryCodeHash(code));
}
