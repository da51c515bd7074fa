import { LANGUAGES, type Catalogue } from './types.ts';

type Tree = Record<string, unknown>;

const isTree = (v: unknown): v is Tree => typeof v === 'object' && v !== null && !Array.isArray(v);

function mergeTrees(into: Tree, from: Tree, path: string): Tree {
  const out: Tree = { ...into };
  for (const [key, value] of Object.entries(from)) {
    const at = path ? `${path}.${key}` : key;
    const existing = out[key];
    if (existing === undefined) out[key] = value;
    else if (isTree(existing) && isTree(value)) out[key] = mergeTrees(existing, value, at);
    else if (existing !== value) throw new Error(`catalogue key ${at} is given twice with different strings: "${String(existing)}" and "${String(value)}"`);
  }
  return out;
}

/**
 * One namespace from the fragments its parts keep beside their code. Subtrees merge (each part adds
 * its events, fields and values); a key two parts give different strings stops start-up, naming it.
 */
export function mergeCatalogues(...parts: Catalogue[]): Catalogue {
  const merged = {} as Catalogue;
  for (const lang of LANGUAGES) merged[lang] = parts.reduce<Tree>((acc, part) => mergeTrees(acc, part[lang], ''), {});
  return merged;
}
