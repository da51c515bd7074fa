import { expect } from 'chai';
import { PackedStrings } from './packed-strings.ts';

describe('PackedStrings', () => {
  it('gives back every string as pushed, across pages, with empty and Chinese strings and one longer than a page', () => {
    const packed = new PackedStrings();
    const texts: string[] = [];
    for (let i = 0; i < 60_000; i++) texts.push(i % 7 === 0 ? '' : `第 ${i} 期：完成阶段性工作并支付相应款项`.repeat(1 + (i % 5)));
    texts.splice(30_000, 0, '长'.repeat(500_000), '');
    for (const [i, text] of texts.entries()) expect(packed.push(text)).to.equal(i);
    expect(packed.count).to.equal(texts.length);
    expect(packed.byteLength).to.equal(texts.reduce((n, t) => n + Buffer.byteLength(t), 0));
    for (const [i, text] of texts.entries()) expect(packed.at(i)).to.equal(text);
    expect(packed.at(-1)).to.equal(undefined);
    expect(packed.at(texts.length)).to.equal(undefined);
    expect(packed.at(1.5)).to.equal(undefined);
  });

  it('holds an empty string pushed first', () => {
    const packed = new PackedStrings();
    packed.push('');
    packed.push('a');
    expect([packed.at(0), packed.at(1)]).to.deep.equal(['', 'a']);
  });
});
