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
