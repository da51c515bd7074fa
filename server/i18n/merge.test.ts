import { expect } from 'chai';
import { mergeCatalogues } from './merge.ts';

describe('merging catalogue fragments', () => {
  it('merges subtrees that several parts add to', () => {
    const merged = mergeCatalogues(
      { 'zh-CN': { events: { a: { created: '登记' } }, title: '欠款' }, en: { events: { a: { created: 'Registered' } }, title: 'Arrears' } },
      { 'zh-CN': { events: { a: { paid: '付款' } }, title: '欠款' }, en: { events: { a: { paid: 'Paid' } }, title: 'Arrears' } },
    );
    expect(merged.en).to.deep.equal({ events: { a: { created: 'Registered', paid: 'Paid' } }, title: 'Arrears' });
  });

  it('refuses a key given twice with different strings, naming it', () => {
    expect(() => mergeCatalogues({ 'zh-CN': { fields: { amount: '金额' } }, en: {} }, { 'zh-CN': { fields: { amount: '本金' } }, en: {} })).to.throw('fields.amount');
  });
});
