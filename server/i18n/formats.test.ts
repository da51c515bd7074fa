import { expect } from 'chai';
import { formatDate, formatTime } from './formats.ts';

describe('date and time formats', () => {
  it('writes a calendar date as 2026-11-29 in Chinese and 29 Nov 2026 in English', () => {
    expect(formatDate('2026-11-29', 'zh-CN')).to.equal('2026-11-29');
    expect(formatDate('2026-11-29', 'en')).to.equal('29 Nov 2026');
    expect(formatDate('2027-01-05', 'en')).to.equal('5 Jan 2027');
    expect(formatDate(null, 'en')).to.equal('');
  });

  it('writes an instant in Shanghai time to the minute, midnight as 00, in each language’s style', () => {
    expect(formatTime('2026-11-29T06:05:00.000Z', 'zh-CN')).to.equal('2026-11-29 14:05');
    expect(formatTime('2026-11-29T06:05:00.000Z', 'en')).to.equal('29 Nov 2026, 14:05');
    // 16:30 UTC is half past midnight the next day in Shanghai.
    expect(formatTime('2026-11-29T16:30:00.000Z', 'zh-CN')).to.equal('2026-11-30 00:30');
    expect(formatTime('2026-11-29T16:30:00.000Z', 'en')).to.equal('30 Nov 2026, 00:30');
    expect(formatTime('2026-11-29T06:05:09.000Z', 'zh-CN', { seconds: true })).to.equal('2026-11-29 14:05:09');
  });
});
