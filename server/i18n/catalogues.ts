import type { Catalogue } from './index.ts';
import { accountCatalogue } from '../features/account/locales.ts';
import { adminCatalogue } from '../features/admin/locales.ts';
import { auditCatalogue } from '../features/audit/locales.ts';
import { homeCatalogue } from '../features/home/locales.ts';
import { commitmentsCatalogue } from '../features/commitments/locales.ts';
import { commitmentPagesCatalogue } from '../features/commitments/locales-pages.ts';
import { commitmentFilesCatalogue } from '../features/commitments/locales-files.ts';

/** Each feature keeps its strings in its own folder, under its own namespace. */
export const catalogues: Record<string, Catalogue> = {
  account: accountCatalogue,
  admin: adminCatalogue,
  audit: auditCatalogue,
  home: homeCatalogue,
  commitments: commitmentsCatalogue,
  commitmentPages: commitmentPagesCatalogue,
  commitmentFiles: commitmentFilesCatalogue,
};
