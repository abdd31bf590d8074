import http from "http"
import { createHmac } from "crypto"
import type { AddressInfo } from "net"
import { medusaStoreAdapter } from "../adapters/medusa-store"
import type { SubmitOrderInput, SupplierConnection } from "../adapters/types"

jest.setTimeout(20_000)

const KEY = "vgk_0123456789ab_s3cretpartofthekey0000000000"
const WEBHOOK_SECRET = "whsec_unit-test-secret-value"
const CODES = ["UP-AAAA-1111", "UP-BBBB-2222"]

type Canned = { status: number; json?: unknown; text?: string } | "hang" | "drop"
type Seen = { method: string; path: string; query: URLSearchParams; headers: http.IncomingHttpHeaders; body: string }

/** A loopback server answering canned responses by "METHOD /path"; every request is recorded. */
let server: http.Server
let base: string
let routes: Record<string, Canned | ((seen: Seen) => Canned)>
let seen: Seen[]

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = ""
    req.on("data", (c) => (body += c))
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://x")
      const request: Seen = { method: req.method ?? "", path: url.pathname, query: url.searchParams, headers: req.headers, body }
      seen.push(request)
      const route = routes[`${request.method} ${request.path}`]
      const canned = typeof route === "function" ? route(request) : route
      if (!canned) {
        res.writeHead(404, { "content-type": "text/html" }).end("<pre>Cannot " + request.method + "</pre>")
      } else if (canned === "hang") {
        // never answers: the client's deadline ends it
      } else if (canned === "drop") {
        req.socket.destroy()
      } else if (canned.text !== undefined) {
        res.writeHead(canned.status, { "content-type": "text/plain" }).end(canned.text)
      } else {
        res.writeHead(canned.status, { "content-type": "application/json" }).end(JSON.stringify(canned.json))
      }
    })
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
})

afterAll(async () => {
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
})

beforeEach(() => {
  routes = {}
  seen = []
})

function conn(overrides: Partial<SupplierConnection> = {}): SupplierConnection {
  return {
    supplier_id: "sup_up",
    base_url: base,
    credentials: { api_key: KEY, webhook_secret: WEBHOOK_SECRET },
    config: {},
    timeout_ms: 300,
    allow_private_addresses: true,
    callback_url: null,
    ...overrides,
  }
}

const order = (overrides: Partial<SubmitOrderInput> = {}): SubmitOrderInput => ({
  order_no: "SO-1001",
  product_id: "variant_01",
  quantity: 2,
  recipient: null,
  max_unit_cost: null,
  ...overrides,
})

/** A wholesale order as the upstream answers it (POST /wholesale/orders, POST …/codes). */
function answered(options: { held?: boolean; codes?: string[]; id?: string; variant_id?: string; quantity?: number } = {}) {
  const codes = options.codes ?? CODES
  return {
    order: {
      id: options.id ?? "aord_up1",
      order_id: null,
      display_id: null,
      status: "completed",
      held_for_review: options.held ?? false,
      bookkeeping_status: "pending",
      currency_code: "usd",
      total: "14.5",
      items: [
        {
          variant_id: options.variant_id ?? "variant_01",
          title: "Monthly",
          product_title: "Youku VIP",
          quantity: options.quantity ?? 2,
          unit_price: "7.25",
          codes: codes.map((code, i) => ({ id: `ccode_${i}`, mask: `****${code.slice(-4)}`, status: "revealed", code, password: null })),
        },
      ],
      created_at: "2026-11-30T10:00:00.000Z",
      completed_at: "2026-11-30T10:00:00.000Z",
    },
  }
}

const insufficient = { status: 400, json: { type: "not_allowed", message: "Insufficient funds: the posting would take an agent below its balance plus credit limit" } }
const noOrders = { status: 200, json: { orders: [], count: 0, limit: 1, offset: 0 } }

/** Nothing secret in what the adapter returns: the key, the webhook secret, the codes, the recipient. */
function expectNoSecrets(value: unknown, extra: string[] = []) {
  const text = JSON.stringify(value)
  for (const secret of [KEY, WEBHOOK_SECRET, ...extra]) expect(text).not.toContain(secret)
}

