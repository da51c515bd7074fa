import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { appCatalogues } from '../server/app.ts';
import { ROOT_DIR } from '../server/config.ts';
import { common } from '../server/i18n/common.ts';
import { LANGUAGES, type Catalogue } from '../server/i18n/types.ts';

/*
 * Every string the app shows goes through i18n: this test reads the code and the views as they are
 * and checks that every key they use exists in Chinese and in English, that both languages have the
 * same keys, and that every audit action has a label (see server/audit/labels.ts).
 */

const catalogues: Record<string, Catalogue> = { common, ...appCatalogues() };
const namespaces = Object.keys(catalogues);

function files(dir: string, keep: (name: string) => boolean): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : files(full, keep);
    return keep(entry.name) ? [full] : [];
  });
}

const sources = [...files(path.join(ROOT_DIR, 'server'), (n) => n.endsWith('.ts') && !n.endsWith('.test.ts')), ...files(path.join(ROOT_DIR, 'db'), (n) => n.endsWith('.ts') && !n.endsWith('.test.ts'))];
const views = [...files(path.join(ROOT_DIR, 'views'), (n) => n.endsWith('.ejs')), ...files(path.join(ROOT_DIR, 'server'), (n) => n.endsWith('.ejs'))];
const read = (file: string) => readFileSync(file, 'utf8');

function lookup(tree: unknown, key: string): unknown {
  return key.split('.').reduce<unknown>((node, part) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined), tree);
}

function leafKeys(tree: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([k, v]) => (v && typeof v === 'object' ? leafKeys(v as Record<string, unknown>, `${prefix}${k}.`) : [`${prefix}${k}`]));
}

/** A key exists when it is a string, or has plural forms (key_one, key_other). */
function has(lang: (typeof LANGUAGES)[number], ns: string, key: string): boolean {
  const tree = catalogues[ns]?.[lang];
  const parent = key.includes('.') ? lookup(tree, key.slice(0, key.lastIndexOf('.'))) : tree;
  const leaf = key.split('.').at(-1)!;
  const node = parent && typeof parent === 'object' ? (parent as Record<string, unknown>) : {};
  return typeof node[leaf] === 'string' || typeof node[`${leaf}_other`] === 'string';
}

/** A key built in code from a prefix (`commitments:kinds.${kind}`): the prefix must name a group. */
function hasGroup(lang: (typeof LANGUAGES)[number], ns: string, prefix: string): boolean {
  const node = lookup(catalogues[ns]?.[lang], prefix.replace(/\.$/, ''));
  return Boolean(node) && typeof node === 'object';
}

interface UsedKey {
  ns: string;
  key: string;
  dynamic: boolean;
  file: string;
}

function usedKeys(): UsedKey[] {
  const found: UsedKey[] = [];
  const nsPattern = namespaces.filter((n) => n !== 'common').join('|');
  const namespaced = new RegExp(`['"\`](${nsPattern}):([\\w.]+?)(\\.?\\$\\{|['"\`])`, 'g');
  const commonKey = /(?:\bt\(\s*|\bkey:\s*|['"`])((?:validation|errors|nav|actions|pager|layout|roles|money|audit|app|punctuation|format)\.[\w.]+?)(\.?\$\{|['"`])/g;
  for (const file of [...sources, ...views]) {
    const text = read(file);
    // A key ending in '.' or followed by ${…} is completed at run time ('commitments:status.' + s): its group must exist.
    const add = (ns: string, key: string, tail: string) => found.push({ ns, key: key.replace(/\.$/, ''), dynamic: tail.includes('$') || key.endsWith('.'), file });
    for (const m of text.matchAll(namespaced)) add(m[1]!, m[2]!, m[3]!);
    for (const m of text.matchAll(commonKey)) add('common', m[1]!, m[2]!);
  }
  return found;
}

/** The audit actions the code records: `action: 'x.y'` and both arms of `action: cond ? 'a' : 'b'`. */
function auditActions(): string[] {
  const actions = new Set<string>();
  for (const file of sources) {
    for (const m of read(file).matchAll(/\baction:\s*([^,\n}]+)/g)) {
      const value = m[1]!.trim();
      const single = /^'([a-z_]+)'$/.exec(value);
      if (single) actions.add(single[1]!);
      for (const q of value.matchAll(/'([a-z_]+(?:\.[a-z_]+)+)'/g)) actions.add(q[1]!);
    }
  }
  return [...actions];
}

describe('the catalogues', () => {
  it('have the same keys in Chinese and English in every namespace (plural forms count as one key)', () => {
    const keys = (tree: Record<string, unknown>) => [...new Set(leafKeys(tree).map((k) => k.replace(/_(zero|one|two|few|many|other)$/, '')))].sort();
    for (const [ns, catalogue] of Object.entries(catalogues)) expect(keys(catalogue.en), ns).to.deep.equal(keys(catalogue['zh-CN']));
  });

  it('hold every key the code and the views use, in both languages', () => {
    const used = usedKeys();
    expect(used.length, 'keys found in the sources').to.be.greaterThan(300);
    const missing = used.filter((u) => LANGUAGES.some((lang) => !(u.dynamic ? hasGroup(lang, u.ns, u.key) : has(lang, u.ns, u.key))));
    expect(missing.map((u) => `${u.ns}:${u.key} (${path.relative(ROOT_DIR, u.file)})`)).to.deep.equal([]);
  });

  it('write English with half-width punctuation (full-width colons and brackets belong to the Chinese)', () => {
    // Curly quotes and apostrophes are English typography; the stylesheet sets a Latin font first on English pages.
    const fullWidth = /[，。：；！？（）【】、《》「」\u3000～]/;
    const offending = Object.entries(catalogues).flatMap(([ns, catalogue]) => leafKeys(catalogue.en).filter((key) => fullWidth.test(String(lookup(catalogue.en, key)))).map((key) => `${ns}:${key}`));
    expect(offending).to.deep.equal([]);
  });

  it('label every audit action in both languages', () => {
    const actions = auditActions();
    expect(actions).to.include.members(['commitment.fulfilment_recorded', 'login.failed', 'user.created']);
    const unlabelled = actions.filter((action) => LANGUAGES.some((lang) => !namespaces.some((ns) => typeof lookup(catalogues[ns]![lang], `events.${action}`) === 'string')));
    expect(unlabelled).to.deep.equal([]);
  });
});
