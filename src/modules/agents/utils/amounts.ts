import { MedusaError } from "@medusajs/framework/utils"

/** A decimal amount as the ledger takes it: a finite number or a plain decimal string (no exponent), at most 4 places. */
export function toAmount(value: string | number, field = "amount"): string {
  const text = typeof value === "number" ? (Number.isFinite(value) ? String(value) : "") : String(value).trim()
  if (!/^-?\d{1,16}(\.\d{1,4})?$/.test(text)) {
    throw new MedusaError(
      MedusaError.Types.INVALID_DATA,
      `${field} must be a decimal amount with at most 16 digits before and 4 after the point, got ${JSON.stringify(value)}`
    )
  }
  return text
}

/** Decimal amounts (at most 4 places) as integers of 1/10,000, for exact arithmetic in JavaScript. */
export function toMinor(amount: string): bigint {
  const negative = amount.startsWith("-")
  const [whole, fraction = ""] = amount.replace(/^-/, "").split(".")
  const value = BigInt(whole) * 10_000n + BigInt((fraction + "0000").slice(0, 4))
  return negative ? -value : value
}

export function fromMinor(value: bigint): string {
  const negative = value < 0n
  const abs = negative ? -value : value
  const whole = abs / 10_000n
  const fraction = (abs % 10_000n).toString().padStart(4, "0").replace(/0+$/, "")
  return `${negative ? "-" : ""}${whole}${fraction ? `.${fraction}` : ""}`
}

/** The raw form Medusa keeps beside a `bigNumber` column (`raw_<column>`), for an exact decimal string. */
export function rawAmount(amount: string): string {
  return JSON.stringify({ value: amount, precision: 20 })
}

/** One line of a purchase: its quantity and the unit price of the buyer and of every agent above it, by agent id. */
export type PurchaseLine = { quantity: number; unit_prices: Record<string, string | number>; label?: string }

/**
 * How a wholesale purchase's money splits along the agent chain (buyer first, then its parent, … up to the top
 * agent), exactly, in 1/10,000 units: the buyer owes what it pays (negative), every agent above it earns its margin
 * on the agent below it, and the house (`null`) gets what the top agent pays — so the amounts add up to zero. Refuses
 * a bad quantity or price (INVALID_DATA, naming the line) and an agent paying less than its parent (NOT_ALLOWED: the
 * price floor). The ledger posts these amounts as one transaction.
 *
 * @example
 * splitPurchase(["shop", "mid", "top"], [{ quantity: 3, unit_prices: { shop: "13.5", mid: "12", top: "10" } }])
 * // total 405000n; owed: shop -405000n, mid 45000n, top 60000n, house 300000n
 */
export function splitPurchase(chain: string[], lines: PurchaseLine[]): { total: bigint; owed: Map<string | null, bigint> } {
  const owed = new Map<string | null, bigint>(chain.map((id) => [id, 0n]))
  owed.set(null, 0n)
  let total = 0n
  for (const [n, line] of lines.entries()) {
    const label = line.label ?? (lines.length > 1 ? `line ${n + 1}` : "")
    if (!Number.isInteger(line.quantity) || line.quantity <= 0) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, `quantity${label ? ` of ${label}` : ""} must be a positive integer`)
    }
    const units = chain.map((id) => {
      if (line.unit_prices[id] === undefined) throw new MedusaError(MedusaError.Types.INVALID_DATA, `No unit price given for agent ${id}${label ? ` (${label})` : ""}`)
      return toMinor(toAmount(line.unit_prices[id], `unit price of agent ${id}`))
    })
    for (let i = 1; i < chain.length; i++) {
      if (units[i - 1] < units[i]) {
        throw new MedusaError(
          MedusaError.Types.NOT_ALLOWED,
          `Agent ${chain[i - 1]} would pay ${fromMinor(units[i - 1])}, less than its parent ${chain[i]} pays (${fromMinor(units[i])})${label ? ` for ${label}` : ""}: the price floor forbids it`
        )
      }
    }
    const q = BigInt(line.quantity)
    total += units[0] * q
    owed.set(chain[0], owed.get(chain[0])! - units[0] * q)
    for (let i = 1; i < chain.length; i++) owed.set(chain[i], owed.get(chain[i])! + (units[i - 1] - units[i]) * q)
    owed.set(null, owed.get(null)! + units[chain.length - 1] * q)
  }
  return { total, owed }
}
