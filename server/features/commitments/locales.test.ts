import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { commitmentsCatalogue } from './locales.ts';
import { COMMITMENT_KINDS } from './schema.ts';
import { COMMITMENT_STATUSES, DISPUTE_STATUSES, ENTERPRISE_RESPONSES, MILESTONE_STATUSES, WAIVER_DECISIONS } from './rules.ts';

function lookup(tree: Record<string, unknown>, key: string): unknown {
  return key.split('.').reduce<unknown>((node, part) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined), tree);
}

function leafKeys(tree: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([k, v]) => (v && typeof v === 'object' ? leafKeys(v as Record<string, unknown>, `${prefix}${k}.`) : [`${prefix}${k}`]));
}

describe('commitments catalogue', () => {
  it('has the same keys in Chinese and English (English plural forms count as one key)', () => {
    const keys = (tree: Record<string, unknown>) => [...new Set(leafKeys(tree).map((k) => k.replace(/_(zero|one|two|few|many|other)$/, '')))].sort();
    expect(keys(commitmentsCatalogue.en)).to.deep.equal(keys(commitmentsCatalogue['zh-CN']));
  });

  it('labels every kind, status, response, dispute and waiver decision', () => {
    const keys = [
      ...COMMITMENT_KINDS.map((k) => `kinds.${k}`),
      ...COMMITMENT_STATUSES.map((s) => `status.${s}`),
      ...MILESTONE_STATUSES.map((s) => `milestoneStatus.${s}`),
      ...ENTERPRISE_RESPONSES.map((r) => `responses.${r}`),
      ...DISPUTE_STATUSES.map((d) => `disputes.${d}`),
      ...WAIVER_DECISIONS.map((d) => `waiverDecisions.${d}`),
    ];
    for (const key of keys) expect(lookup(commitmentsCatalogue['zh-CN'], key), key).to.be.a('string');
    expect(lookup(commitmentsCatalogue['zh-CN'], 'status.overdue')).to.equal('已逾期');
    expect(lookup(commitmentsCatalogue['zh-CN'], 'kinds.investment')).to.equal('招商引资协议');
  });

  it('has a message for every commitments: key the backend raises', () => {
    const sources = ['service.ts', 'api.ts', 'schema.ts'].map((f) => readFileSync(new URL(f, import.meta.url), 'utf8')).join('\n');
    const used = [...new Set([...sources.matchAll(/'commitments:([\w.]+)'/g)].map((m) => m[1]!))];
    expect(used).to.include('errors.overFulfilled');
    for (const key of used) {
      for (const lang of ['zh-CN', 'en'] as const) expect(lookup(commitmentsCatalogue[lang], key), `${lang} ${key}`).to.be.a('string');
    }
  });
});
