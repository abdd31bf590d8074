import { createHash, randomUUID } from "crypto"
import { decimalText, redactText, sanitizeAnswer, sendToSupplier, unknownAnswer } from "./http"
import { hmacSha256Hex, safeEqualHex } from "./signatures"
import type { OutboundResponse } from "../../../utils/outbound-http"
import type {
  SupplierAdapter,
  SupplierCallback,
  SupplierConnection,
  UpstreamOrderAnswer,
  UpstreamOrderState,
  UpstreamProduct,
  VerifiedCallback,
} from "./types"

/**
 * The dujiao-next "upstream" (站点对接) protocol, as a dujiao-next downstream speaks it to its upstream: every request
 * signed with the connection's API key and secret, JSON answers `{ ok: true, … }` or `{ ok: false, error_code,
 * error_message }`, orders keyed by our order number (`downstream_order_no`), card codes in `fulfillment.payload` one
 * per line, and signed callbacks over the fixed path `/api/v1/upstream/callback`.
 *
 * Classification: `payment_failed` (HTTP 200, `ok: false`: insufficient balance, the upstream canceled the order),
 * an unknown or inactive SKU, a bad quantity or form, no stock → `failed`; authentication and signature refusals
 * (401/403) → `unknown` with a reason (a configuration problem, never a refund); a 200 without `ok` (dujiao-next's
 * rate limiter), a 5xx, 429, a timeout or an unreadable answer → `unknown`.
 *
 * dujiao-next finds an order only by its own order id: `queryOrder` and `cancelOrder` are given the order number to
 * use in the path — the `upstream_order_no` submitOrder answered (this store's dujiao-next surface also accepts our
 * order number there; a stock dujiao-next answers 400/404 to it, which is `unknown`/`not_found`).
 */

/** How far a request's or callback's timestamp may be from now, seconds (dujiao-next's `MaxTimestampSkew`). */
export const DUJIAO_MAX_SKEW_SECONDS = 60
/** The path every callback is signed over, wherever it is sent. */
export const DUJIAO_CALLBACK_PATH = "/api/v1/upstream/callback"
const API = "/api/v1/upstream"
const PAGE_SIZE = 50
const MAX_PAGES = 200

export const DUJIAO_HEADERS = { key: "Dujiao-Next-Api-Key", timestamp: "Dujiao-Next-Timestamp", signature: "Dujiao-Next-Signature" } as const

/** Lower-case hex MD5 of a body (the empty body's is d41d8cd98f00b204e9800998ecf8427e). */
export const md5Hex = (body: Buffer | string) => createHash("md5").update(body).digest("hex")

/**
 * dujiao-next's signature: lower-case hex HMAC-SHA256(secret, "METHOD\nPATH\nTIMESTAMP\nmd5hex(body)"), PATH without
 * host or query, TIMESTAMP in unix seconds.
 *
 * @example
 * dujiaoSignature("secret", "GET", "/api/v1/upstream/products", 1700000000, "")
 */
export function dujiaoSignature(secret: string, method: string, path: string, timestamp: number, body: Buffer | string): string {
  return hmacSha256Hex(secret, `${method.toUpperCase()}\n${path}\n${timestamp}\n${md5Hex(body)}`)
}

/** Codes that refuse our credentials or signature: the connection's configuration, never the order's fate. */
const AUTH_CODES = new Set(["missing_auth_headers", "invalid_timestamp", "timestamp_expired", "invalid_signature", "invalid_api_key", "user_disabled", "unauthorized", "forbidden"])
/** Codes that say an order was not placed, definitely. */
const SUBMIT_FAILED_CODES = new Set([
  "payment_failed",
  "insufficient_balance",
  "sku_unavailable",
  "product_unavailable",
  "product_not_found",
  "bad_request",
  "invalid_request",
  "invalid_callback_url",
  "insufficient_stock",
  "product_out_of_stock",
])

type Json = Record<string, unknown>
type Exchange = { kind: "transport"; error: unknown } | { kind: "response"; response: OutboundResponse; json: Json | null }

function credentialsOf(conn: SupplierConnection): { key: string; secret: string } {
  const key = conn.credentials.api_key
  const secret = conn.credentials.api_secret
  if (!key || !secret) throw new Error("dujiao-next needs credentials api_key and api_secret")
  return { key, secret }
}

const redactionsOf = (conn: SupplierConnection, extra: string[] = []) => [conn.credentials.api_secret, conn.credentials.api_key, ...extra].filter((v): v is string => !!v)

