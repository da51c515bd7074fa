import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { jobsCatalogue } from './locales.ts';
import { JOB_STATUSES } from './types.ts';

function leafKeys(tree: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([k, v]) => (v && typeof v === 'object' ? leafKeys(v as Record<string, unknown>, `${prefix}${k}.`) : [`${prefix}${k}`]));
}

describe('jobs catalogue', () => {
  it('has the same keys in Chinese and English', () => {
    expect(leafKeys(jobsCatalogue.en).sort()).to.deep.equal(leafKeys(jobsCatalogue['zh-CN']).sort());
  });

  it('has a string for every status, every key the code and the progress partial use', () => {
    const sources = ['queue.ts', 'present.ts'].map((f) => readFileSync(new URL(f, import.meta.url), 'utf8'));
    sources.push(readFileSync(new URL('../../views/partials/job-progress.ejs', import.meta.url), 'utf8'));
    const used = [...new Set(sources.flatMap((text) => [...text.matchAll(/'jobs:([\w.]+)'/g)].map((m) => m[1]!)))];
    expect(used).to.include.members(['errors.internal', 'errors.abandoned', 'progress.running']);
    const keys = new Set(leafKeys(jobsCatalogue['zh-CN']));
    for (const key of [...used, ...JOB_STATUSES.map((s) => `statuses.${s}`)]) expect(keys.has(key), key).to.equal(true);
  });
});
