"use server"

import { setLang } from "@lib/data/cookies"
import { langOf, type Lang } from "@lib/i18n"

export async function chooseLang(lang: Lang) {
  await setLang(langOf(lang))
}
