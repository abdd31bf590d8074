/**
 * The suppliers page's shapes and pure parts (no React, no SDK): what the admin API answers about suppliers, their
 * orders, findings and margins; the queries the page sends; the body of a new supplier built from the drawer's form.
 */

/** What GET /admin/virtual-goods/supplier-orders, /supplier-findings and /suppliers/report are asked; an unset filter is left out. */
export type SuppliersQuery = { [name: string]: string | number | undefined }

/** An amount as the API serialises it: exact decimal text, or a number it wrote as is. Shown as given, never computed with. */
export type ApiAmount = string | number

export const SUPPLIER_ADAPTERS = ["medusa_store", "dujiao_next", "generic_http"] as const
export const SUPPLIER_STATUSES = ["active", "disabled"] as const
export const SUPPLIER_HEALTHS = ["unknown", "ok", "failing"] as const
export const SUPPLIER_ORDER_STATUSES = ["pending", "submitting", "accepted", "succeeded", "failed", "unknown"] as const
export const SUPPLIER_ORDER_KINDS = ["topup", "restock", "pass_through"] as const
export const SUPPLIER_REFUND_STATUSES = ["none", "refunding", "refunded"] as const
/** An admin's decisions on a supplier order (POST …/supplier-orders/:id/resolve). */
export const SUPPLIER_ORDER_ACTIONS = ["retry", "refund", "mark_succeeded"] as const
export const SUPPLIER_FINDING_KINDS = [
  "missing_upstream",
  "missing_local",
  "state_mismatch",
  "cost_mismatch",
  "low_balance",
  "price_over_limit",
  "late_callback",
  "unknown_outcome",
  "restock_failed",
] as const
export const SUPPLIER_FINDING_STATUSES = ["open", "resolved"] as const

export type SupplierAdapter = (typeof SUPPLIER_ADAPTERS)[number]
export type SupplierStatus = (typeof SUPPLIER_STATUSES)[number]
export type SupplierHealth = (typeof SUPPLIER_HEALTHS)[number]
export type SupplierOrderStatus = (typeof SUPPLIER_ORDER_STATUSES)[number]
export type SupplierOrderKind = (typeof SUPPLIER_ORDER_KINDS)[number]
export type SupplierRefundStatus = (typeof SUPPLIER_REFUND_STATUSES)[number]
export type SupplierOrderAction = (typeof SUPPLIER_ORDER_ACTIONS)[number]
export type SupplierFindingKind = (typeof SUPPLIER_FINDING_KINDS)[number]
export type SupplierFindingStatus = (typeof SUPPLIER_FINDING_STATUSES)[number]

/** A supplier as the admin API shows it: settings, health, balance, and the names of its credentials (never their values). */
export type Supplier = {
  id: string
  name: string
  adapter: SupplierAdapter
  base_url: string
  config: Record<string, unknown> | null
  credential_fields: string[]
  status: SupplierStatus
  timeout_ms: number
  rate_limit_per_minute: number
  max_attempts: number
  poll_interval_seconds: number
  low_balance_threshold: ApiAmount | null
  health: SupplierHealth
  last_error: string | null
  last_checked_at: string | null
  balance: ApiAmount | null
  balance_currency_code: string | null
  balance_checked_at: string | null
  created_at: string
  updated_at: string
}

/** POST /admin/virtual-goods/suppliers. */
export type SupplierCreate = {
  name: string
  adapter: SupplierAdapter
  base_url: string
  config?: Record<string, unknown>
  credentials?: Record<string, string>
  timeout_ms?: number
  rate_limit_per_minute?: number
  poll_interval_seconds?: number
  low_balance_threshold?: string
}

/** POST /admin/virtual-goods/suppliers/:id/check: the ping's outcome, the balance read, the supplier as recorded. */
export type SupplierCheck = {
  ok: boolean
  detail: string | null
  balance: { amount: string; currency_code: string | null } | null
  supplier: Supplier
}

/** POST /admin/virtual-goods/suppliers/:id/reconcile. */
export type SupplierReconciliation = {
  supplier_id: string
  /** The balance the supplier reported, or null. */
  balance: string | null
  /** Orders compared on both sides; null when the supplier's protocol cannot list its orders. */
  compared: number | null
  /** `created` is false for a finding already known. */
  findings: { kind: SupplierFindingKind; supplier_order_id: string | null; created: boolean }[]
  error: string | null
}

/** An order placed with a supplier (a top-up line, a restock, a pass-through purchase); the recipient only masked. */
export type SupplierOrder = {
  id: string
  supplier_id: string
  supplier_product_id: string
  kind: SupplierOrderKind
  status: SupplierOrderStatus
  order_id: string | null
  line_item_id: string | null
  agent_order_id: string | null
  pool_id: string | null
  recipient_masked: string | null
  upstream_product_id: string
  quantity: number
  amount: ApiAmount | null
  currency_code: string | null
  max_unit_cost: ApiAmount | null
  cost: ApiAmount | null
  upstream_order_no: string | null
  attempts: number
  submitted_at: string | null
  settled_at: string | null
  last_error: string | null
  failure_reason: string | null
  refund_status: SupplierRefundStatus
  refunded_at: string | null
  resolution: string | null
  resolved_by: string | null
  created_at: string
  updated_at: string
}

/** One exchange with the supplier or one decision about an order (the supplier's answer sanitized). */
export type SupplierOrderEvent = {
  id: string
  supplier_order_id: string
  kind: string
  outcome: string
  from_status: string | null
  to_status: string | null
  http_status: number | null
  reason: string | null
  actor: string | null
  created_at: string
}

