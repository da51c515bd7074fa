import { mergeCatalogues } from '../../i18n/merge.ts';
import type { Catalogue } from '../../i18n/types.ts';
import { casesCatalogue } from './locales-cases.ts';
import { creditCatalogue } from './locales-credit.ts';
import { complaintHandlingCatalogue } from './locales-handling.ts';

/** The feature's one namespace, `complaints`: each part's strings from its own file. */
export const complaintsCatalogue: Catalogue = mergeCatalogues(casesCatalogue, complaintHandlingCatalogue, creditCatalogue);
