import { MathBN } from "@medusajs/framework/utils"

/** Stripe's zero-decimal currencies (amounts are whole units) and three-decimal ones. */
const ZERO_DECIMAL = new Set(["bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf", "ugx", "vnd", "vuv", "xaf", "xof", "xpf"])
const THREE_DECIMAL = new Set(["bhd", "jod", "kwd", "omr", "tnd"])

/** How many smallest units make one unit of `currency` in Stripe's amounts. */
export function smallestUnitFactor(currency: string): number {
  const c = currency.toLowerCase()
  return ZERO_DECIMAL.has(c) ? 1 : THREE_DECIMAL.has(c) ? 1000 : 100
}

/** A Stripe amount (an integer in the smallest unit) as an exact decimal string in the currency's unit: 1999 usd → "19.99". */
export function fromSmallestUnit(amount: number, currency: string): string {
  return MathBN.div(MathBN.convert(amount), smallestUnitFactor(currency)).toString()
}
