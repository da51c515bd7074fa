import { expect } from 'chai';
import { checkCreditCode, completeCreditCode } from './credit-code.ts';

describe('unified social credit code', () => {
  it('accepts the example from the product brief and lower-case input', () => {
    expect(checkCreditCode('91350100M000100Y43')).to.equal(null);
    expect(checkCreditCode(' 91350100m000100y43 ')).to.equal(null);
  });

  it('accepts codes completed with both check characters', () => {
    for (const first16 of ['9137020056781234', '91370203MA1K2L3M', '5137020012345678', 'Y1370200ABCDEFGH', '92370202MA0W1X2Y']) {
      expect(checkCreditCode(completeCreditCode(first16)), first16).to.equal(null);
    }
  });

  it('names a wrong overall check character (position 18) with the expected one', () => {
    expect(checkCreditCode('91350100M000100Y44')).to.deep.equal({ rule: 'check', expected: '3', actual: '4' });
  });

  it('names a wrong organisation-code check character (position 17)', () => {
    // Change position 17 only; the org check fails before the overall check is looked at.
    expect(checkCreditCode('91350100M000100Y53')).to.deep.equal({ rule: 'org-check', expected: '4', actual: '5' });
  });

  it('refuses the wrong length, letters outside the alphabet and a bad authority or area', () => {
    expect(checkCreditCode('91350100M000100Y4')).to.deep.equal({ rule: 'length', length: 17 });
    expect(checkCreditCode('91350100M0001O0Y43')).to.deep.equal({ rule: 'charset', position: 14, char: 'O' });
    expect(checkCreditCode('81350100M000100Y43')).to.deep.equal({ rule: 'authority', char: '8' });
    expect(checkCreditCode('913501A0M000100Y43')).to.deep.equal({ rule: 'area', area: '3501A0' });
  });

  it('maps an organisation check of 10 to X and 11 to 0', () => {
    const codes = Array.from({ length: 400 }, (_, i) => completeCreditCode(`91370200${String(10_000_000 + i * 7919).slice(0, 8)}`));
    const checks = new Set(codes.map((c) => c[16]));
    expect(checks.has('X')).to.equal(true);
    expect(checks.has('0')).to.equal(true);
    for (const c of codes) expect(checkCreditCode(c)).to.equal(null);
  });
});
