/** The admin's language for a loader: the `locale` parameter admin adds to the app's URL. */
import { resolveLocale, translator, type Locale, type Translate } from "./index";

export function localeOf(request: Request): Locale {
  return resolveLocale(new URL(request.url).searchParams.get("locale"));
}

export function translatorFor(request: Request): Translate {
  return translator(localeOf(request));
}
