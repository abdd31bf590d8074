import { en, type MessageKey } from "./en"
import { zhCN } from "./zh-CN"

export type Lang = "en" | "zh-CN"
export const LANGS: Lang[] = ["en", "zh-CN"]
export const LANG_COOKIE = "_vg_lang"

const DICTIONARIES: Record<Lang, Record<MessageKey, string>> = { en, "zh-CN": zhCN }

/** `zh*` reads Simplified Chinese, anything else English. */
export const langOf = (value: string | null | undefined): Lang => (value && value.toLowerCase().startsWith("zh") ? "zh-CN" : "en")

/** The translator of a language: `t("stock.available", { n: 3 })`. */
export function translator(lang: Lang) {
  const dict = DICTIONARIES[lang]
  return (key: MessageKey, vars: Record<string, string | number> = {}) =>
    dict[key].replace(/\{(\w+)\}/g, (_, name: string) => (name in vars ? String(vars[name]) : `{${name}}`))
}

export type T = ReturnType<typeof translator>
export type { MessageKey }

/** Money in the language's format, from Medusa's amounts (major units, as the store API returns them). */
export function formatAmount(amount: number | string | null | undefined, currency: string, lang: Lang): string {
  const n = Number(amount ?? 0)
  return new Intl.NumberFormat(lang === "zh-CN" ? "zh-CN" : "en-US", { style: "currency", currency: currency.toUpperCase() }).format(n)
}

export function formatDate(value: string | Date | null | undefined, lang: Lang): string {
  if (!value) return ""
  const d = new Date(value)
  if (Number.isNaN(d.getTime())) return ""
  return new Intl.DateTimeFormat(lang === "zh-CN" ? "zh-CN" : "en-GB", { dateStyle: "medium", timeStyle: "short" }).format(d)
}
