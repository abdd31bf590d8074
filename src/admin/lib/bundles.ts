import type { BundleInput } from "../types"

/** A component row of the bundle form, as typed. */
export type Row = { pool_id: string; quantity: string; share: string }

export const emptyRow = (): Row => ({ pool_id: "", quantity: "1", share: "" })

/**
 * What the form says, as the API takes it — or the first problem with it, naming the row. Shares are percentages
 * here (two decimals at most) and basis points in the API; all rows have one or none does (then the price is split
 * by quantity).
 */
export function bundleInputOf(name: string, rows: Row[]): { input: BundleInput } | { problem: { key: string; row?: number } } {
  if (!name.trim()) return { problem: { key: "virtualGoods.bundles.nameRequired" } }
  if (!rows.length) return { problem: { key: "virtualGoods.bundles.componentsRequired" } }
  const withShare = rows.filter((r) => r.share.trim() !== "").length
  if (withShare && withShare < rows.length) return { problem: { key: "virtualGoods.bundles.sharesAllOrNone" } }
  const components: BundleInput["components"] = []
  for (const [i, r] of rows.entries()) {
    if (!r.pool_id) return { problem: { key: "virtualGoods.bundles.poolRequired", row: i + 1 } }
    const quantity = Number(r.quantity)
    if (!Number.isInteger(quantity) || quantity < 1 || quantity > 1000) return { problem: { key: "virtualGoods.bundles.quantityInvalid", row: i + 1 } }
    if (!withShare) {
      components.push({ pool_id: r.pool_id, quantity })
      continue
    }
    // A percentage with at most two decimals is a whole number of basis points (read as text, no float rounding).
    const match = /^(\d{1,3})(?:\.(\d{1,2}))?$/.exec(r.share.trim())
    const share = match ? Number(match[1]) * 100 + Number((match[2] ?? "").padEnd(2, "0")) : NaN
    if (!match || share > 10_000) return { problem: { key: "virtualGoods.bundles.shareInvalid", row: i + 1 } }
    components.push({ pool_id: r.pool_id, quantity, share })
  }
  return { input: { name: name.trim(), components } }
}

/** Basis points as the percentage the form shows (6000 → "60", 3334 → "33.34"). */
export const percentOf = (share: number) => `${Math.floor(share / 100)}${share % 100 ? `.${String(share % 100).padStart(2, "0").replace(/0$/, "")}` : ""}`

