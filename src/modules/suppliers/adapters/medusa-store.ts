import { createHmac, timingSafeEqual } from "crypto"
import type { OutboundResponse } from "../../../utils/outbound-http"
import { decimalText, redactText, sanitizeAnswer, sendToSupplier, unknownAnswer, type SupplierRequest } from "./http"
import type {
  SubmitOrderInput,
  SupplierAdapter,
  SupplierCallback,
  SupplierConnection,
  UpstreamOrderAnswer,
  UpstreamOrderListing,
  UpstreamProduct,
  VerifiedCallback,
} from "./types"

/**
 * Site-to-site docking: the supplier is another store running this plugin, reached through its wholesale API as one of
 * its agents. `base_url` is the store's root URL; `credentials.api_key` the agent key (`vgk_…`, sent as
 * `Authorization: Bearer`); `credentials.webhook_secret` (optional) the agent's webhook signing secret there, with
 * which its signed webhooks are verified as callbacks.
 *
 * Our order number is the order's `Idempotency-Key` upstream: submitting it again never buys twice, and a query finds
 * the order by it. The upstream answers an order in one database transaction — 201 with its codes (or held for review,
 * codes later) — or refuses it with nothing done. A refusal (400 `not_allowed` / `invalid_data`: insufficient funds,
 * quota, out of stock, no price, risk; 404 `not_found`: no such variant) is `failed` only once a query by the order
 * number confirms that no order exists under it (an earlier attempt may have been answered after all); a 401 or 403
 * (our key or its scopes: configuration), a 409 (the key still processing), a 422 (the number used for another
 * request), a 429, a 5xx, a timeout or an unreadable answer is `unknown`. The store offers no cancellation.
 */

/** The Idempotency-Key the wholesale API accepts: 1 to 255 printable ASCII characters. */
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/

/** A signed webhook older or newer than this (by its `x-vg-timestamp`) is refused. */
export const MEDUSA_STORE_CALLBACK_TOLERANCE_SECONDS = 300

/** Orders per page when listing, and at most this many pages (beyond them the listing fails rather than be partial). */
const LIST_PAGE_SIZE = 100
const MAX_LIST_PAGES = 50

const MAX_REASON = 200

/** The wholesale API's error body (Medusa's error handler): `{ type, message, code? }`. */
type ApiError = { type: string | null; message: string | null }

type WholesaleCode = { id?: string; mask?: string; status?: string; code?: unknown; password?: unknown }
type WholesaleItem = { variant_id?: unknown; quantity?: unknown; unit_price?: unknown; codes?: unknown }
type WholesaleOrder = {
  id?: unknown
  idempotency_key?: unknown
  status?: unknown
  held_for_review?: unknown
  currency_code?: unknown
  total?: unknown
  items?: unknown
  created_at?: unknown
}

type Parsed = { ok: true; response: OutboundResponse; body: Record<string, unknown> } | { ok: false; answer: UpstreamOrderAnswer }

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value)

const text = (value: unknown): string | null => (typeof value === "string" && value.trim() !== "" ? value.trim() : null)

/** Values never repeated in a reason or an answer: the key, the webhook secret and whatever the caller adds. */
function secretsOf(conn: SupplierConnection, extra: string[] = []): string[] {
  return [...Object.values(conn.credentials ?? {}), ...extra].filter((v): v is string => typeof v === "string" && v.length >= 3)
}

function shortReason(reason: string, redact: string[]): string {
  const clean = redactText(reason.replace(/\s+/g, " ").trim(), redact)
  return clean.length > MAX_REASON ? `${clean.slice(0, MAX_REASON - 1)}…` : clean
}

function apiKeyOf(conn: SupplierConnection): string | null {
  const key = conn.credentials?.api_key
  return typeof key === "string" && key.trim() !== "" ? key.trim() : null
}

const NO_KEY = 'the credentials lack "api_key" (the agent key vgk_… of the upstream store)'

