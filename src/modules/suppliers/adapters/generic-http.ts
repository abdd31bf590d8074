import { MedusaError } from "@medusajs/framework/utils"
import { decimalText, redactText, sanitizeAnswer, sendToSupplier, unknownAnswer } from "./http"
import { hmacSortedSign, md5SortedSign, safeEqualHex, sha1SortedSign, type SignableParams } from "./signatures"
import { type GenericHttpConfig, parseGenericHttpConfig } from "./generic-http-config"
import type {
  SubmitOrderInput,
  SupplierAdapter,
  SupplierCallback,
  SupplierConnection,
  UpstreamOrderAnswer,
  UpstreamOrderListing,
  UpstreamOrderState,
  UpstreamProduct,
  VerifiedCallback,
} from "./types"

/**
 * The generic HTTP top-up adapter: one supplier's request/answer protocol described by its settings
 * (`SupplierConnection.config`, checked by `parseGenericHttpConfig`) — the usual shape of Chinese top-up (直充) APIs:
 * form or JSON parameters signed over their sorted text (MD5 / SHA1 with `&key=<secret>`, or HMAC-SHA256), a JSON
 * answer with a result code, a message and the order's status, and signed callbacks to our URL.
 *
 * What an answer means: a code in `codes.failed` answering a submission, or an order status in `statuses.failed`
 * (in any answer or callback), is a definite failure — a failure code answering a query or a cancellation refuses that
 * request, not the order, so it is `unknown`;
 * `codes.duplicate` on a submission means the order number is already known (accepted: the caller queries next);
 * `codes.not_found` on a query means the supplier has no such order. Anything else that is not mapped — a timeout, a
 * dropped connection, a 5xx or 429, an unreadable body, an unknown code or status, a refused signature
 * (`codes.configuration`) — is `unknown`: the order is queried, never refunded, on that.
 *
 * The secret is `credentials.secret`; static parameters may come from other credentials (`{ credential: "app_id" }`).
 * Neither they, the sign nor a recipient's values ever appear in a reason or an answer.
 */

export { GENERIC_HTTP_EXAMPLE_CONFIG, GenericHttpConfigSchema, parseGenericHttpConfig } from "./generic-http-config"
export type { GenericHttpConfig, GenericHttpConfigInput } from "./generic-http-config"

// ---------------------------------------------------------------------------------------------------------------
// Reading answers
// ---------------------------------------------------------------------------------------------------------------

/** The value at a dot path (`data.status`, `data.items.0.id`), or undefined. */
export function valueAtPath(value: unknown, path: string): unknown {
  let current: unknown = value
  for (const part of path.split(".")) {
    if (current === null || typeof current !== "object") return undefined
    if (Array.isArray(current)) {
      if (!/^\d+$/.test(part)) return undefined
      current = current[Number(part)]
    } else {
      if (!Object.prototype.hasOwnProperty.call(current, part)) return undefined
      current = (current as Record<string, unknown>)[part]
    }
  }
  return current
}

/** A scalar as text (numbers by their shortest text), or null for anything else or empty text. */
function scalarText(value: unknown): string | null {
  if (typeof value === "string") return value.trim() === "" ? null : value.trim()
  if (typeof value === "number" && Number.isFinite(value)) return String(value)
  if (typeof value === "boolean") return String(value)
  return null
}

type CodeClass = keyof GenericHttpConfig["codes"]

function codeClass(config: GenericHttpConfig, code: string): CodeClass | null {
  for (const list of Object.keys(config.codes) as CodeClass[]) {
    if (config.codes[list].includes(code)) return list
  }
  return null
}

/** The state an order status means, or null when no mapping has it. */
function statusState(config: GenericHttpConfig, status: string): "accepted" | "succeeded" | "failed" | null {
  const s = config.statuses
  if (s.accepted.includes(status) || s.pending.includes(status)) return "accepted"
  if (s.succeeded.includes(status)) return "succeeded"
  if (s.failed.includes(status)) return "failed"
  return null
}

const MAX_REASON = 200

function shortReason(text: string, redact: string[]): string {
  const clean = redactText(text.replace(/\s+/g, " ").trim(), redact)
  return clean.length > MAX_REASON ? `${clean.slice(0, MAX_REASON - 1)}…` : clean
}

// ---------------------------------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------------------------------

type EndpointName = keyof GenericHttpConfig["endpoints"]

/** What came back from one exchange: an answer we can read, or the unknown answer of one we cannot. */
type Exchange =
  | { kind: "unreadable"; answer: UpstreamOrderAnswer }
  | { kind: "answer"; http_status: number; body: Record<string, unknown>; code: string | null; message: string | null }

