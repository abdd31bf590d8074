import type { SharedCodeLine } from "../hooks/api/shared-codes"

/**
 * The shared-codes form as the API takes it, or its first problem (an i18n key). One code per line; a tab separates
 * an optional password (a code may hold commas and spaces: a link, an account name). The sale limit is a whole number,
 * or blank for unlimited. The API checks the rest (duplicates, codes already in the vault) and names the line.
 */
export function sharedCodesInputOf(
  text: string,
  limit: string
): { input: { codes: SharedCodeLine[]; sale_limit: number | null } } | { problem: { key: string } } {
  const codes = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0)
    .map((l) => {
      const [code, ...rest] = l.split("\t")
      const password = rest.join("\t").trim()
      return password ? { code: code.trim(), password } : { code: code.trim() }
    })
  if (!codes.length) return { problem: { key: "virtualGoods.sharedCodes.codesRequired" } }
  const trimmed = limit.trim()
  if (!trimmed) return { input: { codes, sale_limit: null } }
  if (!/^\d{1,7}$/.test(trimmed) || Number(trimmed) < 1 || Number(trimmed) > 1_000_000) {
    return { problem: { key: "virtualGoods.sharedCodes.limitInvalid" } }
  }
  return { input: { codes, sale_limit: Number(trimmed) } }
}
