import { mergeCatalogues } from '../../i18n/merge.ts';
import { creditCatalogue } from './locales-credit.ts';

/** The `complaints` namespace: each slice's strings, kept beside its code, merged. */
export const complaintsCatalogue = mergeCatalogues(creditCatalogue);
