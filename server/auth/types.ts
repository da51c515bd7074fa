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
