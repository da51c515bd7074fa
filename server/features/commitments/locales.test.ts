import { expect } from 'chai';
import { commitmentsCatalogue } from './locales.ts';
import { COMMITMENT_KINDS } from './schema.ts';
import { COMMITMENT_STATUSES, DISPUTE_STATUSES, ENTERPRISE_RESPONSES, MILESTONE_STATUSES, WAIVER_DECISIONS } from './rules.ts';

function lookup(tree: Record<string, unknown>, key: string): unknown {
  return key.split('.').reduce<unknown>((node, part) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined), tree);
}

describe('commitments catalogue', () => {
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
});