describe("submitOrder", () => {
  it("201 with codes → succeeded with the codes (only in `codes`), sent with the key, the Idempotency-Key and the recipient", async () => {
    routes["POST /wholesale/orders"] = { status: 201, json: answered() }
    const answer = await medusaStoreAdapter.submitOrder(conn(), order({ recipient: { account: "player-778899" } }))
    expect(answer).toEqual({
      state: "succeeded",
      reason: null,
      upstream_order_no: "aord_up1",
      total_cost: "14.5",
      http_status: 201,
      codes: [
        { code: CODES[0], password: null },
        { code: CODES[1], password: null },
      ],
      answer: {
        order: {
          id: "aord_up1",
          status: "completed",
          held_for_review: false,
          currency_code: "usd",
          total: "14.5",
          items: [{ variant_id: "variant_01", quantity: 2, unit_price: "7.25", delivered_units: 2 }],
        },
      },
    })
    expectNoSecrets(answer.answer, [...CODES, "player-778899"])
    expect(seen).toHaveLength(1)
    expect(seen[0].headers.authorization).toBe(`Bearer ${KEY}`)
    expect(seen[0].headers["idempotency-key"]).toBe("SO-1001")
    expect(JSON.parse(seen[0].body)).toEqual({ items: [{ variant_id: "variant_01", quantity: 2, recipient: { account: "player-778899" } }] })
  })

  it("sends no recipient when there is none", async () => {
    routes["POST /wholesale/orders"] = { status: 201, json: answered() }
    await medusaStoreAdapter.submitOrder(conn(), order())
    expect(JSON.parse(seen[0].body)).toEqual({ items: [{ variant_id: "variant_01", quantity: 2 }] })
  })

  it("201 held for review → accepted, no codes", async () => {
    routes["POST /wholesale/orders"] = { status: 201, json: answered({ held: true, codes: [] }) }
    const answer = await medusaStoreAdapter.submitOrder(conn(), order())
    expect(answer).toEqual(expect.objectContaining({ state: "accepted", upstream_order_no: "aord_up1", http_status: 201 }))
    expect(answer.codes).toBeUndefined()
  })

  it("201 with fewer codes than bought, or another order's lines → unknown", async () => {
    routes["POST /wholesale/orders"] = { status: 201, json: answered({ codes: [CODES[0]] }) }
    expect(await medusaStoreAdapter.submitOrder(conn(), order())).toEqual(
      expect.objectContaining({ state: "unknown", reason: "the upstream answered 1 codes for 2 bought" })
    )
    routes["POST /wholesale/orders"] = { status: 201, json: answered({ variant_id: "variant_other" }) }
    const other = await medusaStoreAdapter.submitOrder(conn(), order())
    expect(other).toEqual(expect.objectContaining({ state: "unknown", reason: "the upstream answered an order with other lines than we asked for" }))
    expect(other.codes).toBeUndefined()
  })

  it("400 insufficient credit → failed once the upstream confirms it has no order under the number", async () => {
    routes["POST /wholesale/orders"] = insufficient
    routes["GET /wholesale/orders"] = noOrders
    const answer = await medusaStoreAdapter.submitOrder(conn(), order())
    expect(answer).toEqual({
      state: "failed",
      reason: "Insufficient funds: the posting would take an agent below its balance plus credit limit",
      http_status: 400,
      answer: insufficient.json,
    })
    expect(seen.map((s) => `${s.method} ${s.path}`)).toEqual(["POST /wholesale/orders", "GET /wholesale/orders"])
    expect(Object.fromEntries(seen[1].query)).toEqual({ idempotency_key: "SO-1001", limit: "1" })
  })

  it("404 unknown variant and 400 out of stock / quota → failed", async () => {
    routes["GET /wholesale/orders"] = noOrders
    routes["POST /wholesale/orders"] = { status: 404, json: { type: "not_found", message: "items[0].variant_id: variant variant_01 was not found" } }
    expect(await medusaStoreAdapter.submitOrder(conn(), order())).toEqual(
      expect.objectContaining({ state: "failed", reason: "items[0].variant_id: variant variant_01 was not found", http_status: 404 })
    )
    routes["POST /wholesale/orders"] = { status: 400, json: { type: "not_allowed", message: "Out of stock: pool ccpool_1 has 0 of 2" } }
    expect(await medusaStoreAdapter.submitOrder(conn(), order())).toEqual(expect.objectContaining({ state: "failed", reason: "Out of stock: pool ccpool_1 has 0 of 2" }))
    routes["POST /wholesale/orders"] = { status: 400, json: { type: "invalid_data", message: "items[0].recipient: account is required" } }
    expect(await medusaStoreAdapter.submitOrder(conn(), order())).toEqual(expect.objectContaining({ state: "failed", reason: "items[0].recipient: account is required" }))
  })

  it("a refusal while an earlier attempt under the number went through → that order, with its codes", async () => {
    routes["POST /wholesale/orders"] = { status: 400, json: { type: "not_allowed", message: "Agent agent_1 is frozen" } }
    routes["GET /wholesale/orders"] = { status: 200, json: { orders: [{ id: "aord_up1", idempotency_key: "SO-1001", status: "completed" }], count: 1 } }
    routes["POST /wholesale/orders/aord_up1/codes"] = { status: 200, json: answered() }
    const answer = await medusaStoreAdapter.submitOrder(conn(), order())
    expect(answer).toEqual(expect.objectContaining({ state: "succeeded", codes: CODES.map((code) => ({ code, password: null })) }))
  })

  it("a refusal whose confirmation cannot be read → unknown, never failed", async () => {
    routes["POST /wholesale/orders"] = insufficient
    routes["GET /wholesale/orders"] = { status: 503, json: { message: "down" } }
    const answer = await medusaStoreAdapter.submitOrder(conn(), order())
    expect(answer.state).toBe("unknown")
    expect(answer.reason).toMatch(/^refused \(HTTP 400: Insufficient funds.*\), but whether an earlier attempt went through is unknown: supplier error \(HTTP 503\)$/)
  })

  it("5xx → unknown, nothing else asked", async () => {
    routes["POST /wholesale/orders"] = { status: 500, json: { type: "unknown_error", message: "An unknown error occurred." } }
    expect(await medusaStoreAdapter.submitOrder(conn(), order())).toEqual(expect.objectContaining({ state: "unknown", reason: "supplier error (HTTP 500)", http_status: 500 }))
    expect(seen).toHaveLength(1)
  })

  it("a timeout or a dropped connection → unknown", async () => {
    routes["POST /wholesale/orders"] = "hang"
    const started = Date.now()
    expect(await medusaStoreAdapter.submitOrder(conn(), order())).toEqual({ state: "unknown", reason: "no answer in time (ETIMEDOUT)", http_status: null })
    expect(Date.now() - started).toBeLessThan(3000)
    routes["POST /wholesale/orders"] = "drop"
    const dropped = await medusaStoreAdapter.submitOrder(conn(), order())
    expect(dropped.state).toBe("unknown")
    expect(dropped.http_status).toBeNull()
  })

  it("401 / 403 → unknown with a configuration reason, the key never repeated", async () => {
    routes["POST /wholesale/orders"] = { status: 401, json: { type: "unauthorized", message: "Invalid, expired or revoked API key" } }
    const refused = await medusaStoreAdapter.submitOrder(conn(), order())
    expect(refused).toEqual(
      expect.objectContaining({
        state: "unknown",
        http_status: 401,
        reason: "the upstream store refused our API key (HTTP 401, check the supplier's key and its scopes): Invalid, expired or revoked API key",
      })
    )
    routes["POST /wholesale/orders"] = { status: 403, json: { type: "forbidden", message: "This API key lacks the scope orders:write" } }
    expect(await medusaStoreAdapter.submitOrder(conn(), order())).toEqual(expect.objectContaining({ state: "unknown", http_status: 403 }))
    expect(seen.map((s) => s.method)).toEqual(["POST", "POST"])
    expectNoSecrets(refused)
  })

  it("409 (still processing), 422 (number used for another request), 429 and a 404 that is not the API → unknown", async () => {
    for (const canned of [
      { status: 409, json: { type: "conflict", code: "invalid_state_error", message: "The request conflicted with another request." } },
      { status: 422, json: { type: "duplicate_error", message: 'Idempotency-Key "SO-1001" was already used with a different request body' } },
      { status: 429, json: { type: "not_allowed", message: "Too many requests" } },
    ]) {
      routes["POST /wholesale/orders"] = canned
      expect(await medusaStoreAdapter.submitOrder(conn(), order())).toEqual(expect.objectContaining({ state: "unknown", http_status: canned.status }))
    }
    delete routes["POST /wholesale/orders"] // the server's own HTML 404: a wrong base URL
    expect(await medusaStoreAdapter.submitOrder(conn(), order())).toEqual(expect.objectContaining({ state: "unknown", http_status: 404 }))
    expect(seen.every((s) => s.method === "POST")).toBe(true)
  })

  it("an order number the API cannot take as Idempotency-Key → failed without a request; no key → unknown", async () => {
    expect(await medusaStoreAdapter.submitOrder(conn(), order({ order_no: "has space" }))).toEqual(expect.objectContaining({ state: "failed" }))
    expect(await medusaStoreAdapter.submitOrder(conn({ credentials: {} }), order())).toEqual(expect.objectContaining({ state: "unknown" }))
    expect(seen).toHaveLength(0)
  })
})

