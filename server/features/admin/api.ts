import type { AppContext } from '../../context.ts';
import { guardedRouter } from '../../auth/policy.ts';
import { ANY_ROLE } from '../../auth/roles.ts';

export function adminApiRoutes(_ctx: AppContext) {
  const r = guardedRouter();
  r.get('/me', ANY_ROLE, (req, res) => {
    const u = req.user!;
    res.json({
      id: u.id,
      username: u.username,
      displayName: u.displayName,
      role: u.role,
      agency: u.agencyId ? { id: u.agencyId, name: u.agencyName } : null,
      enterprise: u.enterpriseId ? { id: u.enterpriseId, name: u.enterpriseName } : null,
    });
  });
  return r.router;
}
