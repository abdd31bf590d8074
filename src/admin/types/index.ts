/**
 * The shapes the admin reads from the plugin's admin API (`/admin/virtual-goods/…`), one definition each: hooks,
 * pages and widgets import them from here.
 */

// Pools, batches and codes

export type Stock = {
  available: number
  reserved: number
  delivered: number
  revealed: number
  voided: number
  expired: number
  total: number
}
export type Alert = { id: string; kind: "low_stock" | "near_expiry"; status: string; details: Record<string, unknown> | null }
export const ALLOCATION_ORDERS = ["fifo", "expiry_first"] as const

export type Pool = {
  id: string
  name: string
  description: string | null
  stock_location_id: string | null
  allocation_order: (typeof ALLOCATION_ORDERS)[number]
  low_stock_threshold: number | null
  expiry_warning_days: number | null
  /** exclusive: each code sold once · reusable: shared codes sold up to a limit each. */
  kind: "exclusive" | "reusable"
  /** Buyer's choice: premium in basis points (null: off) and the characters a label shows. */
  pick_premium_bp?: number | null
  pick_show_first?: number
  pick_show_last?: number
  product_variant: { id: string; title: string; sku: string | null; product_id: string } | null
  alerts: Alert[]
  stock: Stock
}
export type PoolUpdate = Partial<
  Pick<Pool, "name" | "description" | "allocation_order" | "low_stock_threshold" | "expiry_warning_days" | "pick_premium_bp" | "pick_show_first" | "pick_show_last">
>
export type Batch = {
  id: string
  source: string
  supplier: string | null
  status: "importing" | "committed" | "rejected" | "failed"
  mode: string
  file_name: string | null
  code_count: number
  rejected_count: number
  cost_per_code: number | null
  currency_code: string | null
  expires_at: string | null
  error: string | null
  created_at: string
  progress: { percent: number; lines_read: number; code_count: number; rejected_count: number }
  report?: { sold: number; invalid: number; cost_total: string | null }
}
/** A code's statuses, in the order the stock shows them. */
export const CODE_STATUSES = ["available", "reserved", "delivered", "revealed", "voided", "expired"] as const

export type Code = {
  id: string
  mask: string
  status: string
  expires_at: string | null
  order_id: string | null
  created_at: string
}
export type ImportError = { line: number; field: string; message: string }
export type GenerateInput = { count: number; prefix?: string; length?: number; group_size?: number; separator?: string }

/** A product's variants, each with the pool it sells from (the product widget). */
export type BundleComponentView = { pool_id: string; pool_name: string | null; quantity: number; share: number; available: number }
/** A bundle (组合商品) as the admin shows it: whole bundles left, and each component's pool and stock. */
export type Bundle = { id: string; name: string; available: number; components: BundleComponentView[] }
export type BundleInput = { name: string; components: { pool_id: string; quantity: number; share?: number }[] }
export type VariantPool = {
  id: string
  title: string
  sku: string | null
  card_pool: Pick<Pool, "id" | "name" | "stock" | "alerts"> | null
  card_bundle: Bundle | null
}

// An order's codes (the order widget)

export type OrderCode = { id: string; mask: string; status: string; delivered_at: string | null; reveal_count: number }
export type Reveal = { id: string; actor_type: string; actor_id: string | null; reason: string | null; code_ids: string[] | null; created_at: string }
export type OrderCodes = {
  card_codes: OrderCode[]
  delivery: { status: string; attempts: number; last_error: string | null } | null
  reveals: Reveal[]
}
export type RevealedCode = { id: string; code: string; password?: string | null }

// Agents

export const LEDGER_KINDS = ["topup", "adjustment", "purchase", "commission", "refund"] as const
export const QUOTA_PERIODS = ["none", "day", "week", "month"] as const
export const DELIVERY_STATUSES = ["pending", "delivered", "dead"] as const
export const API_KEY_SCOPES = ["catalog:read", "orders:read", "orders:write", "vouchers:redeem"] as const