describe("queryOrder, cancelOrder", () => {
  it("found by its number → its codes fetched again → succeeded; held → accepted", async () => {
    routes["GET /wholesale/orders"] = { status: 200, json: { orders: [{ id: "aord_up1", idempotency_key: "SO-1001", status: "completed" }], count: 1 } }
    routes["POST /wholesale/orders/aord_up1/codes"] = { status: 200, json: answered() }
    const answer = await medusaStoreAdapter.queryOrder(conn(), "SO-1001")
    expect(answer).toEqual(expect.objectContaining({ state: "succeeded", upstream_order_no: "aord_up1", total_cost: "14.5", codes: CODES.map((code) => ({ code, password: null })) }))
    expectNoSecrets(answer.answer, CODES)
    expect(seen[1].body).toBe("{}")
    routes["POST /wholesale/orders/aord_up1/codes"] = { status: 200, json: answered({ held: true, codes: [] }) }
    expect((await medusaStoreAdapter.queryOrder(conn(), "SO-1001")).state).toBe("accepted")
  })

  it("no order under the number → not_found; an upstream that ignores the filter, or fails → unknown", async () => {
    routes["GET /wholesale/orders"] = noOrders
    expect(await medusaStoreAdapter.queryOrder(conn(), "SO-404")).toEqual(expect.objectContaining({ state: "not_found" }))
    routes["GET /wholesale/orders"] = { status: 200, json: { orders: [{ id: "aord_other", status: "completed" }], count: 9 } }
    expect((await medusaStoreAdapter.queryOrder(conn(), "SO-404")).state).toBe("unknown")
    routes["GET /wholesale/orders"] = { status: 400, json: { type: "invalid_data", message: "Unrecognized fields: 'idempotency_key'" } }
    expect((await medusaStoreAdapter.queryOrder(conn(), "SO-404")).state).toBe("unknown")
    routes["GET /wholesale/orders"] = "hang"
    expect((await medusaStoreAdapter.queryOrder(conn(), "SO-404")).state).toBe("unknown")
  })

  it("cancel is not supported: unknown, no request", async () => {
    expect(await medusaStoreAdapter.cancelOrder(conn(), "SO-1001")).toEqual({ state: "unknown", reason: "not supported", http_status: null })
    expect(seen).toHaveLength(0)
  })
})

