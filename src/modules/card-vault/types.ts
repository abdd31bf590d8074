import type { CardCodeStatusValue } from "./utils/state-machine"

/**
 * The vault's types: what its service takes and returns. None of them carries a plaintext code except
 * `RevealedCardCode`, the result of an audited reveal.
 */


/** Who did something, as the audit log records it. */
export type CardActor = {
  type: "user" | "customer" | "guest_link" | "system" | "agent"
  id?: string | null
  ip?: string | null
  user_agent?: string | null
}

/** A code after sealing: what reaches workflows and the database. No plaintext. */
export type SealedCardCode = {
  id: string
  line: number
  key_version: number
  ciphertext: string
  blind_index: string
  mask: string
  has_password: boolean
  expires_at: Date | null
  /** Cost of this code when its import line gave one (decimal string). */
  cost?: string | null
}

export type RevealedCardCode = { id: string; mask: string; code: string; password: string | null }

export type StockCounts = Record<CardCodeStatusValue, number> & { total: number }

/** Fields that may leave the module in lists: never the ciphertext or blind index. */
export const CARD_CODE_PUBLIC_FIELDS = [
  "id",
  "pool_id",
  "batch_id",
  "status",
  "mask",
  "has_password",
  "expires_at",
  "order_id",
  "line_item_id",
  "reserved_at",
  "delivered_at",
  "revealed_at",
  "reveal_count",
  "voided_at",
  "void_reason",
  "invalid",
  "created_at",
] as const

export type AllocationOrder = "fifo" | "expiry_first"

/** What every kind of batch records about where its codes come from. */
export type CardBatchInput = {
  pool_id: string
  supplier?: string | null
  cost_per_code?: number | string | null
  currency_code?: string | null
  expires_at?: Date | string | null
  file_hash?: string | null
  actor: CardActor
  /**
   * Import the codes reserved under this key (a cart's id, or an order's reservation key) instead of into stock: codes
   * bought for one sale (a pass-through purchase) are never sellable to anyone else, not even for an instant.
   */
  reserve_for?: string | null
}

export type StartImportBatchInput = {
  pool_id: string
  source: "import" | "generated"
  /** all_or_nothing (default): any bad line rejects the file · skip_invalid: import the valid lines. */
  mode?: "all_or_nothing" | "skip_invalid"
  file_name?: string | null
  /** SHA-256 of the file: the same file is not imported twice. */
  file_hash?: string | null
  bytes_total?: number | null
  lines_total?: number | null
  supplier?: string | null
  cost_per_code?: number | string | null
  currency_code?: string | null
  expires_at?: Date | string | null
  /** Generated batches: the format (prefix, length, grouping), never codes. */
  generator?: Record<string, unknown> | null
  actor: CardActor
}

export type CardAlertKind = "low_stock" | "near_expiry"

export type CardAlertRaised = {
  id: string
  pool_id: string
  pool_name: string
  kind: CardAlertKind
  details: Record<string, unknown>
  created_at: Date
}

export type CardReissue = {
  order_id: string
  pool_id: string
  voided_code_id: string
  /** The fresh code delivered in its place. */
  code_id: string
  voided_was_revealed: boolean
  /**
   * Set when the reissued code had been voided by a payment dispute's freeze (the dispute's reference): it was replaced,
   * not voided again nor counted invalid; undoing the reissue puts it back in the list of codes to replace.
   */
  freeze_reference?: string | null
}

/** One group of sold codes (see `getSalesLines`). Amounts are decimal strings. */
export type CardSalesLine = {
  day: string
  pool_id: string
  batch_id: string
  order_id: string
  line_item_id: string | null
  cost_currency_code: string | null
  sold: number
  invalid: number
  cost: string
}

export type CardBatchReport = {
  counts: Record<CardCodeStatusValue, number>
  /** Delivered or revealed: with customers now. */
  sold: number
  /** Voided as invalid (void & reissue): the supplier chargeback. */
  invalid: number
  /** Revealed codes frozen by a payment dispute (still counted as revealed): lost to the chargeback unless it is won. */
  disputed: number
  currency_code: string | null
  cost_total: string
  cost_sold: string
  cost_invalid: string
}

export type ImportOutcome = {
  batch_id: string
  status: "committed" | "rejected"
  lines_read: number
  code_count: number
  rejected_count: number
  error: string | null
}
