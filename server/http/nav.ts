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
  ],
  enterprise: [
    { href: '/', key: 'nav.home' },
    { href: '/commitments', key: 'nav.myCommitments' },
  ],
};
