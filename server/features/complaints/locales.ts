import { mergeCatalogues } from '../../i18n/merge.ts';
import { creditCatalogue } from './locales-credit.ts';
import { complaintHandlingCatalogue } from './locales-handling.ts';

/** The `complaints` namespace: each part's strings, kept beside its code, merged. */
export const complaintsCatalogue = mergeCatalogues(complaintHandlingCatalogue, creditCatalogue);
