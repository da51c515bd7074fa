/**
 * The unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters, an overall check
 * character at position 18 and the organisation code (GB 11714) with its own check in positions 9–17.
 */
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const ORG_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];
const AUTHORITIES = '159Y';

export type CreditCodeError =
  | { rule: 'length'; length: number }
  | { rule: 'charset'; position: number; char: string }
  | { rule: 'authority'; char: string }
  | { rule: 'area'; area: string }
  | { rule: 'org-check'; expected: string; actual: string }
  | { rule: 'check'; expected: string; actual: string };

export function normaliseCreditCode(raw: string): string {
  return raw.trim().toUpperCase();
}

export function overallCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += ALPHABET.indexOf(first17[i]!) * WEIGHTS[i]!;
  return ALPHABET[(31 - (sum % 31)) % 31]!;
}

export function orgCheckChar(first8: string): string {
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += ORG_ALPHABET.indexOf(first8[i]!) * ORG_WEIGHTS[i]!;
  const check = 11 - (sum % 11);
  return check === 10 ? 'X' : check === 11 ? '0' : String(check);
}

/** Checks a code against every rule and returns the first one it breaks, or null when valid. */
export function checkCreditCode(raw: string): CreditCodeError | null {
  const code = normaliseCreditCode(raw);
  if (code.length !== 18) return { rule: 'length', length: code.length };
  for (let i = 0; i < 18; i++) {
    const char = code[i]!;
    if (!ALPHABET.includes(char)) return { rule: 'charset', position: i + 1, char };
  }
  if (!AUTHORITIES.includes(code[0]!)) return { rule: 'authority', char: code[0]! };
  const area = code.slice(2, 8);
  if (!/^\d{6}$/.test(area)) return { rule: 'area', area };
  const org = orgCheckChar(code.slice(8, 16));
  if (org !== code[16]) return { rule: 'org-check', expected: org, actual: code[16]! };
  const overall = overallCheckChar(code.slice(0, 17));
  if (overall !== code[17]) return { rule: 'check', expected: overall, actual: code[17]! };
  return null;
}

/** Completes 16 leading characters into a valid code (for demo data and tests). */
export function completeCreditCode(first16: string): string {
  const first17 = first16 + orgCheckChar(first16.slice(8, 16));
  return first17 + overallCheckChar(first17);
}