function secretOf(conn: SupplierConnection): string {
  const secret = conn.credentials.secret
  if (typeof secret !== "string" || !secret.length) {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, `Supplier ${conn.supplier_id}: the credentials lack "secret" (the signing key)`)
  }
  return secret
}

function sign(config: GenericHttpConfig, params: SignableParams, secret: string): string {
  const options = {
    exclude: [config.signature.param, ...config.signature.exclude],
    skipEmpty: true,
    uppercase: config.signature.uppercase,
  }
  switch (config.signature.scheme) {
    case "md5_sorted":
      return md5SortedSign(params, secret, { ...options, keyParam: config.signature.key_param })
    case "sha1_sorted":
      return sha1SortedSign(params, secret, { ...options, keyParam: config.signature.key_param })
    case "hmac_sha256":
      return hmacSortedSign(params, secret, options)
  }
}

function timestampText(config: GenericHttpConfig, date: Date): string {
  switch (config.fields.timestamp_format) {
    case "unix":
      return String(Math.floor(date.getTime() / 1000))
    case "unix_ms":
      return String(date.getTime())
    case "iso":
      return date.toISOString()
  }
}

/** The parameters every request carries: the static ones and the timestamp. */
function commonParams(conn: SupplierConnection, config: GenericHttpConfig): Record<string, string> {
  const params: Record<string, string> = {}
  for (const [name, source] of Object.entries(config.fields.static)) {
    if ("credential" in source) {
      const value = conn.credentials[source.credential]
      if (typeof value !== "string" || !value.length) {
        throw new MedusaError(MedusaError.Types.INVALID_DATA, `Supplier ${conn.supplier_id}: the credentials lack "${source.credential}" (parameter ${name})`)
      }
      params[name] = value
    } else {
      params[name] = source.value
    }
  }
  if (config.fields.timestamp) params[config.fields.timestamp] = timestampText(config, new Date())
  return params
}

/** Values never to be repeated in a reason or an answer: the credentials and whatever else the caller adds. */
function secretValues(conn: SupplierConnection, extra: string[] = []): string[] {
  return [...Object.values(conn.credentials), ...extra].filter((v) => typeof v === "string" && v.length >= 3)
}

/** Signs and sends one request; transport failures and unreadable answers come back as `unreadable`. */
async function exchange(
  conn: SupplierConnection,
  config: GenericHttpConfig,
  endpointName: EndpointName,
  own: Record<string, string>,
  redact: string[]
): Promise<Exchange> {
  const endpoint = config.endpoints[endpointName]
  if (!endpoint) throw new MedusaError(MedusaError.Types.INVALID_DATA, `Supplier ${conn.supplier_id}: no ${endpointName} endpoint configured`)
  const secret = secretOf(conn)
  const params: Record<string, string> = { ...commonParams(conn, config), ...own }
  const signature = sign(config, params, secret)
  params[config.signature.param] = signature
  const hidden = [...redact, signature]

  const headers: Record<string, string> = { accept: "application/json" }
  let body: string | undefined
  let query: Record<string, string> | undefined
  if (endpoint.method === "GET") {
    query = params
  } else if (config.encoding === "json") {
    headers["content-type"] = "application/json"
    body = JSON.stringify(params)
  } else {
    headers["content-type"] = "application/x-www-form-urlencoded"
    body = new URLSearchParams(params).toString()
  }

  let response
  try {
    response = await sendToSupplier(conn, { method: endpoint.method, path: endpoint.path, query, headers, body })
  } catch (e) {
    return { kind: "unreadable", answer: unknownAnswer(e, null, { redact: hidden }) }
  }
  if (response.status >= 500 || response.status === 429 || response.status < 200 || (response.status >= 300 && response.status < 400)) {
    return { kind: "unreadable", answer: unknownAnswer(response, null, { redact: hidden }) }
  }
  if (response.truncated) return { kind: "unreadable", answer: unknownAnswer(response, null, { redact: hidden }) }
  let parsed: unknown
  try {
    parsed = JSON.parse(response.body.toString("utf8"))
  } catch {
    return { kind: "unreadable", answer: unknownAnswer(response, `unreadable answer: not JSON (HTTP ${response.status})`, { redact: hidden }) }
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    return { kind: "unreadable", answer: unknownAnswer(response, `unreadable answer: not a JSON object (HTTP ${response.status})`, { redact: hidden }) }
  }
  const body_ = parsed as Record<string, unknown>
  const code = scalarText(valueAtPath(body_, config.answer.code))
  if (code === null && response.status >= 400) {
    return { kind: "unreadable", answer: unknownAnswer(response, null, { redact: hidden }) }
  }
  const message = config.answer.message ? scalarText(valueAtPath(body_, config.answer.message)) : null
  return { kind: "answer", http_status: response.status, body: body_, code, message }
}