export type Account = { account_id: string; currency_code: string; balance: string; credit_limit: string; available: string }
export type Agent = {
  id: string
  name: string
  parent_id: string | null
  customer_group_id: string | null
  status: "active" | "frozen"
  webhook_url: string | null
  created_at: string
  customer: { id: string; email: string | null } | null
  accounts: Account[]
}
export type AgentCreate = { name: string; currency_code: string; parent_id?: string; credit_limit?: string; customer_group_id?: string }
export type AgentUpdate = { status?: Agent["status"]; credit_limit?: string; currency_code?: string }
export type MoneyPosting = { currency_code: string; amount: string; note?: string }
export type LedgerEntry = {
  id: string
  kind: string
  amount: string | number
  currency_code: string
  reference_type: string | null
  reference_id: string | null
  note: string | null
  actor_type: string
  actor_id: string | null
  created_at: string
}
export type StatementQuery = { currency_code: string; from: string; to: string }
export type Statement = {
  currency_code: string
  opening_balance: string
  closing_balance: string
  totals: Record<string, string>
  entries: (LedgerEntry & { balance_after: string })[]
}
export type QuotaPeriod = (typeof QUOTA_PERIODS)[number]
export type Quota = { id: string; variant_id: string; quota_limit: number; period: QuotaPeriod; used: number; period_start: string | null }
export type QuotaInput = { variant_id: string; limit: number; period: QuotaPeriod }
export type AgentOrder = {
  id: string
  idempotency_key: string
  order_id: string | null
  display_id: number | null
  currency_code: string
  total: string
  items: { variant_id: string; quantity: number; unit_price: string; title: string | null; product_title: string | null }[]
  created_at: string
  bookkeeping: { status: "pending" | "done" | null; attempts: number; error: string | null; lag_seconds: number | null }
}
export type WebhookInput = { url: string | null; rotate_secret?: boolean }
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number]
export type Delivery = {
  id: string
  event: string
  status: DeliveryStatus
  attempts: number
  next_attempt_at: string | null
  last_status: number | null
  last_error: string | null
  delivered_at: string | null
  created_at: string
  payload: { order_id?: string; display_id?: number | null } | null
}
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number]
export type ApiKey = { id: string; name: string; prefix: string; scopes: string[]; expires_at: string | null; revoked_at: string | null; last_used_at: string | null }
/** Medusa's own price list, as far as the agent's tier shows it. */
export type PriceList = { id: string; title: string; status: string; rules?: Record<string, string | string[]> }

// Risk

export type RiskRule = {
  id: string
  name: string
  kind: "velocity" | "order_amount" | "order_quantity" | "first_purchase" | "list"
  key: string | null
  measure: string | null
  window_seconds: number | null
  threshold: number | null
  list_type: string | null
  values: string[] | null
  action: "review" | "block"
  applies_to: "all" | "store" | "wholesale"
  enabled: boolean
}
export type RiskReason = { rule_id: string; rule: string; action: string; message: string }
export type RiskDecision = {
  id: string
  subject_type: string
  subject_id: string
  order_id: string | null
  action: "allow" | "review" | "block"
  reasons: RiskReason[]
  facts: Record<string, unknown>
  review_status: string | null
  reviewed_by: string | null
  reviewed_at: string | null
  review_note: string | null
  created_at: string
}

// Payments (Stripe): what the reconciliation found, the webhook events, an order's payments

/** What the reconciliation of payments with orders finds, in the order the payments page lists them. */
export const FINDING_KINDS = [
  "captured_without_order",
  "refunded_automatically",
  "refunded_in_stripe",
  "dispute",
  "capture_failed",
  "payment_failed",
  "stuck_pending",
] as const
export const FINDING_STATUSES = ["open", "resolved"] as const
export const PAYMENT_EVENT_STATUSES = ["received", "processed", "ignored", "failed"] as const
export const ORDER_PAYMENT_STATUSES = ["authorized", "captured", "partially_refunded", "refunded", "canceled"] as const

export type FindingKind = (typeof FINDING_KINDS)[number]
export type FindingStatus = (typeof FINDING_STATUSES)[number]
export type PaymentEventStatus = (typeof PAYMENT_EVENT_STATUSES)[number]
export type OrderPaymentStatus = (typeof ORDER_PAYMENT_STATUSES)[number]

