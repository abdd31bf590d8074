import "server-only"
import { getLang } from "../data/cookies"
import { translator } from "."

/** The language and translator of the current request. */
export async function getI18n() {
  const lang = await getLang()
  return { lang, t: translator(lang) }
}
