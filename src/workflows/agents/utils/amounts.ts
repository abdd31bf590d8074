import type { BigNumberInput } from "@medusajs/framework/types"
import { MathBN, MedusaError } from "@medusajs/framework/utils"

/**
 * An amount as an exact decimal string in plain notation with trailing zeros trimmed ("13.5", "30", "-0.0005"):
 * the form in which amounts cross step boundaries and reach the ledger. Takes numbers, decimal strings, Medusa's
 * `BigNumber` and raw values (`{ value }`).
 */
export function toDecimal(value: BigNumberInput): string {
  const n = MathBN.convert(value)
  if (!n.isFinite()) throw new MedusaError(MedusaError.Types.INVALID_DATA, `Not a finite amount: ${JSON.stringify(String(value))}`)
  return n.isZero() ? "0" : n.toFixed()
}

/**
 * The JavaScript number of an exact decimal, for the interfaces that take one (Medusa's payment collection input,
 * the risk rules' facts, the catalog's JSON prices) — never for arithmetic: every sum and product is done on
 * `MathBN` first.
 */
export function toNumberAtBoundary(value: BigNumberInput): number {
  return MathBN.convert(value).toNumber()
}

/** A line's amount: unit price × quantity, exact. */
export function lineTotal(unitPrice: BigNumberInput, quantity: number): string {
  return toDecimal(MathBN.mult(unitPrice, quantity))
}

export type PurchaseLine = {
  quantity: number
  /** The unit price of the buyer and of every agent above it (exact decimal strings), by agent id. */
  unit_prices: Record<string, string>
}

export type PurchaseShares = {
  /** What the buyer pays: its unit price × quantity over the lines. */
  total: string
  /** What each agent above the buyer earns: (what the agent below it pays − what it pays itself) × quantity. */
  commissions: Record<string, string>
  /** What reaches the house: the top agent's unit price × quantity. */
  house: string
}

/**
 * How a wholesale purchase's money splits along the agent chain (buyer first, then its parent, … up to the top
 * agent), exact: the buyer pays `total`, every agent above it earns its margin on the agent below it, and the house
 * gets what the top agent pays — so `total` = Σ commissions + `house`. A line missing a chain agent's price is
 * refused (INVALID_DATA).
 *
 * @example
 * purchaseShares(["shop", "mid", "top"], [{ quantity: 3, unit_prices: { shop: "13.5", mid: "12", top: "10" } }])
 * // { total: "40.5", commissions: { mid: "4.5", top: "6" }, house: "30" }
 */
export function purchaseShares(chain: string[], lines: PurchaseLine[]): PurchaseShares {
  const priceOf = (line: PurchaseLine, agentId: string) => {
    const price = line.unit_prices[agentId]
    if (price === undefined) throw new MedusaError(MedusaError.Types.INVALID_DATA, `No unit price given for agent ${agentId}`)
    return price
  }
  let total = MathBN.convert(0)
  let house = MathBN.convert(0)
  const commissions = chain.slice(1).map(() => MathBN.convert(0))
  for (const line of lines) {
    total = MathBN.add(total, MathBN.mult(priceOf(line, chain[0]), line.quantity))
    for (let i = 1; i < chain.length; i++) {
      const margin = MathBN.sub(priceOf(line, chain[i - 1]), priceOf(line, chain[i]))
      commissions[i - 1] = MathBN.add(commissions[i - 1], MathBN.mult(margin, line.quantity))
    }
    house = MathBN.add(house, MathBN.mult(priceOf(line, chain[chain.length - 1]), line.quantity))
  }
  return {
    total: toDecimal(total),
    commissions: Object.fromEntries(chain.slice(1).map((id, i) => [id, toDecimal(commissions[i])])),
    house: toDecimal(house),
  }
}
