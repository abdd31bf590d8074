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

/** What a buyer pays for its lines: Σ its unit price × quantity, exact (the ledger splits it along the chain). */
export function orderTotal(lines: { quantity: number; unit_price: BigNumberInput }[]): string {
  return toDecimal(lines.reduce((sum, l) => MathBN.add(sum, MathBN.mult(l.unit_price, l.quantity)), MathBN.convert(0)))
}