describe("ping, balance, listProducts, listOrders", () => {
  const me = {
    agent: { id: "agent_1", name: "Downstream shop", status: "active", accounts: [{ account_id: "aacc_1", currency_code: "usd", balance: "20", credit_limit: "5.5", available: "25.50" }] },
    scopes: ["catalog:read", "orders:read", "orders:write"],
  }

  it("ping and balance read /wholesale/me: the available balance as decimal text", async () => {
    routes["GET /wholesale/me"] = { status: 200, json: me }
    expect(await medusaStoreAdapter.ping(conn())).toEqual({ ok: true, detail: "agent Downstream shop (agent_1)" })
    expect(await medusaStoreAdapter.balance(conn())).toEqual({ amount: "25.5", currency_code: "usd" })
    routes["GET /wholesale/me"] = { status: 200, json: { ...me, scopes: ["catalog:read"] } }
    expect(await medusaStoreAdapter.ping(conn())).toEqual({ ok: false, detail: "agent Downstream shop (agent_1): the key lacks the scopes orders:read, orders:write" })
    routes["GET /wholesale/me"] = { status: 401, json: { type: "unauthorized", message: "Invalid, expired or revoked API key" } }
    expect(await medusaStoreAdapter.ping(conn())).toEqual({ ok: false, detail: "the upstream store refused our API key (HTTP 401): Invalid, expired or revoked API key" })
    await expect(medusaStoreAdapter.balance(conn())).rejects.toThrow("balance: the upstream store answered HTTP 401: Invalid, expired or revoked API key")
    routes["GET /wholesale/me"] = { status: 502, text: "bad gateway" }
    await expect(medusaStoreAdapter.ping(conn())).rejects.toThrow("ping: supplier error (HTTP 502)")
  })

  it("listProducts: one product per variant at the agent's price, with its stock", async () => {
    routes["GET /wholesale/catalog"] = {
      status: 200,
      json: {
        items: [
          { variant_id: "variant_01", sku: "YOUKU", title: "Monthly", product_id: "prod_1", unit_price: 7.25, currency_code: "usd", available: 12, quota_remaining: null },
          { variant_id: "variant_02", sku: null, title: "Yearly", product_id: "prod_1", unit_price: 70, currency_code: "usd", available: 0, quota_remaining: 3 },
        ],
        account: me.agent.accounts[0],
      },
    }
    expect(await medusaStoreAdapter.listProducts(conn())).toEqual([
      { id: "variant_01", name: "Monthly (YOUKU)", kind: "codes", unit_cost: "7.25", currency_code: "usd", stock: 12 },
      { id: "variant_02", name: "Yearly", kind: "codes", unit_cost: "70", currency_code: "usd", stock: 0 },
    ])
    routes["GET /wholesale/catalog"] = { status: 403, json: { type: "forbidden", message: "This API key lacks the scope catalog:read" } }
    await expect(medusaStoreAdapter.listProducts(conn())).rejects.toThrow("list products: the upstream store answered HTTP 403: This API key lacks the scope catalog:read")
  })

  it("listOrders pages newest first until an order older than `since`, by idempotency key", async () => {
    const listed = (n: number, from: number) =>
      Array.from({ length: n }, (_, i) => ({
        id: `aord_${from + i}`,
        idempotency_key: `SO-${from + i}`,
        status: "completed",
        held_for_review: (from + i) % 2 === 0,
        total: "7.25",
        created_at: new Date(Date.UTC(2026, 10, 30, 12) - (from + i) * 60_000).toISOString(),
      }))
    routes["GET /wholesale/orders"] = (req) => {
      const offset = Number(req.query.get("offset"))
      return { status: 200, json: { orders: listed(100, offset), count: 1000, limit: 100, offset } }
    }
    // Orders are a minute apart: since 150.5 minutes before the newest, the first 151 count.
    const since = new Date(Date.UTC(2026, 10, 30, 12) - 150.5 * 60_000)
    const orders = await medusaStoreAdapter.listOrders(conn(), since)
    expect(orders).toHaveLength(151)
    expect(orders![0]).toEqual({ order_no: "SO-0", state: "accepted", total_cost: "7.25" })
    expect(orders![1]).toEqual({ order_no: "SO-1", state: "succeeded", total_cost: "7.25" })
    expect(orders![150].order_no).toBe("SO-150")
    expect(seen.map((s) => s.query.get("offset"))).toEqual(["0", "100"])
    expect(seen.every((s) => s.query.get("limit") === "100")).toBe(true)
  })
})

