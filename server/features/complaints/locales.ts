import { mergeCatalogues } from '../../i18n/merge.ts';
import type { Catalogue } from '../../i18n/types.ts';
import { casesCatalogue } from './locales-cases.ts';

/** The feature's one namespace, `complaints`: each part's strings from its own file. */
export const complaintsCatalogue: Catalogue = mergeCatalogues(casesCatalogue);
