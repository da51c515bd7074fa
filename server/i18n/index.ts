import i18next, { type i18n, type Resource } from 'i18next';
import { LanguageDetector } from 'i18next-http-middleware';
import { common } from './common.ts';
import { LANGUAGES, type Catalogue } from './types.ts';

export { LANGUAGES, type Catalogue, type Language } from './types.ts';

function buildResources(catalogues: Record<string, Catalogue>): Resource {
  const resources: Resource = {};
  for (const lang of LANGUAGES) {
    resources[lang] = { common: common[lang] };
    for (const [ns, catalogue] of Object.entries(catalogues)) resources[lang]![ns] = catalogue[lang];
  }
  return resources;
}

/**
 * One i18next instance: zh-CN by default, English on request (?lang=en, remembered in a cookie,
 * `Secure` when `secureCookie`, as in production). `catalogues` are the features' namespaces, handed
 * in by whoever builds the app.
 */
export async function createI18n(catalogues: Record<string, Catalogue> = {}, { secureCookie = false } = {}): Promise<i18n> {
  const instance = i18next.createInstance();
  await instance.use(LanguageDetector).init({
    resources: buildResources(catalogues),
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
      cookieSecure: secureCookie,
      // A year from when the cookie is set: i18next reads this once, so the offset is what matters.
      cookieExpirationDate: new Date(Date.now() + 365 * 86_400_000),
    },
  });
  return instance;
}