/** What reconciliation and the alerts found about a supplier. */
export type SupplierFinding = {
  id: string
  supplier_id: string
  supplier_order_id: string | null
  kind: SupplierFindingKind
  status: SupplierFindingStatus
  detail: string
  resolution: string | null
  resolved_by: string | null
  resolved_at: string | null
  created_at: string
}

/** One row of the margin report: a supplier product, a kind and a currency; money as decimal text summed in SQL. */
export type SupplierMarginRow = {
  supplier_id: string
  supplier_product_id: string
  name: string
  kind: SupplierOrderKind
  currency_code: string | null
  orders: number
  succeeded: number
  failed: number
  unknown: number
  refunded: number
  revenue: string
  cost: string
  margin: string
}
export type SupplierReport = { from: string; to: string; rows: SupplierMarginRow[] }

/** The supplier orders' query for a status ("" is every status) and the page at `offset`. */
export const supplierOrdersQuery = (status: SupplierOrderStatus | "", offset: number, limit: number): SuppliersQuery => ({
  status: status || undefined,
  limit,
  offset,
})

/** The findings' query for a status ("" is every status) and the page at `offset`. */
export const supplierFindingsQuery = (status: SupplierFindingStatus | "", offset: number, limit: number): SuppliersQuery => ({
  status: status || undefined,
  limit,
  offset,
})

const DAY_MS = 86_400_000

/** The margin report's period: the `days` days up to `now`, as ISO timestamps. */
export const reportQuery = (now: Date, days = 30): { from: string; to: string } => ({
  from: new Date(now.getTime() - days * DAY_MS).toISOString(),
  to: now.toISOString(),
})

/** A reason or a resolution the API accepts: at least 3 characters once trimmed. */
export const MIN_REASON_LENGTH = 3
export const isReasonLongEnough = (text: string) => text.trim().length >= MIN_REASON_LENGTH

/** The new-supplier drawer's fields, as typed. */
export type SupplierForm = {
  name: string
  adapter: SupplierAdapter
  base_url: string
  timeout_ms: string
  rate_limit_per_minute: string
  poll_interval_seconds: string
  low_balance_threshold: string
  /** Key and value rows; a row with neither is ignored. */
  credentials: { key: string; value: string }[]
  /** JSON text of the generic adapter's settings (sent for `generic_http` only). */
  config: string
}

/** What is wrong with the form before it is sent; the drawer names the field in the admin's language. */
export type SupplierFormProblem =
  | { problem: "required"; field: "name" | "base_url" }
  | { problem: "integer"; field: "timeout_ms" | "rate_limit_per_minute" | "poll_interval_seconds" }
  | { problem: "decimal"; field: "low_balance_threshold" }
  | { problem: "credentialKey"; key: string }
  | { problem: "credentialValue"; key: string }
  | { problem: "credentialDuplicate"; key: string }
  | { problem: "configJson" }

export const emptySupplierForm = (): SupplierForm => ({
  name: "",
  adapter: "medusa_store",
  base_url: "",
  timeout_ms: "",
  rate_limit_per_minute: "",
  poll_interval_seconds: "",
  low_balance_threshold: "",
  credentials: [{ key: "", value: "" }],
  config: "",
})

const isPlainObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object" && !Array.isArray(v)

const INTEGER = /^\d+$/
const DECIMAL = /^\d+(\.\d+)?$/

/**
 * The body of POST /admin/virtual-goods/suppliers from the drawer's form, or the first problem found. Only the shape is
 * checked here (a whole number, a decimal written as text, a JSON object, a credential with a name and a value); ranges
 * and the rest are the API's to judge, and its message names the field. The threshold stays text: it is never parsed
 * into a float. Credential values are sent as typed (not trimmed).
 */
export const buildSupplierBody = (form: SupplierForm): { body: SupplierCreate } | { error: SupplierFormProblem } => {
  const name = form.name.trim()
  if (!name) return { error: { problem: "required", field: "name" } }
  const baseUrl = form.base_url.trim()
  if (!baseUrl) return { error: { problem: "required", field: "base_url" } }
  const body: SupplierCreate = { name, adapter: form.adapter, base_url: baseUrl }
  for (const field of ["timeout_ms", "rate_limit_per_minute", "poll_interval_seconds"] as const) {
    const value = form[field].trim()
    if (!value) continue
    if (!INTEGER.test(value)) return { error: { problem: "integer", field } }
    body[field] = Number(value)
  }
  const threshold = form.low_balance_threshold.trim()
  if (threshold) {
    if (!DECIMAL.test(threshold)) return { error: { problem: "decimal", field: "low_balance_threshold" } }
    body.low_balance_threshold = threshold
  }
  const credentials: Record<string, string> = {}
  for (const row of form.credentials) {
    const key = row.key.trim()
    if (!key && !row.value) continue
    if (!key) return { error: { problem: "credentialKey", key } }
    if (!row.value) return { error: { problem: "credentialValue", key } }
    if (Object.prototype.hasOwnProperty.call(credentials, key)) return { error: { problem: "credentialDuplicate", key } }
    credentials[key] = row.value
  }
  if (Object.keys(credentials).length) body.credentials = credentials
  if (form.adapter === "generic_http" && form.config.trim()) {
    let parsed: unknown
    try {
      parsed = JSON.parse(form.config)
    } catch {
      return { error: { problem: "configJson" } }
    }
    if (!isPlainObject(parsed)) return { error: { problem: "configJson" } }
    body.config = parsed
  }
  return { body }
}

/** How many findings a reconciliation recorded anew, and how many it found already known. */
export const reconciliationCounts = (r: SupplierReconciliation) => {
  const created = r.findings.filter((f) => f.created).length
  return { created, known: r.findings.length - created }
}
