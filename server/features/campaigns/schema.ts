import { z } from 'zod';
import { calendarDate } from '../../http/validate.ts';

const agencyId = z.number('validation.invalid').int('validation.invalid').positive('validation.invalid');

/** A new campaign: the API's JSON body, and what the form turns its fields into. */
export const campaignInputSchema = z
  .object({
    name: z.string('validation.required').trim().min(1, 'validation.required').max(200, 'validation.tooLong'),
    startedOn: calendarDate,
    targetOn: calendarDate,
    goal: z.string('validation.required').trim().min(1, 'validation.required').max(2000, 'validation.tooLong'),
    agencyIds: z.array(agencyId, 'validation.required').min(1, 'campaigns:errors.noAgencies').max(1000, 'validation.tooBig'),
  })
  .refine((c) => c.targetOn > c.startedOn, { path: ['targetOn'], message: 'campaigns:errors.targetNotAfterStart' });
export type CampaignInput = z.infer<typeof campaignInputSchema>;

/** The form's fields: agencies as repeated checkboxes (one value is a string, several an array), or every agency. */
export const campaignFormSchema = z.object({
  name: z.string().optional(),
  startedOn: z.string().optional(),
  targetOn: z.string().optional(),
  goal: z.string().optional(),
  allAgencies: z.string().optional(),
  agencyIds: z.union([z.string(), z.array(z.string())]).optional(),
});

/** An item of a campaign as a form or a query names it: its type and id joined by a colon (arrears:12, milestone:7). */
export const itemRefSchema = z
  .string('validation.required')
  .regex(/^(arrears|milestone):[1-9]\d{0,9}$/, 'validation.invalidOption')
  .transform((v) => {
    const [type, id] = v.split(':');
    return { itemType: type as 'arrears' | 'milestone', itemId: Number(id) };
  });

export const assignmentInputSchema = z.object({
  item: itemRefSchema,
  dueOn: calendarDate,
  instruction: z.string('validation.required').trim().min(1, 'validation.required').max(2000, 'validation.tooLong'),
});
export type AssignmentInput = z.infer<typeof assignmentInputSchema>;
