import type { Router } from 'express';
import type { Knex } from 'knex';
import type { PassportStatic } from 'passport';
import type { Logger } from 'pino';
import type { AuditActor } from './audit/chain.ts';
import type { ScopedRecord, SessionUser } from './auth/types.ts';
import type { Config, Role } from './config.ts';
import type { Clock } from './domain/clock.ts';
import type { Catalogue } from './i18n/types.ts';
import type { JobKind } from './jobs/types.ts';

/*
 * Types shared by the app and every feature. This module imports no feature and no app code, so
 * features can depend on it without an import circle back through app.ts.
 */

/** What a feature's routes and use cases are given: the database, settings, logger and the clock. */
export interface AppContext {
  db: Knex;
  config: Config;
  logger: Logger;
  passport: PassportStatic;
  clock: Clock;
}

/** What a use case needs of the app: the database (or the caller's transaction) and the clock. */
export interface UseCaseContext {
  db: Knex;
  clock: Clock;
}

/** Who is acting: the signed-in user (role and scope) and how the audit log names them. */
export interface Caller {
  user: SessionUser;
  actor: AuditActor;
}

export interface NavItem {
  href: string;
  /** i18n key of the label. */
  key: string;
}

/**
 * A kind of record that evidence files may be attached to, registered by the feature that owns it.
 * Reading a file is decided by the owner: its scope (one cheap lookup) and the area's read rule.
 */
export interface EvidenceOwnerType {
  /** `<feature>.<record>`, as stored with each attachment, e.g. `commitments.fulfilment`. */
  name: string;
  /** The agency and enterprise the owner record belongs to; null when there is no such record. */
  scopeOf(db: Knex, ownerId: number): Promise<ScopedRecord | null>;
  /** Whether the user may read what is attached to a record of that scope. */
  canRead(user: SessionUser, scope: ScopedRecord): boolean;
}

/** How the audit log names one record: its name and, where auditors may open it, its page. */
export interface AuditEntityName {
  name: string;
  href?: string;
}

/**
 * A kind of record that audit entries are about (their `entity_type`), registered by the feature that
 * owns it, so that the audit log shows "承诺 青审批补〔2025〕31号" linked to its page, not "commitment #12".
 */
export interface AuditEntityType {
  /** As recorded in audit_log.entity_type, e.g. `commitment`. */
  type: string;
  /** i18n key of what such a record is called ("承诺"). */
  labelKey: string;
  /** The names of the records with these ids (one query for a page of entries); ids not found are left out. */
  describe?(db: Knex, ids: string[]): Promise<Map<string, AuditEntityName>>;
  /** Ids of the records whose name contains `text`, for the audit log's object filter (a bounded list). */
  find?(db: Knex, text: string): Promise<string[]>;
}

/**
 * Everything a feature adds to the app, registered in one place (features/index.ts): its page and
 * API routers, its strings, its entries in each role's navigation, its evidence owner types, its kinds of
 * background job and the records its audit entries are about.
 */
export interface FeatureManifest {
  name: string;
  /** Page routers, mounted in this order after sessions and CSRF. */
  routes?: Array<(ctx: AppContext) => Router>;
  /** /api/v1 routers (bearer tokens only). */
  api?: Array<(ctx: AppContext) => Router>;
  /** The feature's strings, under its own namespace (the feature's name). */
  catalogue?: Catalogue;
  /** Navigation entries per role, in header order after those of the features before it. */
  nav?: Partial<Record<Role, NavItem[]>>;
  /** The records of this feature that evidence files attach to; their names start with `<name>.`. */
  evidenceOwners?: EvidenceOwnerType[];
  /** Kinds of background job the feature queues; server/index.ts hands them to the job runner. */
  jobs?: JobKind[];
  /** The kinds of record its audit entries are about, as the audit log names and links them. */
  auditEntities?: AuditEntityType[];
}
