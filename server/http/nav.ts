import type { Role } from '../config.ts';

export interface NavItem {
  href: string;
  key: string;
}

/** Role-specific navigation, in the order it appears in the header. */
export const NAV: Record<Role, NavItem[]> = {
  admin: [
    { href: '/', key: 'nav.home' },
    { href: '/admin/agencies', key: 'nav.agencies' },
    { href: '/admin/enterprises', key: 'nav.enterprises' },
    { href: '/admin/users', key: 'nav.users' },
    { href: '/admin/tokens', key: 'nav.tokens' },
  ],
  auditor: [
    { href: '/', key: 'nav.home' },
    { href: '/commitments', key: 'nav.commitments' },
    { href: '/commitments/waivers', key: 'nav.waivers' },
    { href: '/audit', key: 'nav.audit' },
  ],
  officer: [
    { href: '/', key: 'nav.home' },
    { href: '/commitments', key: 'nav.commitments' },
    { href: '/commitments/import', key: 'nav.import' },
  ],
  enterprise: [
    { href: '/', key: 'nav.home' },
    { href: '/commitments', key: 'nav.myCommitments' },
  ],
};

/** The entry a page belongs to: the longest href that the path starts with, so /commitments/waivers is not also /commitments. */
export function activeNavHref(items: NavItem[], path: string): string | null {
  let best: string | null = null;
  for (const item of items) {
    const match = item.href === '/' ? path === '/' : path === item.href || path.startsWith(item.href + '/');
    if (match && (best === null || item.href.length > best.length)) best = item.href;
  }
  return best;
}
