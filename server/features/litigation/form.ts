import { ValidationError } from '../../http/errors.ts';
import { parseInput } from '../../http/validate.ts';
import type { CaseFacts } from './queries.ts';
import { caseInputSchema, hearingInputSchema, type CaseInput, type HearingInput } from './schema.ts';

/** The case and hearing forms: text fields named as the input's, the plaintiff enterprise chosen with the shared picker (`enterpriseId`), checkboxes for the head. */
export type FormBody = Record<string, unknown>;

/** Where the use case's errors show on the case form. */
export const CASE_FIELD_OF: Record<string, string> = { plaintiffEnterpriseId: 'enterpriseId' };

function text(value: unknown): string {
  if (Array.isArray(value)) return text(value[0]);
  return typeof value === 'string' ? value.trim() : '';
}

const ticked = (value: unknown): boolean => ['on', 'true', '1'].includes(text(value));

/** Reads the posted case form for the officer's agency; every bad field is reported at once, under the form's names. */
export function caseFromForm(body: FormBody, agencyId: number): CaseInput {
  const optional = (field: string): string | undefined => text(body[field]) || undefined;
  const enterprise = text(body.enterpriseId);
  try {
    return parseInput(caseInputSchema, {
      agencyId,
      caseNo: text(body.caseNo),
      court: text(body.court),
      plaintiff: optional('plaintiff') ?? null,
      plaintiffEnterpriseId: enterprise ? Number(enterprise) : null,
      cause: optional('cause') ?? null,
      filedOn: optional('filedOn'),
      outcome: optional('outcome') ?? null,
      concludedOn: optional('concludedOn') ?? null,
    });
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    throw new ValidationError(err.fieldErrors.map((e) => ({ ...e, path: CASE_FIELD_OF[e.path] ?? e.path })));
  }
}

/** A recorded case as its edit form shows it. */
export function caseToForm(c: CaseFacts): FormBody {
  return {
    caseNo: c.caseNo,
    court: c.court,
    // A plaintiff that is a registered enterprise keeps its own name only when it differs from the enterprise's.
    plaintiff: c.plaintiffEnterpriseName === c.plaintiff ? '' : c.plaintiff,
    enterpriseId: c.plaintiffEnterpriseId ?? '',
    cause: c.cause ?? '',
    filedOn: c.filedOn,
    outcome: c.outcome ?? '',
    concludedOn: c.concludedOn ?? '',
  };
}

/** Reads the posted hearing form: an unticked box is a "no". */
export function hearingFromForm(body: FormBody): HearingInput {
  return parseInput(hearingInputSchema, {
    hearingOn: text(body.hearingOn) || undefined,
    headAppeared: ticked(body.headAppeared),
    headSpoke: ticked(body.headSpoke),
    headName: text(body.headName) || null,
    appearedInstead: text(body.appearedInstead) || null,
    note: text(body.note) || null,
  });
}