type Operation = "submit" | "query" | "cancel"

/** Classifies an order's answer (submit, query, cancel) by its code and status. */
function classify(
  config: GenericHttpConfig,
  result: Exchange,
  operation: Operation,
  orderNo: string,
  redact: string[]
): UpstreamOrderAnswer {
  if (result.kind === "unreadable") return result.answer
  const a = config.answer
  const keep = [a.code, a.message, a.status, a.order_no, a.upstream_order_no, a.cost].filter((p): p is string => !!p)
  const base = {
    http_status: result.http_status,
    upstream_order_no: a.upstream_order_no ? scalarText(valueAtPath(result.body, a.upstream_order_no)) : null,
    total_cost: a.cost ? decimalText(valueAtPath(result.body, a.cost)) : null,
    answer: sanitizeAnswer(result.body, { keep, redact }),
  }
  const said = result.message ? `: ${result.message}` : ""
  const reason = (text: string) => shortReason(text, redact)
  const unknown = (text: string): UpstreamOrderAnswer => ({ ...base, state: "unknown", reason: reason(text) })

  if (result.code === null) return unknown("answer without a result code")
  const code = result.code
  const klass = codeClass(config, code)
  let state: UpstreamOrderState
  let why: string | null = result.message ? reason(result.message) : null
  switch (klass) {
    case null:
      return unknown(`unrecognized answer code ${code}${said}`)
    case "configuration":
      return unknown(`the supplier refused our request as misconfigured (code ${code}${said}); check its credentials and settings`)
    case "duplicate":
      if (operation !== "submit") return unknown(`answer code ${code} (duplicate order number) to a ${operation}${said}`)
      return { ...base, state: "accepted", reason: reason(`order number already submitted (code ${code}${said}); query it for its state`) }
    case "not_found":
      if (operation === "submit") return unknown(`answer code ${code} (order not found) to a submission${said}`)
      return { ...base, state: "not_found", reason: reason(`the supplier has no order ${orderNo} (code ${code}${said})`) }
    case "failed":
      // a refusal of a query or a cancellation is about that request, not the order: only its status says it failed
      if (operation !== "submit") return unknown(`the supplier refused the ${operation} (code ${code}${said})`)
      state = "failed"
      why = reason(`supplier code ${code}${said}`)
      break
    case "accepted":
    case "pending":
      state = "accepted"
      break
    case "succeeded":
      state = "succeeded"
      break
    case "ok": {
      const status = a.status ? scalarText(valueAtPath(result.body, a.status)) : null
      if (status === null) {
        if (operation !== "submit") return unknown(`answer without an order status (code ${code}${said})`)
        state = "accepted"
        break
      }
      const mapped = statusState(config, status)
      if (!mapped) return unknown(`unrecognized order status "${status}"${said}`)
      state = mapped
      if (state === "failed") why = reason(`order status ${status}${said}`)
      break
    }
  }
  if (a.order_no) {
    const answered = scalarText(valueAtPath(result.body, a.order_no))
    if (answered !== null && answered !== orderNo) return unknown("the answer names another order number")
  }
  return { ...base, state, reason: why }
}

/** A short error for the operations that throw (ping, balance, listOrders). */
function operationError(config: GenericHttpConfig, result: Exchange, what: string, redact: string[]): Error | null {
  if (result.kind === "unreadable") return new Error(`${what}: ${result.answer.reason ?? "no answer"}`)
  const klass = result.code === null ? null : codeClass(config, result.code)
  if (klass === "ok" || klass === "succeeded" || klass === "accepted" || klass === "pending") return null
  const said = result.message ? `: ${result.message}` : ""
  return new Error(shortReason(`${what}: the supplier answered code ${result.code ?? "(none)"}${said}`, redact))
}

// ---------------------------------------------------------------------------------------------------------------
// Callbacks
// ---------------------------------------------------------------------------------------------------------------

