import { expect } from 'chai';
import { formatTime } from './locals.ts';

describe('times on pages', () => {
  it('shows Beijing time, the first hour after midnight as 00 in both languages', () => {
    expect(formatTime('2026-11-29T16:05:00Z', 'zh-CN')).to.equal('2026/11/30 00:05');
    expect(formatTime('2026-11-29T16:05:00Z', 'en')).to.equal('11/30/2026, 00:05');
    expect(formatTime('2026-11-30T05:30:00Z', 'en')).to.equal('11/30/2026, 13:30');
  });
});