/** Sends one request to the upstream's wholesale API with the agent key; a transport failure rejects. */
function call(conn: SupplierConnection, key: string, request: SupplierRequest & { json?: unknown }): Promise<OutboundResponse> {
  const headers: Record<string, string> = {
    accept: "application/json",
    authorization: `Bearer ${key}`,
    "user-agent": "medusa-virtual-goods-suppliers",
    ...request.headers,
  }
  let body = request.body
  if (request.json !== undefined) {
    headers["content-type"] = "application/json"
    body = JSON.stringify(request.json)
  }
  return sendToSupplier(conn, { method: request.method, path: request.path, query: request.query, headers, body })
}

/** Sends and reads a JSON object; anything else (transport failure, truncated or non-JSON body) is an unknown answer. */
async function exchange(conn: SupplierConnection, key: string, request: SupplierRequest & { json?: unknown }, redact: string[]): Promise<Parsed> {
  let response: OutboundResponse
  try {
    response = await call(conn, key, request)
  } catch (e) {
    return { ok: false, answer: unknownAnswer(e, null, { redact }) }
  }
  if (response.truncated) return { ok: false, answer: unknownAnswer(response, null, { redact }) }
  let body: unknown
  try {
    body = JSON.parse(response.body.toString("utf8"))
  } catch {
    return { ok: false, answer: unknownAnswer(response, null, { redact }) }
  }
  if (!isRecord(body)) return { ok: false, answer: unknownAnswer(response, null, { redact }) }
  return { ok: true, response, body }
}

function apiErrorOf(body: Record<string, unknown>): ApiError {
  return { type: text(body.type), message: text(body.message) }
}

/** The answer to a refused key (401) or scope (403): configuration, never a failure of the order. */
function refusedKey(status: number, error: ApiError, redact: string[], body: Record<string, unknown>): UpstreamOrderAnswer {
  const said = error.message ? `: ${error.message}` : ""
  return {
    state: "unknown",
    reason: shortReason(`the upstream store refused our API key (HTTP ${status}, check the supplier's key and its scopes)${said}`, redact),
    http_status: status,
    answer: sanitizeAnswer(body, { redact }),
  }
}

/** An order as kept for the audit trail: its ids, amounts and lines with the number of codes — never a code. */
function auditCopy(order: WholesaleOrder, redact: string[]): unknown {
  const items = Array.isArray(order.items) ? order.items.filter(isRecord) : []
  return sanitizeAnswer(
    {
      order: {
        id: order.id,
        idempotency_key: order.idempotency_key,
        status: order.status,
        held_for_review: order.held_for_review,
        currency_code: order.currency_code,
        total: order.total,
        items: items.map((item: WholesaleItem) => ({
          variant_id: item.variant_id,
          quantity: item.quantity,
          unit_price: item.unit_price,
          delivered_units: Array.isArray(item.codes) ? item.codes.length : 0,
        })),
      },
    },
    // Not secrets, though their names say "code" and "key".
    { redact, keep: ["order.currency_code", "order.idempotency_key"] }
  )
}

/**
 * What an answered order (`{ order }` of POST /wholesale/orders or POST …/codes) means: held for review → accepted;
 * otherwise succeeded with every line's plaintext codes — unless fewer codes came than were bought, or (for a
 * submission) the lines are not what we asked for: unknown, for an admin.
 */