function callbackParams(callback: SupplierCallback): Record<string, unknown> {
  const raw = callback.raw_body ?? ""
  const type = String(callback.headers["content-type"] ?? "").toLowerCase()
  if (raw.trim().length) {
    if (type.includes("json") || raw.trim().startsWith("{")) {
      let parsed: unknown
      try {
        parsed = JSON.parse(raw)
      } catch {
        throw new Error("unreadable callback body")
      }
      if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error("unreadable callback body")
      return parsed as Record<string, unknown>
    }
    return Object.fromEntries(new URLSearchParams(raw))
  }
  return { ...callback.query }
}

function signable(params: Record<string, unknown>): SignableParams {
  const out: SignableParams = {}
  for (const [name, value] of Object.entries(params)) {
    out[name] = value === null || value === undefined || typeof value === "string" || typeof value === "number" || typeof value === "boolean" ? value : JSON.stringify(value)
  }
  return out
}

// ---------------------------------------------------------------------------------------------------------------
// The adapter
// ---------------------------------------------------------------------------------------------------------------

function recipientParams(conn: SupplierConnection, config: GenericHttpConfig, input: SubmitOrderInput): Record<string, string> {
  const params: Record<string, string> = {}
  for (const [key, mapping] of Object.entries(config.fields.recipient)) {
    const param = typeof mapping === "string" ? mapping : mapping.param
    const required = typeof mapping === "string" ? true : mapping.required
    const value = input.recipient?.[key]
    if (value === undefined || value === null || String(value).trim() === "") {
      if (required) {
        throw new MedusaError(MedusaError.Types.INVALID_DATA, `Supplier ${conn.supplier_id}: the recipient lacks "${key}"`)
      }
      continue
    }
    params[param] = String(value)
  }
  return params
}

