import type { BigNumberInput } from "@medusajs/framework/types"
import { MathBN } from "@medusajs/framework/utils"

/** Basis points of a whole price. */
export const WHOLE_BP = 10_000

/**
 * The unit price of a picked code: the variant's price with the pool's premium, `amount × (10000 + premium_bp) / 10000`,
 * in BigNumber arithmetic (no float); the exact decimal, as a string Medusa takes as a custom unit price.
 *
 * @example pickedUnitPrice(15, 2000) // "18"
 */
export function pickedUnitPrice(amount: BigNumberInput, premiumBp: number): string {
  return MathBN.div(MathBN.mult(amount, WHOLE_BP + premiumBp), WHOLE_BP).toFixed()
}
