import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { STATUTORY_HOLIDAYS } from '../../domain/calendar.ts';
import type { ArrangementProblemKind } from './arrangement.ts';
import { calendarCatalogue } from './locales.ts';

function lookup(tree: Record<string, unknown>, key: string): unknown {
  return key.split('.').reduce<unknown>((node, part) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined), tree);
}

function leafKeys(tree: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([k, v]) => (v && typeof v === 'object' ? leafKeys(v as Record<string, unknown>, `${prefix}${k}.`) : [`${prefix}${k}`]));
}

describe('calendar catalogue', () => {
  it('has the same keys in Chinese and English', () => {
    expect(leafKeys(calendarCatalogue.en).sort()).to.deep.equal(leafKeys(calendarCatalogue['zh-CN']).sort());
  });

  it('names every statutory holiday, weekday and problem a pasted line can have', () => {
    const problems: Record<ArrangementProblemKind, true> = { format: true, date: true, order: true, tooLong: true, outsideYear: true, name: true, nameTooLong: true, notWeekend: true, duplicate: true };
    const keys = [...STATUTORY_HOLIDAYS.map((h) => `holidays.${h}`), ...[0, 1, 2, 3, 4, 5, 6].map((d) => `weekdays.${d}`), ...Object.keys(problems).map((p) => `lines.${p}`)];
    for (const lang of ['zh-CN', 'en'] as const) for (const key of keys) expect(lookup(calendarCatalogue[lang], key), `${lang} ${key}`).to.be.a('string');
  });

  it('has a message for every calendar: key the code uses', () => {
    const sources = ['routes.ts', 'schema.ts', 'service.ts', 'present.ts', 'views/working-days.ejs', 'views/admin.ejs', 'views/year-form.ejs'].map((f) => readFileSync(new URL(f, import.meta.url), 'utf8')).join('\n');
    const used = [...new Set([...sources.matchAll(/'calendar:([\w.]+)'/g)].map((m) => m[1]!))].filter((k) => !k.endsWith('.'));
    expect(used).to.include.members(['lines.otherYear', 'errors.daysRange', 'result.provisional']);
    for (const key of used) for (const lang of ['zh-CN', 'en'] as const) expect(lookup(calendarCatalogue[lang], key), `${lang} ${key}`).to.be.a('string');
  });
});
