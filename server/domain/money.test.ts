import { expect } from 'chai';
import { divideRoundHalfUp, exactDecimal, fenToYuanInput, formatYuan, interestFen, parseYuan } from './money.ts';

describe('money', () => {
  it('reads yuan as people type them into fen, and refuses anything finer than a fen', () => {
    expect(parseYuan('1200000')).to.equal(120_000_000);
    expect(parseYuan(' 1,234.5 ')).to.equal(123_450);
    expect(parseYuan('¥0.07')).to.equal(7);
    expect(parseYuan('￥ 12.30')).to.equal(1_230);
    for (const bad of ['', '12.345', '-5', '1e3', '12,34.5.6', '一百']) expect(parseYuan(bad), bad).to.equal(null);
  });

  it('shows fen as yuan with separators, and a missing amount as a dash, never 0.00', () => {
    expect(formatYuan(123_456_789)).to.equal('1,234,567.89');
    expect(formatYuan(5)).to.equal('0.05');
    expect(formatYuan(-150)).to.equal('-1.50');
    expect(formatYuan(null)).to.equal('—');
    expect(formatYuan(undefined)).to.equal('—');
    expect(fenToYuanInput(120_000_050)).to.equal('1200000.50');
    expect(fenToYuanInput(null)).to.equal('');
  });

  it('reads decimal rates exactly and rounds a division once, halves up', () => {
    expect(exactDecimal('0.0005')).to.deep.equal({ numerator: 5n, denominator: 10_000n });
    expect(exactDecimal('3.45')).to.deep.equal({ numerator: 345n, denominator: 100n });
    expect(exactDecimal('3,45')).to.equal(null);
    expect(divideRoundHalfUp(5n, 2n)).to.equal(3n);
    expect(divideRoundHalfUp(7n, 3n)).to.equal(2n);
    expect(divideRoundHalfUp(-5n, 2n)).to.equal(-3n);
  });

  it('computes late interest at 0.05% a day on the principal, rounded once at the end', () => {
    // 1,000,000.00 yuan for 30 days at 万分之五: 15,000.00 yuan exactly.
    expect(interestFen(100_000_000, { perDay: '0.0005' }, 30)).to.equal(1_500_000);
    // 333.33 yuan for 1 day: 16.6665 fen rounds to 17; rounding each day first would give 17 × 3 = 51 for 3 days, exact is 50.
    expect(interestFen(33_333, { perDay: '0.0005' }, 1)).to.equal(17);
    expect(interestFen(33_333, { perDay: '0.0005' }, 3)).to.equal(50);
    expect(interestFen(100_000_000, { perDay: '0.0005' }, 0)).to.equal(0);
  });

  it('spreads an agreed annual rate over 365 days, or 360 when agreed', () => {
    // 1,000,000.00 yuan at 3.45% a year for 365 days: 34,500.00 yuan.
    expect(interestFen(100_000_000, { annualPercent: '3.45' }, 365)).to.equal(3_450_000);
    // 100 days: 9,452.054794… yuan → 945,205 fen (…0.479 rounds down).
    expect(interestFen(100_000_000, { annualPercent: '3.45' }, 100)).to.equal(945_205);
    expect(interestFen(100_000_000, { annualPercent: '3.6', daysInYear: 360 }, 30)).to.equal(300_000);
  });

  it('refuses a negative principal, fractional days and a rate that is not a decimal', () => {
    expect(() => interestFen(-1, { perDay: '0.0005' }, 1)).to.throw(RangeError);
    expect(() => interestFen(100, { perDay: '0.0005' }, 1.5)).to.throw(RangeError);
    expect(() => interestFen(100, { annualPercent: 'abc' }, 1)).to.throw(RangeError);
  });
});