function orderAnswer(
  response: OutboundResponse,
  body: Record<string, unknown>,
  redact: string[],
  expected: { product_id: string; quantity: number } | null
): UpstreamOrderAnswer {
  const order = body.order
  if (!isRecord(order)) return unknownAnswer(response, `unreadable answer (HTTP ${response.status}): no order`, { redact })
  const o = order as WholesaleOrder
  const items = Array.isArray(o.items) ? o.items.filter(isRecord) : []
  const base = {
    upstream_order_no: text(o.id),
    total_cost: decimalText(o.total),
    http_status: response.status,
    answer: auditCopy(o, redact),
  }
  if (!items.length) return { ...base, state: "unknown", reason: "the upstream order has no lines" }
  if (expected) {
    const line = items.length === 1 ? items[0] : null
    if (!line || line.variant_id !== expected.product_id || line.quantity !== expected.quantity) {
      return { ...base, state: "unknown", reason: "the upstream answered an order with other lines than we asked for" }
    }
  }
  if (o.held_for_review === true) return { ...base, state: "accepted", reason: "held for review by the upstream store: its codes come once approved" }
  const bought = items.reduce((n, item) => n + (typeof item.quantity === "number" ? item.quantity : 0), 0)
  const codes: { code: string; password: string | null }[] = []
  for (const item of items) {
    for (const c of Array.isArray(item.codes) ? (item.codes as WholesaleCode[]) : []) {
      if (isRecord(c) && typeof c.code === "string" && c.code.length) {
        codes.push({ code: c.code, password: typeof c.password === "string" && c.password.length ? c.password : null })
      }
    }
  }
  if (codes.length !== bought) {
    return { ...base, state: "unknown", reason: `the upstream answered ${codes.length} codes for ${bought} bought` }
  }
  return { ...base, state: "succeeded", reason: null, codes }
}

/** Finds the completed order placed with an Idempotency-Key: its id, or null when the upstream says there is none. */
async function findByKey(
  conn: SupplierConnection,
  key: string,
  orderNo: string,
  redact: string[]
): Promise<{ found: { id: string } | null } | { unknown: UpstreamOrderAnswer }> {
  const result = await exchange(conn, key, { method: "GET", path: "/wholesale/orders", query: { idempotency_key: orderNo, limit: "1" } }, redact)
  if (!result.ok) return { unknown: result.answer }
  const { response, body } = result
  if (response.status === 401 || response.status === 403) return { unknown: refusedKey(response.status, apiErrorOf(body), redact, body) }
  if (response.status !== 200 || !Array.isArray(body.orders)) return { unknown: unknownAnswer(response, null, { redact }) }
  const orders = body.orders.filter(isRecord) as WholesaleOrder[]
  if (!orders.length) return { found: null }
  const order = orders[0]
  // An upstream that ignored the filter would list its newest order: only the order with our key counts.
  if (order.idempotency_key !== orderNo || !text(order.id)) {
    return { unknown: { state: "unknown", reason: "the upstream store does not look orders up by idempotency key", http_status: 200, answer: null } }
  }
  return { found: { id: text(order.id)! } }
}

/** Fetches an order's codes again (POST …/codes: an audited reveal upstream) and reads the order. */
async function revealOrder(conn: SupplierConnection, key: string, id: string, redact: string[]): Promise<UpstreamOrderAnswer> {
  const result = await exchange(conn, key, { method: "POST", path: `/wholesale/orders/${encodeURIComponent(id)}/codes`, json: {} }, redact)
  if (!result.ok) return result.answer
  const { response, body } = result
  if (response.status === 401 || response.status === 403) return refusedKey(response.status, apiErrorOf(body), redact, body)
  if (response.status !== 200) return unknownAnswer(response, null, { redact })
  return orderAnswer(response, body, redact, null)
}

async function queryByKey(conn: SupplierConnection, key: string, orderNo: string, redact: string[]): Promise<UpstreamOrderAnswer> {
  const lookup = await findByKey(conn, key, orderNo, redact)
  if ("unknown" in lookup) return lookup.unknown
  if (!lookup.found) return { state: "not_found", reason: "the upstream store has no order with this number", http_status: 200, answer: null }
  return revealOrder(conn, key, lookup.found.id, redact)
}

/** The wholesale API's definite refusals of an order: nothing was done (400 not_allowed / invalid_data, 404 not_found). */
function isRefusal(status: number, error: ApiError): boolean {
  if (status === 400) return error.type === "not_allowed" || error.type === "invalid_data"
  if (status === 404) return error.type === "not_found"
  return false
}