async function exchange(conn: SupplierConnection, method: "GET" | "POST", path: string, options: { query?: Record<string, string>; body?: Json } = {}): Promise<Exchange> {
  const { key, secret } = credentialsOf(conn)
  const body = options.body === undefined ? "" : JSON.stringify(options.body)
  const timestamp = Math.floor(Date.now() / 1000)
  // Signed over the path as dujiao-next's own client signs it: relative to the base URL, without the query.
  const headers: Record<string, string> = {
    [DUJIAO_HEADERS.key]: key,
    [DUJIAO_HEADERS.timestamp]: String(timestamp),
    [DUJIAO_HEADERS.signature]: dujiaoSignature(secret, method, path, timestamp, body),
    accept: "application/json",
  }
  if (body) headers["content-type"] = "application/json"
  try {
    const response = await sendToSupplier(conn, { method, path, query: options.query, headers, body: body || undefined })
    let json: Json | null = null
    try {
      const parsed: unknown = JSON.parse(response.body.toString("utf8"))
      json = typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? (parsed as Json) : null
    } catch {
      json = null
    }
    return { kind: "response", response, json }
  } catch (error) {
    return { kind: "transport", error }
  }
}

const text = (v: unknown): string | null => (typeof v === "string" ? v : typeof v === "number" && Number.isFinite(v) ? String(v) : null)

/** The answer for the audit trail: card codes and delivery data removed before the usual sanitizing. */
function auditCopy(json: Json, redact: string[]): unknown {
  const copy: Json = { ...json }
  if (copy.fulfillment && typeof copy.fulfillment === "object") {
    copy.fulfillment = { ...(copy.fulfillment as Json), payload: "[removed]", delivery_data: "[removed]" }
  }
  return sanitizeAnswer(copy, { redact })
}

/** What a dujiao-next order status means for us. */
export function dujiaoStatusState(status: string | null): UpstreamOrderState {
  switch ((status ?? "").toLowerCase()) {
    case "completed":
    case "delivered":
    case "fulfilled":
      return "succeeded"
    case "canceled":
    case "cancelled":
    case "refunded":
      return "failed"
    case "pending_payment":
    case "paid":
    case "processing":
    case "fulfilling":
    case "partially_delivered":
      return "accepted"
    default:
      // partially_refunded and anything new: a person decides.
      return "unknown"
  }
}

/** Codes of an automatic delivery: `fulfillment.payload`, one per line. A manual delivery's text is not codes. */
function codesOf(json: Json): { code: string; password: null }[] {
  const f = json.fulfillment
  if (!f || typeof f !== "object") return []
  const { type, status, payload } = f as Json
  if (type !== "auto" || (status !== undefined && status !== "delivered") || typeof payload !== "string") return []
  return payload
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .map((code) => ({ code, password: null }))
}

/** An order answer (create, repeat, query, callback body) read into our states. */
function orderState(json: Json, redact: string[], http_status: number | null): UpstreamOrderAnswer {
  const status = text(json.status)
  const state = dujiaoStatusState(status)
  const codes = state === "succeeded" ? codesOf(json) : []
  const orderId = text(json.order_id)
  return {
    state,
    upstream_order_no: orderId,
    total_cost: decimalText(json.amount),
    ...(codes.length ? { codes } : {}),
    reason: state === "unknown" ? `unknown order status ${JSON.stringify(status)}` : state === "failed" ? `order ${status}` : null,
    http_status,
    answer: auditCopy(json, [...redact, ...codes.map((c) => c.code)]),
  }
}

type Operation = "submit" | "query" | "cancel"

/** Classifies an exchange about an order. */
function classify(result: Exchange, op: Operation, redact: string[]): UpstreamOrderAnswer {
  if (result.kind === "transport") return unknownAnswer(result.error, null, { redact })
  const { response, json } = result
  if (response.status >= 500 || response.status === 429 || !json) return unknownAnswer(response, null, { redact })
  if (!("ok" in json)) return unknownAnswer(response, "answer without ok (rate limited?)", { redact })
  if (json.ok === true && response.status === 200) return orderState(json, redact, response.status)
  const code = text(json.error_code) ?? ""
  const message = redactText(text(json.error_message) ?? code, redact).slice(0, 300)
  const base = { http_status: response.status, upstream_order_no: text(json.order_id), answer: auditCopy(json, redact) }
  if (AUTH_CODES.has(code) || response.status === 401 || response.status === 403) {
    return { ...base, state: "unknown", reason: `refused our credentials (${code || response.status}): check the API key, secret and clock` }
  }
  if (op === "submit" && SUBMIT_FAILED_CODES.has(code)) return { ...base, state: "failed", reason: `${code}: ${message}` }
  if (op === "submit" && response.status === 200 && json.ok === false && dujiaoStatusState(text(json.status)) === "failed") {
    return { ...base, state: "failed", reason: `${code || "refused"}: ${message}` }
  }
  if (op !== "submit" && code === "order_not_found") return { ...base, state: "not_found", reason: message }
  if (op === "cancel" && code === "cancel_not_allowed") return { ...base, state: "unknown", reason: "the supplier cancels only unpaid orders (cancel_not_allowed)" }
  return { ...base, state: "unknown", reason: `${code || `HTTP ${response.status}`}: ${message}` }
}