describe("verifyCallback, callbackAnswer", () => {
  const now = () => Math.floor(Date.now() / 1000)
  const payload = (data: Record<string, unknown>, event = "agent_order.completed") =>
    JSON.stringify({ id: "awhd_1", event, created_at: "2026-11-30T10:00:00.000Z", data })
  /** Signed as the upstream signs: `v1=` hex HMAC-SHA256 of `<timestamp>.<body>` under the agent's webhook secret. */
  const signed = (body: string, timestamp = now(), secret = WEBHOOK_SECRET) => ({
    headers: {
      "content-type": "application/json",
      "x-vg-event": "agent_order.completed",
      "x-vg-delivery": "awhd_1",
      "x-vg-timestamp": String(timestamp),
      "x-vg-signature": `v1=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`,
    },
    raw_body: body,
    query: {},
  })

  it("a signed webhook → its order number (the idempotency key) and what it says", () => {
    const body = payload({ id: "aord_up1", idempotency_key: "SO-1001", order_id: "order_1", total: "14.5", currency_code: "usd", status: "delivered" })
    const verified = medusaStoreAdapter.verifyCallback(conn(), signed(body))
    expect(verified).toEqual({
      order_no: "SO-1001",
      answer: expect.objectContaining({ state: "accepted", upstream_order_no: "aord_up1", total_cost: "14.5", reason: "delivered upstream: its codes are fetched by a query" }),
    })
    expect(verified.answer.codes).toBeUndefined()
    const held = payload({ id: "aord_up1", idempotency_key: "SO-1001", status: "held_for_review" })
    expect(medusaStoreAdapter.verifyCallback(conn(), signed(held)).answer.state).toBe("accepted")
    const approved = payload({ id: "aord_up1", idempotency_key: "SO-1001", order_id: "order_1", display_id: 4 }, "agent_order.delivered")
    expect(medusaStoreAdapter.verifyCallback(conn(), signed(approved)).answer.state).toBe("accepted")
  })

  it("refuses a tampered body, another secret, a stale timestamp, a missing signature or secret, no order number", () => {
    const body = payload({ id: "aord_up1", idempotency_key: "SO-1001", status: "delivered" })
    const good = signed(body)
    expect(() => medusaStoreAdapter.verifyCallback(conn(), { ...good, raw_body: body.replace("SO-1001", "SO-1002") })).toThrow("invalid signature")
    expect(() => medusaStoreAdapter.verifyCallback(conn(), signed(body, now(), "whsec_other"))).toThrow("invalid signature")
    expect(() => medusaStoreAdapter.verifyCallback(conn(), signed(body, now() - 3600))).toThrow("stale signature")
    const { "x-vg-signature": _s, ...unsigned } = good.headers
    expect(() => medusaStoreAdapter.verifyCallback(conn(), { ...good, headers: unsigned })).toThrow("missing signature")
    expect(() => medusaStoreAdapter.verifyCallback(conn({ credentials: { api_key: KEY } }), good)).toThrow("no webhook secret configured for this supplier")
    const anonymous = payload({ id: "aord_up1", status: "delivered" })
    expect(() => medusaStoreAdapter.verifyCallback(conn(), signed(anonymous))).toThrow("callback without an order number")
  })

  it("answers 200 {received:true}", () => {
    expect(medusaStoreAdapter.callbackAnswer(true)).toEqual({ status: 200, content_type: "application/json", body: '{"received":true}' })
    expect(medusaStoreAdapter.callbackAnswer(false)).toEqual({ status: 400, content_type: "application/json", body: '{"received":false}' })
  })
})
