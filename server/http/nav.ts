import { ROLES, type Role } from '../config.ts';
import type { FeatureManifest, NavItem } from '../context.ts';

export type NavByRole = Record<Role, NavItem[]>;

/** Each role's header navigation: the features' entries in the order the features are registered. */
export function buildNav(features: readonly FeatureManifest[]): NavByRole {
  const nav = Object.fromEntries(ROLES.map((role) => [role, [] as NavItem[]])) as NavByRole;
  for (const feature of features) {
    for (const role of ROLES) nav[role].push(...(feature.nav?.[role] ?? []));
  }
  return nav;
}

/** The entry a page belongs to: the longest href that the path starts with, so /commitments/waivers is not also /commitments. */
export function activeNavHref(items: NavItem[], path: string): string | null {
  let best: string | null = null;
  for (const item of items) {
    const match = item.href === '/' ? path === '/' : path === item.href || path.startsWith(item.href + '/');
    if (match && (best === null || item.href.length > best.length)) best = item.href;
  }
  return best;
}
