import type { Role } from '../config.ts';
import type { FlashMessage } from '../http/render.ts';

/** The signed-in user as every request sees it: who, which role, and the scope of that role. */
export interface SessionUser {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  agencyId: number | null;
  agencyName: string | null;
  enterpriseId: number | null;
  enterpriseName: string | null;
  mustChangePassword: boolean;
  totpEnabled: boolean;
  viaApiToken?: boolean;
}

/** A record tied to an agency and/or an enterprise (a commitment, an arrear, a complaint…). */
export interface ScopedRecord {
  agencyId: number | null;
  enterpriseId?: number | null;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface User extends SessionUser {}
  }
}

declare module 'express-session' {
  interface SessionData {
    flash: FlashMessage[];
    createdAt: number;
    pendingMfaUserId: number;
    pendingMfaNext: string;
    mfaSetupRequired: boolean;
    totpEnrolSecret: string;
  }
}
