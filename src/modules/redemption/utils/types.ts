export type VoucherKind = "single_use" | "multi_use" | "stored_value"
export type RedemptionChannel = "counter" | "partner"

/** A pool's redemption program as the API shows it (money as decimal text). */
export type VoucherProgramRow = {
  id: string
  pool_id: string
  kind: VoucherKind
  uses: number | null
  face_value: string | null
  currency_code: string | null
  rollback_window_seconds: number
  status: "active" | "disabled"
}

export type VoucherProgramInput = {
  pool_id: string
  kind: VoucherKind
  uses?: number | null
  face_value?: string | null
  currency_code?: string | null
  rollback_window_seconds?: number
  status?: "active" | "disabled"
}

/**
 * Where a voucher stands (read only): `redeemable`, `used_up` (no use or value left) or `disabled` (its program is).
 * Before its first redemption the program's values are shown.
 */
export type VoucherState = {
  code_id: string
  pool_id: string
  program_id: string
  kind: VoucherKind
  status: "redeemable" | "used_up" | "disabled"
  remaining_uses: number | null
  remaining_value: string | null
  face_value: string | null
  uses: number | null
  currency_code: string | null
  redeemed_count: number
  first_redeemed_at: Date | null
  last_redeemed_at: Date | null
  rollback_window_seconds: number
}

/** One ledger row (money as decimal text). */
export type VoucherRedemptionRow = {
  id: string
  voucher_id: string
  code_id: string
  pool_id: string
  kind: "redeem" | "rollback"
  uses: number
  amount: string | null
  remaining_uses_after: number | null
  remaining_value_after: string | null
  channel: RedemptionChannel
  actor_type: string
  actor_id: string | null
  idempotency_key: string | null
  reason: string | null
  reverses_id: string | null
  rolled_back_at: Date | null
  created_at: Date
}

export type RedeemVoucherInput = {
  code_id: string
  pool_id: string
  /** Stored-value vouchers only: how much to take, decimal text. */
  amount?: string | null
  channel: RedemptionChannel
  actor_type: string
  actor_id: string | null
  idempotency_key: string
  /** A hash of what was asked (code, amount): the same key with another request is refused. */
  request_hash: string
}

export type RollbackRedemptionInput = {
  redemption_id: string
  reason: string
  channel: RedemptionChannel
  actor_type: string
  actor_id: string | null
  /** The compensation of a redemption's own workflow: given back whatever the window. */
  ignore_window?: boolean
}
