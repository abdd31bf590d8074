/** The `raw_<column>` Medusa keeps beside a bigNumber column, from decimal text (null stays null). */
export function rawMoney(value: string | null | undefined): string | null {
  return value === null || value === undefined ? null : JSON.stringify({ value: String(value), precision: 20 })
}
