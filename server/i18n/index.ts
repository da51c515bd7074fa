import i18next, { type i18n, type Resource } from 'i18next';
import { LanguageDetector } from 'i18next-http-middleware';
import { common } from './common.ts';
import { catalogues } from './catalogues.ts';

export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export type Catalogue = Record<Language, Record<string, unknown>>;

function buildResources(): Resource {
  const resources: Resource = {};
  for (const lang of LANGUAGES) {
    resources[lang] = { common: common[lang] };
    for (const [ns, catalogue] of Object.entries(catalogues)) resources[lang]![ns] = catalogue[lang];
  }
  return resources;
}

/** One i18next instance: zh-CN by default, English on request (?lang=en, remembered in a cookie). */
export async function createI18n(): Promise<i18n> {
  const instance = i18next.createInstance();
  await instance.use(LanguageDetector).init({
    resources: buildResources(),
    fallbackLng: 'zh-CN',
    supportedLngs: [...LANGUAGES],
    nonExplicitSupportedLngs: false,
    load: 'currentOnly',
    defaultNS: 'common',
    ns: ['common', ...Object.keys(catalogues)],
    interpolation: { escapeValue: false },
    returnNull: false,
    detection: {
      order: ['querystring', 'cookie'],
      lookupQuerystring: 'lang',
      lookupCookie: 'lang',
      caches: ['cookie'],
      cookieSameSite: 'lax',
      cookieExpirationDate: new Date(Date.now() + 365 * 86_400_000),
    },
  });
  return instance;
}