/** Throws a short error for a failed read (ping, products, balance); the JSON answer otherwise. */
function readAnswer(result: Exchange, what: string, redact: string[]): Json {
  if (result.kind === "transport") throw new Error(`${what}: ${unknownAnswer(result.error, null, { redact }).reason}`)
  const { response, json } = result
  if (!json || !("ok" in json)) throw new Error(`${what}: ${unknownAnswer(response, response.status === 200 ? "answer without ok (rate limited?)" : null, { redact }).reason}`)
  if (response.status !== 200 || json.ok !== true) {
    const code = text(json.error_code) ?? `HTTP ${response.status}`
    throw new Error(`${what}: ${code}: ${redactText(text(json.error_message) ?? "", redact).slice(0, 200)}`)
  }
  return json
}

const localizedText = (value: unknown): string => {
  if (typeof value === "string") return value
  if (!value || typeof value !== "object") return ""
  const v = value as Record<string, unknown>
  for (const locale of ["zh-CN", "en-US", "zh-TW"]) if (typeof v[locale] === "string" && v[locale]) return v[locale] as string
  return Object.values(v).find((x): x is string => typeof x === "string" && !!x) ?? ""
}

/** The SKU id in an upstream product id `<product_id>:<sku_id>`; a number when it is one (dujiao-next's ids are). */
function skuIdOf(productId: string): string | number {
  const sku = productId.includes(":") ? productId.slice(productId.lastIndexOf(":") + 1) : productId
  return /^\d{1,15}$/.test(sku) ? Number(sku) : sku
}

const orderPath = (orderNo: string) => `${API}/orders/${encodeURIComponent(orderNo)}`

