import { randomBytes } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';

const ISSUER = 'Integrity Ledger';
const PERIOD_SECONDS = 30;

export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

function totpFor(secret: string, username: string): TOTP {
  return new TOTP({ issuer: ISSUER, label: username, algorithm: 'SHA1', digits: 6, period: PERIOD_SECONDS, secret: Secret.fromBase32(secret) });
}

export function totpUri(secret: string, username: string): string {
  return totpFor(secret, username).toString();
}

/**
 * The RFC 6238 time step a code belongs to (one step of clock drift either way), or null. The caller
 * accepts a step only once per user: a code seen on the wire must not sign in again.
 * Real time, not the app's clock: the code comes from a phone that keeps real time.
 */
export function matchingTotpStep(secret: string, username: string, code: string, now = Date.now()): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const delta = totpFor(secret, username).validate({ token: code, window: 1, timestamp: now });
  return delta === null ? null : Math.floor(now / 1000 / PERIOD_SECONDS) + delta;
}

export function currentTotp(secret: string, username: string, now = Date.now()): string {
  return totpFor(secret, username).generate({ timestamp: now });
}

export function newRecoveryCodes(count = 10): string[] {
  return Array.from({ length: count }, () => {
    const raw = randomBytes(5).toString('hex').toUpperCase();
    return `${raw.slice(0, 5)}-${raw.slice(5)}`;
  });
}