export const genericHttpAdapter: SupplierAdapter & {
  callbackAnswer(ok: boolean, conn?: SupplierConnection): { status: number; content_type: string; body: string }
} = {
  name: "generic_http",

  async ping(conn) {
    const config = parseGenericHttpConfig(conn.config)
    const redact = secretValues(conn)
    if (config.endpoints.balance) {
      const result = await exchange(conn, config, "balance", {}, redact)
      if (result.kind === "unreadable") throw new Error(`ping: ${result.answer.reason ?? "no answer"}`)
      const error = operationError(config, result, "ping", redact)
      return { ok: !error, detail: error ? error.message : null }
    }
    const probe = `ping-${Date.now()}`
    const result = await exchange(conn, config, "query", { [config.fields.order_no]: probe }, redact)
    if (result.kind === "unreadable") throw new Error(`ping: ${result.answer.reason ?? "no answer"}`)
    const answer = classify(config, result, "query", probe, redact)
    const ok = answer.state !== "unknown"
    return { ok, detail: ok ? null : answer.reason ?? null }
  },

  async listProducts(conn) {
    const config = parseGenericHttpConfig(conn.config)
    return config.products.map(
      (p): UpstreamProduct => ({
        id: p.id,
        name: p.name,
        kind: "topup",
        unit_cost: p.unit_cost,
        currency_code: p.currency_code ?? config.currency_code,
        stock: null,
      })
    )
  },

  async balance(conn) {
    const config = parseGenericHttpConfig(conn.config)
    if (!config.endpoints.balance || !config.answer.balance) return null
    const redact = secretValues(conn)
    const result = await exchange(conn, config, "balance", {}, redact)
    const error = operationError(config, result, "balance", redact)
    if (error) throw error
    if (result.kind !== "answer") throw new Error("balance: no answer")
    const amount = decimalText(valueAtPath(result.body, config.answer.balance))
    if (amount === null) throw new Error("balance: the answer has no readable amount")
    const currency = config.answer.balance_currency ? scalarText(valueAtPath(result.body, config.answer.balance_currency)) : null
    return { amount, currency_code: currency ?? config.currency_code }
  },

  async submitOrder(conn, input) {
    const config = parseGenericHttpConfig(conn.config)
    const f = config.fields
    if (!f.quantity && input.quantity !== 1) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, `Supplier ${conn.supplier_id} takes one unit per order, not ${input.quantity}`)
    }
    const recipient = recipientParams(conn, config, input)
    const params: Record<string, string> = {
      [f.order_no]: input.order_no,
      [f.product_id]: input.product_id,
      ...recipient,
    }
    if (f.quantity) params[f.quantity] = String(input.quantity)
    if (f.callback_url && conn.callback_url) params[f.callback_url] = conn.callback_url
    if (f.max_unit_cost && input.max_unit_cost !== null) {
      const max = decimalText(input.max_unit_cost)
      if (max === null) throw new MedusaError(MedusaError.Types.INVALID_DATA, `max_unit_cost "${input.max_unit_cost}" is not a decimal amount`)
      params[f.max_unit_cost] = max
    }
    const redact = secretValues(conn, Object.values(input.recipient ?? {}))
    const result = await exchange(conn, config, "submit", params, redact)
    return classify(config, result, "submit", input.order_no, redact)
  },

  async queryOrder(conn, orderNo) {
    const config = parseGenericHttpConfig(conn.config)
    const redact = secretValues(conn)
    const result = await exchange(conn, config, "query", { [config.fields.order_no]: orderNo }, redact)
    return classify(config, result, "query", orderNo, redact)
  },

  async cancelOrder(conn, orderNo) {
    const config = parseGenericHttpConfig(conn.config)
    if (!config.endpoints.cancel) {
      return { state: "unknown", reason: "this supplier offers no cancellation", http_status: null }
    }
    const redact = secretValues(conn)
    const result = await exchange(conn, config, "cancel", { [config.fields.order_no]: orderNo }, redact)
    return classify(config, result, "cancel", orderNo, redact)
  },

  async listOrders(conn, since) {
    const config = parseGenericHttpConfig(conn.config)
    const list = config.answer.list
    if (!config.endpoints.list_orders || !list || !config.fields.since) return null
    const redact = secretValues(conn)
    const result = await exchange(conn, config, "list_orders", { [config.fields.since]: timestampText(config, since) }, redact)
    const error = operationError(config, result, "list orders", redact)
    if (error) throw error
    if (result.kind !== "answer") throw new Error("list orders: no answer")
    const items = valueAtPath(result.body, list.path)
    if (!Array.isArray(items)) throw new Error(`list orders: the answer has no list at ${list.path}`)
    const orders: UpstreamOrderListing[] = []
    for (const item of items) {
      const orderNo = scalarText(valueAtPath(item, list.order_no))
      if (orderNo === null) continue
      const status = scalarText(valueAtPath(item, list.status))
      orders.push({
        order_no: orderNo,
        state: (status !== null && statusState(config, status)) || "unknown",
        total_cost: list.cost ? decimalText(valueAtPath(item, list.cost)) : null,
      })
    }
    return orders
  },

  verifyCallback(conn, callback): VerifiedCallback {
    const config = parseGenericHttpConfig(conn.config)
    const c = config.callback
    if (!c) throw new Error("callbacks are not configured for this supplier")
    const secret = secretOf(conn)
    const params = callbackParams(callback)
    const given = params[config.signature.param]
    if (typeof given !== "string" || !given.length) throw new Error("missing signature")
    const expected = sign(config, signable(params), secret)
    if (!safeEqualHex(given, expected)) throw new Error("invalid signature")

    const orderNo = scalarText(valueAtPath(params, c.order_no))
    if (orderNo === null) throw new Error("callback without an order number")
    const redact = secretValues(conn, [given])
    const message = c.message ? scalarText(valueAtPath(params, c.message)) : null
    const said = message ? `: ${message}` : ""
    const status = scalarText(valueAtPath(params, c.status))
    const mapped = status === null ? null : statusState(config, status)
    const keep = [c.order_no, c.status, c.upstream_order_no, c.cost, c.message].filter((p): p is string => !!p)
    const answer: UpstreamOrderAnswer = {
      state: mapped ?? "unknown",
      upstream_order_no: c.upstream_order_no ? scalarText(valueAtPath(params, c.upstream_order_no)) : null,
      total_cost: c.cost ? decimalText(valueAtPath(params, c.cost)) : null,
      reason: mapped
        ? mapped === "failed"
          ? shortReason(`order status ${status}${said}`, redact)
          : message
            ? shortReason(message, redact)
            : null
        : shortReason(status === null ? `callback without an order status${said}` : `unrecognized order status "${status}"${said}`, redact),
      http_status: null,
      answer: sanitizeAnswer(params, { keep, redact }),
    }
    return { order_no: orderNo, answer }
  },

  /**
   * The text the supplier expects back ("success" / "fail" unless its settings say otherwise — pass the connection
   * to use them).
   */
  callbackAnswer(ok: boolean, conn?: SupplierConnection) {
    let texts = { ok: "success", fail: "fail" }
    if (conn) {
      const callback = parseGenericHttpConfig(conn.config).callback
      if (callback) texts = { ok: callback.answer_ok, fail: callback.answer_fail }
    }
    return { status: ok ? 200 : 400, content_type: "text/plain; charset=utf-8", body: ok ? texts.ok : texts.fail }
  },
}