export const dujiaoNextAdapter: SupplierAdapter = {
  name: "dujiao_next",

  async ping(conn) {
    const redact = redactionsOf(conn)
    const result = await exchange(conn, "POST", `${API}/ping`)
    if (result.kind === "transport") throw new Error(`ping: ${unknownAnswer(result.error, null, { redact }).reason}`)
    try {
      const json = readAnswer(result, "ping", redact)
      const site = text(json.site_name)
      return { ok: true, detail: `${site ? `${site}, ` : ""}protocol ${text(json.protocol_version) ?? "?"}, balance ${decimalText(json.balance) ?? "?"} ${text(json.currency) ?? ""}`.trim() }
    } catch (e) {
      return { ok: false, detail: (e as Error).message }
    }
  },

  async listProducts(conn) {
    const redact = redactionsOf(conn)
    const ping = readAnswer(await exchange(conn, "POST", `${API}/ping`), "products", redact)
    const currency = text(ping.currency)?.toLowerCase() ?? null
    const out: UpstreamProduct[] = []
    let seen = 0
    for (let page = 1; page <= MAX_PAGES; page++) {
      const json = readAnswer(await exchange(conn, "GET", `${API}/products`, { query: { page: String(page), page_size: String(PAGE_SIZE) } }), "products", redact)
      const items = Array.isArray(json.items) ? (json.items as Json[]) : []
      for (const p of items) {
        const productId = text(p.id)
        if (!productId || p.is_active === false) continue
        const title = localizedText(p.title)
        for (const sku of Array.isArray(p.skus) ? (p.skus as Json[]) : []) {
          const skuId = text(sku.id)
          const cost = decimalText(sku.price_amount)
          if (!skuId || cost === null || sku.is_active === false) continue
          const spec = sku.spec_values && typeof sku.spec_values === "object" ? Object.values(sku.spec_values as Json).map(localizedText).filter(Boolean) : []
          const quantity = typeof sku.stock_quantity === "number" && Number.isInteger(sku.stock_quantity) ? sku.stock_quantity : null
          out.push({
            id: `${productId}:${skuId}`,
            name: [title || productId, ...spec].join(" / "),
            kind: p.fulfillment_type === "auto" ? "codes" : "topup",
            unit_cost: cost,
            currency_code: currency,
            stock: quantity === null || quantity < 0 ? null : quantity,
          })
        }
      }
      seen += items.length
      const total = typeof json.total === "number" ? json.total : null
      if (!items.length || (total !== null && seen >= total)) break
    }
    return out
  },

  async balance(conn) {
    const json = readAnswer(await exchange(conn, "POST", `${API}/ping`), "balance", redactionsOf(conn))
    const amount = decimalText(json.balance)
    if (amount === null) throw new Error("balance: the answer has no readable balance")
    return { amount, currency_code: text(json.currency)?.toLowerCase() ?? null }
  },

  async submitOrder(conn, input) {
    const recipient = input.recipient && Object.keys(input.recipient).length ? input.recipient : null
    const redact = redactionsOf(conn, recipient ? Object.values(recipient) : [])
    const body: Json = {
      sku_id: skuIdOf(input.product_id),
      quantity: input.quantity,
      downstream_order_no: input.order_no,
      trace_id: randomUUID(),
      ...(recipient ? { manual_form_data: recipient } : {}),
      ...(conn.callback_url ? { callback_url: conn.callback_url } : {}),
    }
    const submitted = classify(await exchange(conn, "POST", `${API}/orders`, { body }), "submit", redact)
    // The order answer carries no codes: once the order exists and is not final, read it once for them.
    if (submitted.upstream_order_no && (submitted.state === "accepted" || (submitted.state === "succeeded" && !submitted.codes?.length))) {
      const detail = classify(await exchange(conn, "GET", orderPath(submitted.upstream_order_no)), "query", redact)
      if (detail.state === "succeeded" || detail.state === "failed") return { ...detail, total_cost: detail.total_cost ?? submitted.total_cost }
      if (submitted.state === "succeeded") return { ...submitted, state: "accepted", reason: "completed upstream; its codes are read by the next query" }
    }
    return submitted
  },

  async queryOrder(conn, orderNo) {
    return classify(await exchange(conn, "GET", orderPath(orderNo)), "query", redactionsOf(conn))
  },

  async cancelOrder(conn, orderNo) {
    return classify(await exchange(conn, "POST", `${orderPath(orderNo)}/cancel`), "cancel", redactionsOf(conn))
  },

  async listOrders() {
    // The protocol has no order listing.
    return null
  },

  verifyCallback(conn, callback: SupplierCallback): VerifiedCallback {
    const { key, secret } = credentialsOf(conn)
    const header = (name: string) => {
      const v = callback.headers[name.toLowerCase()]
      return (Array.isArray(v) ? v[0] : v ?? "").trim()
    }
    const givenKey = header(DUJIAO_HEADERS.key)
    const timestamp = header(DUJIAO_HEADERS.timestamp)
    const signature = header(DUJIAO_HEADERS.signature)
    if (!givenKey || !timestamp || !signature) throw new Error("missing authentication headers")
    if (!/^-?\d{1,15}$/.test(timestamp)) throw new Error("invalid timestamp")
    const ts = Number(timestamp)
    if (Math.abs(Math.floor(Date.now() / 1000) - ts) > DUJIAO_MAX_SKEW_SECONDS) throw new Error("timestamp expired")
    if (givenKey !== key) throw new Error("invalid api key")
    if (!safeEqualHex(signature, dujiaoSignature(secret, "POST", DUJIAO_CALLBACK_PATH, ts, callback.raw_body))) throw new Error("invalid signature")
    let json: Json
    try {
      const parsed: unknown = JSON.parse(callback.raw_body)
      if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error("not an object")
      json = parsed as Json
    } catch {
      throw new Error("invalid request body")
    }
    const orderNo = text(json.downstream_order_no)
    if (!orderNo || !text(json.status)) throw new Error("missing required fields")
    return { order_no: orderNo, answer: orderState(json, redactionsOf(conn, [signature]), null) }
  },

  callbackAnswer(ok) {
    // dujiao-next expects HTTP 200 with `ok: true`; anything else is retried (its own receiver answers failures with 200 too).
    return {
      status: 200,
      content_type: "application/json; charset=utf-8",
      body: JSON.stringify(ok ? { ok: true, message: "received" } : { ok: false, message: "callback processing failed" }),
    }
  },
}