export type Finding = {
  id: string
  kind: FindingKind
  status: FindingStatus
  provider_id: string
  payment_intent_id: string
  cart_id: string | null
  order_id: string | null
  /** An exact decimal string in `currency_code`: shown as given, never turned into a float. */
  amount: string | null
  currency_code: string | null
  detail: string
  dispute_status: string | null
  /** The note given when it was resolved. */
  resolution: string | null
  created_at: string
  updated_at: string
  resolved_at: string | null
}
/** A payment provider's webhook event as it was received and handled. */
export type PaymentEvent = {
  id: string
  provider_id: string
  event_id: string
  type: string
  object_id: string
  payment_intent_id: string | null
  status: PaymentEventStatus
  attempts: number
  last_error: string | null
  stripe_created_at: string
  received_at: string
  processed_at: string | null
}
export type OrderPayment = {
  id: string
  provider_id: string
  amount: string | number
  currency_code: string
  captured_amount: string | number
  refunded_amount: string | number
  status: OrderPaymentStatus
  payment_intent_id: string | null
  /** Stripe Radar's assessment of the charge, when Stripe made one. */
  radar: { risk_level: string | null; risk_score: number | null } | null
}
export type OrderPaymentInfo = { payments: OrderPayment[]; findings: Finding[] }
export type ReconcileResult = { checked: number; completed: number; refunded: number; released: number; findings: number }
/** The payments page's filters; "" is every value. */
export type FindingFilters = { status: FindingStatus | ""; kind: FindingKind | ""; order_id: string }
export type PaymentEventFilters = { status: PaymentEventStatus | ""; payment_intent_id: string }

// Audit log and reports

export type AuditEntry = {
  id: string
  action: string
  actor_type: string
  actor_id: string | null
  pool_id: string | null
  order_id: string | null
  code_count: number
  reason: string | null
  created_at: string
}
export type AuditFilters = { action: string; actor_id: string; pool_id: string; order_id: string; from: string; to: string }

export type Money = Record<string, string>
export type SalesRow = { sold: number; invalid: number; revenue: Money; cost: Money; margin: Money }
export type SalesReport = {
  from: string
  to: string
  days: (SalesRow & { day: string; sold_by_pool: Record<string, number> })[]
  pools: (SalesRow & { pool_id: string; name: string | null })[]
  batches: (SalesRow & { batch_id: string; pool_id: string; pool_name: string | null; supplier: string | null; created_at: string | null })[]
  outlook: { pool_id: string; name: string; available: number; sold_last_7_days: number; per_day: number; days_left: number | null }[]
  alerts: (Alert & { pool_id: string; pool_name: string })[]
}

// Campaigns that give codes (营销)

export type CampaignTrigger = "customer.created" | "order.placed"
export type Campaign = {
  id: string
  name: string
  pool_id: string
  trigger: CampaignTrigger
  status: "active" | "paused"
  budget: number
  issued: number
  starts_at: string | null
  ends_at: string | null
  created_at: string
  report: { issued: number; revealed: number; redeemed: number; remaining_budget: number }
}
export type CampaignInput = { name: string; pool_id: string; trigger: CampaignTrigger; budget: number; starts_at?: string | null; ends_at?: string | null }

// A pool's redemption program (核销)

export type VoucherProgramKind = "single_use" | "multi_use" | "stored_value"
export type VoucherProgram = {
  id: string
  pool_id: string
  kind: VoucherProgramKind
  uses: number | null
  face_value: string | null
  currency_code: string | null
  rollback_window_seconds: number
  status: "active" | "disabled"
}
export type VoucherProgramInput = {
  kind: VoucherProgramKind
  uses?: number | null
  face_value?: string | null
  currency_code?: string | null
  rollback_window_seconds?: number
  status?: "active" | "disabled"
}

/** A shared code of a reusable pool, with its copies counted (never the code). */
export type SharedCode = {
  id: string
  pool_id: string
  batch_id: string
  mask: string
  sale_limit: number | null
  copies_made: number
  status: "active" | "withdrawn"
  withdrawn_at: string | null
  withdraw_reason: string | null
  created_at: string
  sold: number
  available: number
  remaining: number | null
}

/** One problem the audit log's verification found (never a code). */
export type AuditChainProblem = {
  kind: "altered" | "missing_row" | "broken_link" | "unlinked" | "head_mismatch" | "checkpoint_mismatch" | "bad_checkpoint"
  chain_id: string | null
  seq: number | null
  audit_id: string | null
  checkpoint_id: string | null
  message: string
}
export type AuditChainReport = {
  ok: boolean
  chains: number
  links: number
  rows: number
  checkpoints: { verified: number; key_id: string | null }
  first_broken: AuditChainProblem[]
  problems: AuditChainProblem[]
}
export type AuditCheckpoint = { id: string; key_id: string; heads: { chain_id: string; seq: number; hash: string }[]; created_at: string }
