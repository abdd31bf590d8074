/** The buyer's choice form as typed: the premium in percent, the characters a label shows. */
export type PickForm = { premium: string; show_first: string; show_last: string }

/** The API's settings: premium in basis points (2000 = +20 %), null turns picking off. */
export type PickSettings = { pick_premium_bp: number | null; pick_show_first: number; pick_show_last: number }

/**
 * What the form says, as the API takes it — or the label key of its first problem. A percentage with at most two
 * decimals is a whole number of basis points, read as text (no float rounding): "20" → 2000, "12.5" → 1250.
 */
export function pickSettingsOf(form: PickForm, enabled: boolean): { input: PickSettings } | { problem: string } {
  const match = /^(\d{1,5})(?:\.(\d{1,2}))?$/.exec(form.premium.trim())
  const premium = match ? Number(match[1]) * 100 + Number((match[2] ?? "").padEnd(2, "0")) : NaN
  if (enabled && (!match || premium > 1_000_000)) return { problem: "virtualGoods.buyersChoice.premiumInvalid" }
  const count = (v: string) => (/^\d{1,2}$/.test(v.trim()) ? Number(v.trim()) : NaN)
  const first = count(form.show_first)
  const last = count(form.show_last)
  if (!(first <= 64) || !(last <= 64)) return { problem: "virtualGoods.buyersChoice.showInvalid" }
  return { input: { pick_premium_bp: enabled ? premium : null, pick_show_first: first, pick_show_last: last } }
}

/** Basis points as the percentage the form shows (2000 → "20", 1250 → "12.5", 1205 → "12.05"). */
export const premiumPercentOf = (bp: number) => `${Math.floor(bp / 100)}${bp % 100 ? `.${String(bp % 100).padStart(2, "0").replace(/0$/, "")}` : ""}`

/** What a label of an 11-character code looks like under the rule (the form's example). */
export function exampleLabel(first: number, last: number, sample = "13800005678"): string {
  const chars = Array.from(sample)
  if (first + last >= chars.length) return sample
  return chars.slice(0, first).join("") + "*".repeat(chars.length - first - last) + (last ? chars.slice(-last).join("") : "")
}
