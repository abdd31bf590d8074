/**
 * Buyer's choice (自选卡密): what a shopper sees of a code before buying it, by the pool's pick rule — its first
 * `showFirst` and last `showLast` characters, one `*` for each character in between. When the rule shows as many
 * characters as the code has, the label is the whole code (the vault does not offer such a code, see
 * `isSafePickLabel`). Characters are Unicode code points; the code is trimmed first, as stored codes are.
 *
 * @example pickLabel("13800005678", 3, 4) // "138****5678"
 */
export function pickLabel(code: string, showFirst: number, showLast: number): string {
  const chars = Array.from(String(code).trim())
  const first = Math.max(0, Math.floor(showFirst) || 0)
  const last = Math.max(0, Math.floor(showLast) || 0)
  if (first + last >= chars.length) return chars.join("")
  return chars.slice(0, first).join("") + "*".repeat(chars.length - first - last) + (last ? chars.slice(-last).join("") : "")
}

/** Characters a label must keep hidden for its code to be offered: fewer, and the label gives the code away. */
export const MIN_HIDDEN_CHARACTERS = 4

/** Whether a code may be shown under the rule: at least `MIN_HIDDEN_CHARACTERS` of it stay hidden. */
export function isSafePickLabel(code: string, showFirst: number, showLast: number): boolean {
  const length = Array.from(String(code).trim()).length
  return length - Math.max(0, showFirst) - Math.max(0, showLast) >= MIN_HIDDEN_CHARACTERS
}

/** A search for labels as a LIKE pattern: its wildcards (`%`, `_`) and the escape character taken literally. */
export function labelSearchPattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
}
