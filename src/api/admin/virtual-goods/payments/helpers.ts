/** A finding as the admin API answers it: the amount as an exact decimal string (Medusa's raw value), never a float. */
export function findingBody<T extends { amount?: unknown; raw_amount?: unknown }>(finding: T): Omit<T, "raw_amount" | "amount"> & { amount: string | null } {
  const { raw_amount, amount: _amount, ...rest } = finding
  const raw = raw_amount as { value?: unknown } | null | undefined
  return { ...rest, amount: raw?.value !== undefined && raw?.value !== null ? String(raw.value) : null }
}
