import { can } from '../../../auth/policy.ts';
import type { SessionUser } from '../../../auth/types.ts';
import { conflict, fieldError, forbidden, notFound } from '../../../http/errors.ts';
import { COMPLAINTS, type ComplaintScope } from '../policy.ts';
import type { StepActor, TransitionRefusal } from '../rules.ts';

/*
 * The checks the handling use cases share: free text, who the caller acts as on a case, and what a
 * refusal of the state machine answers (409 for the case's state, 422 for a missing note).
 */

export function requiredText(path: string, value: string | null | undefined, max = 5000): string {
  const text = (value ?? '').trim();
  if (!text) throw fieldError(path, 'validation.required');
  if (text.length > max) throw fieldError(path, 'validation.tooLong', { max });
  return text;
}

export function optionalText(path: string, value: string | null | undefined, max = 5000): string | null {
  const text = (value ?? '').trim();
  if (text.length > max) throw fieldError(path, 'validation.tooLong', { max });
  return text || null;
}

/** 404 unless the caller may read the case. */
export function assertReads(user: SessionUser, scope: ComplaintScope | null): asserts scope is ComplaintScope {
  if (!scope || !can(user, COMPLAINTS.read, scope)) throw notFound();
}

/** As whom the caller takes steps on the case: its handling agency's officer, an auditor, or neither. */
export function stepActorOf(user: SessionUser, scope: ComplaintScope): StepActor | null {
  if (can(user, COMPLAINTS.handle, scope)) return 'agency';
  if (can(user, COMPLAINTS.supervise, scope)) return 'auditor';
  return null;
}

/** The error a refusal of the state machine answers; nothing has been written when it is thrown. */
export function refusalError(refusal: TransitionRefusal, notePath = 'note') {
  switch (refusal) {
    case 'note_required':
      return fieldError(notePath, 'validation.required');
    case 'not_your_step':
      return forbidden();
    case 'follow_up_not_due':
      return conflict('complaints:handling.errors.followUpNotDue');
    case 'not_allowed_from_state':
      return conflict('complaints:handling.errors.notAllowedFromState');
  }
}
