import type { Catalogue } from './types.ts';

type Tree = Record<string, unknown>;

function mergeTrees(into: Tree, from: Tree, path: string): Tree {
  const out: Tree = { ...into };
  for (const [key, value] of Object.entries(from)) {
    const here = path ? `${path}.${key}` : key;
    const existing = out[key];
    if (existing === undefined) out[key] = value;
    else if (existing && value && typeof existing === 'object' && typeof value === 'object') out[key] = mergeTrees(existing as Tree, value as Tree, here);
    else if (existing !== value) throw new Error(`catalogue key ${here} is defined twice, differently`);
  }
  return out;
}

/**
 * One namespace's catalogue from fragments kept in several files (each slice of a feature its own),
 * merged key by key, so that two fragments may both add to `events` or `fields`. A key defined twice
 * with different words stops start-up rather than one fragment silently hiding the other.
 */
export function mergeCatalogues(...parts: Catalogue[]): Catalogue {
  return {
    'zh-CN': parts.reduce<Tree>((acc, p) => mergeTrees(acc, p['zh-CN'], ''), {}),
    en: parts.reduce<Tree>((acc, p) => mergeTrees(acc, p.en, ''), {}),
  };
}