/** `GET /wholesale/me`: the agent and its accounts. Throws on anything but 200 (ping reads 401/403 itself). */
async function me(conn: SupplierConnection, what: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const key = apiKeyOf(conn)
  if (!key) throw new Error(`${what}: ${NO_KEY}`)
  const redact = secretsOf(conn)
  const result = await exchange(conn, key, { method: "GET", path: "/wholesale/me" }, redact)
  if (!result.ok) throw new Error(`${what}: ${result.answer.reason ?? "no answer"}`)
  return { status: result.response.status, body: result.body }
}

function operationError(what: string, status: number, body: Record<string, unknown>, redact: string[]): Error {
  const error = apiErrorOf(body)
  return new Error(shortReason(`${what}: the upstream store answered HTTP ${status}${error.message ? `: ${error.message}` : ""}`, redact))
}

type MeAgent = { id?: unknown; name?: unknown; status?: unknown; accounts?: unknown }

export const medusaStoreAdapter: SupplierAdapter = {
  name: "medusa_store",

  async ping(conn) {
    const redact = secretsOf(conn)
    const { status, body } = await me(conn, "ping")
    if (status === 401 || status === 403) {
      const error = apiErrorOf(body)
      return { ok: false, detail: shortReason(`the upstream store refused our API key (HTTP ${status})${error.message ? `: ${error.message}` : ""}`, redact) }
    }
    if (status !== 200 || !isRecord(body.agent)) throw operationError("ping", status, body, redact)
    const agent = body.agent as MeAgent
    const scopes = Array.isArray(body.scopes) ? body.scopes.filter((s): s is string => typeof s === "string") : []
    const missing = ["catalog:read", "orders:read", "orders:write"].filter((s) => !scopes.includes(s))
    const who = `agent ${text(agent.name) ?? "?"} (${text(agent.id) ?? "?"})`
    if (missing.length) return { ok: false, detail: shortReason(`${who}: the key lacks the scopes ${missing.join(", ")}`, redact) }
    return { ok: true, detail: shortReason(who, redact) }
  },

  async balance(conn) {
    const redact = secretsOf(conn)
    const { status, body } = await me(conn, "balance")
    if (status !== 200 || !isRecord(body.agent)) throw operationError("balance", status, body, redact)
    const accounts = (body.agent as MeAgent).accounts
    const account = Array.isArray(accounts) ? accounts.find(isRecord) : undefined
    if (!account) throw new Error("balance: the upstream agent has no account")
    const amount = decimalText(account.available)
    if (amount === null) throw new Error("balance: the answer has no readable amount")
    return { amount, currency_code: text(account.currency_code) }
  },

  async listProducts(conn) {
    const key = apiKeyOf(conn)
    if (!key) throw new Error(`list products: ${NO_KEY}`)
    const redact = secretsOf(conn)
    const result = await exchange(conn, key, { method: "GET", path: "/wholesale/catalog" }, redact)
    if (!result.ok) throw new Error(`list products: ${result.answer.reason ?? "no answer"}`)
    const { response, body } = result
    if (response.status !== 200 || !Array.isArray(body.items)) throw operationError("list products", response.status, body, redact)
    const products: UpstreamProduct[] = []
    for (const item of body.items.filter(isRecord)) {
      const id = text(item.variant_id)
      const unitCost = decimalText(item.unit_price)
      if (!id || unitCost === null) continue
      const sku = text(item.sku)
      const title = text(item.title) ?? id
      products.push({
        id,
        name: sku ? `${title} (${sku})` : title,
        kind: "codes",
        unit_cost: unitCost,
        currency_code: text(item.currency_code),
        stock: typeof item.available === "number" && Number.isInteger(item.available) ? item.available : null,
      })
    }
    return products
  },

  async submitOrder(conn, input: SubmitOrderInput) {
    const key = apiKeyOf(conn)
    if (!key) return { state: "unknown", reason: NO_KEY, http_status: null }
    if (!IDEMPOTENCY_KEY.test(input.order_no)) {
      return { state: "failed", reason: "the order number cannot be an Idempotency-Key (1 to 255 printable ASCII characters)", http_status: null }
    }
    const recipient = input.recipient && Object.keys(input.recipient).length ? input.recipient : null
    const redact = secretsOf(conn, Object.values(recipient ?? {}))
    const item = { variant_id: input.product_id, quantity: input.quantity, ...(recipient ? { recipient } : {}) }
    const result = await exchange(
      conn,
      key,
      { method: "POST", path: "/wholesale/orders", headers: { "idempotency-key": input.order_no }, json: { items: [item] } },
      redact
    )
    if (!result.ok) return result.answer
    const { response, body } = result
    const status = response.status
    if (status === 201 || status === 200) return orderAnswer(response, body, redact, { product_id: input.product_id, quantity: input.quantity })
    const error = apiErrorOf(body)
    if (status === 401 || status === 403) return refusedKey(status, error, redact, body)
    const said = error.message ? `: ${error.message}` : ""
    if (status === 409) {
      return { state: "unknown", reason: shortReason(`the upstream store is still processing this order number${said}`, redact), http_status: status, answer: sanitizeAnswer(body, { redact }) }
    }
    if (status === 422) {
      return {
        state: "unknown",
        reason: shortReason(`the upstream store has this order number for another request${said}`, redact),
        http_status: status,
        answer: sanitizeAnswer(body, { redact }),
      }
    }
    if (!isRefusal(status, error)) return unknownAnswer(response, null, { redact })
    // A refusal is definite only if no earlier attempt under this number was answered (a retry after a timeout may be
    // refused for a reason that arose since, while the first attempt went through).
    const lookup = await findByKey(conn, key, input.order_no, redact)
    if ("unknown" in lookup) {
      return { ...lookup.unknown, reason: shortReason(`refused (HTTP ${status}${said}), but whether an earlier attempt went through is unknown: ${lookup.unknown.reason ?? "no answer"}`, redact) }
    }
    if (lookup.found) return revealOrder(conn, key, lookup.found.id, redact)
    return { state: "failed", reason: shortReason(`${error.message ?? `refused (HTTP ${status})`}`, redact), http_status: status, answer: sanitizeAnswer(body, { redact }) }
  },

  async queryOrder(conn, orderNo) {
    const key = apiKeyOf(conn)
    if (!key) return { state: "unknown", reason: NO_KEY, http_status: null }
    if (!IDEMPOTENCY_KEY.test(orderNo)) return { state: "not_found", reason: "the order number cannot be an Idempotency-Key", http_status: null }
    return queryByKey(conn, key, orderNo, secretsOf(conn))
  },

  async cancelOrder() {
    return { state: "unknown", reason: "not supported", http_status: null }
  },

  async listOrders(conn, since) {
    const key = apiKeyOf(conn)
    if (!key) throw new Error(`list orders: ${NO_KEY}`)
    const redact = secretsOf(conn)
    const orders = new Map<string, UpstreamOrderListing>()
    for (let page = 0; page < MAX_LIST_PAGES; page++) {
      const result = await exchange(
        conn,
        key,
        { method: "GET", path: "/wholesale/orders", query: { limit: String(LIST_PAGE_SIZE), offset: String(page * LIST_PAGE_SIZE) } },
        redact
      )
      if (!result.ok) throw new Error(`list orders: ${result.answer.reason ?? "no answer"}`)
      const { response, body } = result
      if (response.status !== 200 || !Array.isArray(body.orders)) throw operationError("list orders", response.status, body, redact)
      const listed = body.orders.filter(isRecord) as WholesaleOrder[]
      let older = false
      for (const o of listed) {
        const created = typeof o.created_at === "string" ? new Date(o.created_at) : null
        if (created && !Number.isNaN(created.getTime()) && created < since) {
          older = true
          break
        }
        if (o.idempotency_key === undefined) throw new Error("list orders: the upstream store does not list idempotency keys (it needs a newer version)")
        const orderNo = text(o.idempotency_key)
        if (!orderNo) continue
        orders.set(orderNo, {
          order_no: orderNo,
          state: o.held_for_review === true ? "accepted" : o.held_for_review === false ? "succeeded" : "unknown",
          total_cost: decimalText(o.total),
        })
      }
      const count = typeof body.count === "number" ? body.count : null
      if (older || listed.length < LIST_PAGE_SIZE || (count !== null && (page + 1) * LIST_PAGE_SIZE >= count)) return [...orders.values()]
    }
    throw new Error(`list orders: more than ${MAX_LIST_PAGES * LIST_PAGE_SIZE} orders since ${since.toISOString()}; list a shorter period`)
  },

  verifyCallback(conn, callback: SupplierCallback): VerifiedCallback {
    const secret = conn.credentials?.webhook_secret
    if (typeof secret !== "string" || !secret.length) throw new Error("no webhook secret configured for this supplier")
    const header = (name: string) => {
      const value = callback.headers[name]
      return Array.isArray(value) ? value[0] : value
    }
    const signature = header("x-vg-signature")
    const timestampText = header("x-vg-timestamp")
    if (!signature || !timestampText) throw new Error("missing signature")
    if (!/^\d{1,12}$/.test(timestampText)) throw new Error("invalid signature")
    const timestamp = Number(timestampText)
    const raw = callback.raw_body ?? ""
    const expected = createHmac("sha256", secret).update(`${timestamp}.${raw}`).digest()
    const given = signature
      .split(",")
      .map((s) => s.trim())
      .filter((s) => s.startsWith("v1="))
      .map((s) => s.slice(3))
    const matches = given.some((hex) => /^[0-9a-f]{64}$/i.test(hex) && timingSafeEqual(Buffer.from(hex, "hex"), expected))
    if (!matches) throw new Error("invalid signature")
    if (Math.abs(Date.now() / 1000 - timestamp) > MEDUSA_STORE_CALLBACK_TOLERANCE_SECONDS) throw new Error("stale signature")

    let parsed: unknown
    try {
      parsed = JSON.parse(raw)
    } catch {
      throw new Error("unreadable callback body")
    }
    if (!isRecord(parsed) || !isRecord(parsed.data)) throw new Error("unreadable callback body")
    const event = text(parsed.event) ?? text(header("x-vg-event"))
    const data = parsed.data
    const orderNo = text(data.idempotency_key)
    if (!orderNo) throw new Error("callback without an order number")
    const redact = secretsOf(conn, [signature])
    const base = {
      upstream_order_no: text(data.id),
      total_cost: decimalText(data.total),
      http_status: null,
      answer: sanitizeAnswer(parsed, { redact, keep: ["data.currency_code", "data.idempotency_key"] }),
    }
    // Webhooks carry no codes: an order delivered (or approved) upstream is fetched by a query, which reveals its codes.
    let answer: UpstreamOrderAnswer
    if (event === "agent_order.completed" && data.status === "held_for_review") {
      answer = { ...base, state: "accepted", reason: "held for review by the upstream store: its codes come once approved" }
    } else if (event === "agent_order.completed" || event === "agent_order.delivered") {
      answer = { ...base, state: "accepted", reason: "delivered upstream: its codes are fetched by a query" }
    } else {
      answer = { ...base, state: "unknown", reason: shortReason(`unrecognized webhook event ${event ?? "(none)"}`, redact) }
    }
    return { order_no: orderNo, answer }
  },

  callbackAnswer(ok: boolean) {
    return { status: ok ? 200 : 400, content_type: "application/json", body: JSON.stringify({ received: ok }) }
  },
}
