import type { IncomingHttpHeaders } from "http"

/** The adapters built in: another store running this plugin, the dujiao-next upstream protocol, a generic HTTP top-up API. */
export const SUPPLIER_ADAPTERS = ["medusa_store", "dujiao_next", "generic_http"] as const
export type SupplierAdapterName = (typeof SUPPLIER_ADAPTERS)[number]

/** What an adapter is given for one call: the supplier's address, its opened credentials and its settings. */
export type SupplierConnection = {
  supplier_id: string
  base_url: string
  /** Opened from their sealed form for this call only; never logged, never returned. */
  credentials: Record<string, string>
  /** The adapter's settings (not secret): the generic adapter's mapping, a dujiao-next's product ids, … */
  config: Record<string, unknown>
  timeout_ms: number
  allow_private_addresses: boolean
  /** Where the supplier may send its callbacks for this supplier (our route), or null when none is offered. */
  callback_url: string | null
}

/** An upstream product as listed by its supplier. Money is decimal text, never a float. */
export type UpstreamProduct = {
  id: string
  name: string
  kind: "codes" | "topup"
  /** The supplier's price per unit to us, decimal text. */
  unit_cost: string
  currency_code: string | null
  /** Units the supplier says it can sell now, or null when it does not say. */
  stock: number | null
}

/** A recipient's fields, opened only for the call that sends them (phone number, game account, server…). */
export type RecipientFields = Record<string, string>

export type SubmitOrderInput = {
  /** Our supplier order id: the supplier's idempotency key (its "downstream/merchant order number"). */
  order_no: string
  product_id: string
  quantity: number
  recipient: RecipientFields | null
  /** The most we accept to pay per unit, decimal text, when the protocol can carry it. */
  max_unit_cost: string | null
}

/**
 * What a supplier said about one order, classified. `failed` only on a definite failure the protocol states (refused,
 * out of stock, insufficient balance, the recipient does not exist…); a timeout, a dropped connection, a 5xx or an
 * answer we cannot read is `unknown` — the order is queried, never refunded, on that.
 * `not_found`: the supplier answered that it has no order with this number (only meaningful for a query).
 */
export type UpstreamOrderState = "accepted" | "succeeded" | "failed" | "unknown" | "not_found"

export type UpstreamOrderAnswer = {
  state: UpstreamOrderState
  /** The supplier's own order number, when it gave one. */
  upstream_order_no?: string | null
  /** What the supplier charged for the whole order, decimal text, when it said. */
  total_cost?: string | null
  /** Codes delivered by the supplier (restock, pass-through): handed to the vault, never stored or logged elsewhere. */
  codes?: { code: string; password?: string | null }[]
  /** A short reason, from the supplier's message or ours; never holds secrets or the recipient. */
  reason?: string | null
  /** The HTTP status of the answer, when there was one. */
  http_status?: number | null
  /** The supplier's answer for the audit trail, with codes, credentials and recipient fields removed, at most ~2 KB. */
  answer?: unknown
}

/** An order on the supplier's side, for reconciliation. */
export type UpstreamOrderListing = { order_no: string; state: UpstreamOrderState; total_cost: string | null }

/** A callback as received by our route: the raw body is what signatures are computed over. */
export type SupplierCallback = {
  headers: IncomingHttpHeaders
  raw_body: string
  query: Record<string, string>
}

export type VerifiedCallback = { order_no: string; answer: UpstreamOrderAnswer }

/**
 * One upstream protocol. Adapters are stateless: everything they need comes with each call. Network failures and
 * unreadable answers are returned as `state: "unknown"` by submitOrder / queryOrder / cancelOrder, never thrown as a
 * definite failure; other operations (ping, products, balance, listOrders) throw an Error with a short message.
 */
export interface SupplierAdapter {
  readonly name: SupplierAdapterName
  /** Reaches the supplier and checks the credentials. */
  ping(conn: SupplierConnection): Promise<{ ok: boolean; detail: string | null }>
  listProducts(conn: SupplierConnection): Promise<UpstreamProduct[]>
  /** The balance we hold with the supplier, or null when the protocol has none. */
  balance(conn: SupplierConnection): Promise<{ amount: string; currency_code: string | null } | null>
  submitOrder(conn: SupplierConnection, input: SubmitOrderInput): Promise<UpstreamOrderAnswer>
  queryOrder(conn: SupplierConnection, orderNo: string): Promise<UpstreamOrderAnswer>
  cancelOrder(conn: SupplierConnection, orderNo: string): Promise<UpstreamOrderAnswer>
  /** The supplier's orders since a date, when the protocol lists them; null when it cannot. */
  listOrders(conn: SupplierConnection, since: Date): Promise<UpstreamOrderListing[] | null>
  /** Verifies a callback's signature and reads it; throws `Error("invalid signature")` (or another short reason) when it does not verify. */
  verifyCallback(conn: SupplierConnection, callback: SupplierCallback): VerifiedCallback
  /** The body the supplier expects as our answer to its callback (its settings may say which; no credentials needed). */
  callbackAnswer(ok: boolean, conn?: SupplierConnection): { status: number; content_type: string; body: string }
}
