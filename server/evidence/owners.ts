import type { Knex } from 'knex';
import type { SessionUser } from '../auth/types.ts';
import type { EvidenceOwnerType, FeatureManifest } from '../context.ts';

/** A record that files are attached to: its registered owner type and its id. */
export interface EvidenceOwner {
  type: string;
  id: number;
}

/** `<feature>.<record>` in lower case, at most the width of the owner_type column. */
const OWNER_TYPE_NAME = /^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$/;
export const OWNER_TYPE_MAX_LENGTH = 60;

export function isOwnerTypeName(name: string): boolean {
  return name.length <= OWNER_TYPE_MAX_LENGTH && OWNER_TYPE_NAME.test(name);
}

export type EvidenceOwnerRegistry = ReadonlyMap<string, EvidenceOwnerType>;

/**
 * Every feature's evidence owner types by name. A name must be the feature's own (`<feature>.…`) and
 * unique, so that two features can never claim each other's files; a clash stops start-up.
 */
export function evidenceOwnersOf(features: readonly FeatureManifest[]): EvidenceOwnerRegistry {
  const owners = new Map<string, EvidenceOwnerType>();
  for (const feature of features) {
    for (const owner of feature.evidenceOwners ?? []) {
      if (!isOwnerTypeName(owner.name) || !owner.name.startsWith(`${feature.name}.`)) {
        throw new Error(`evidence owner type "${owner.name}" of feature "${feature.name}" must be named "${feature.name}.<record>" (lower case, at most ${OWNER_TYPE_MAX_LENGTH} characters)`);
      }
      if (owners.has(owner.name)) throw new Error(`evidence owner type "${owner.name}" is registered twice`);
      owners.set(owner.name, owner);
    }
  }
  return owners;
}

/**
 * Whether the user may read the files attached to this owner: deny by default, so an owner type
 * no feature registered, or an owner record that is gone, reads as nothing.
 */
export async function mayReadAttachmentsOf(db: Knex, owners: EvidenceOwnerRegistry, user: SessionUser, owner: EvidenceOwner): Promise<boolean> {
  const type = owners.get(owner.type);
  if (!type) return false;
  const scope = await type.scopeOf(db, owner.id);
  return scope !== null && type.canRead(user, scope);
}
