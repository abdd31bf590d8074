import http from "http"
import type { AddressInfo } from "net"
import { DUJIAO_CALLBACK_PATH, dujiaoNextAdapter, dujiaoSignature, dujiaoStatusState, md5Hex } from "../adapters/dujiao-next"
import type { SupplierConnection } from "../adapters/types"

jest.setTimeout(20_000)

/** Vectors computed apart from the adapter, with node's crypto: HMAC-SHA256("test-secret", "METHOD\nPATH\nTS\nmd5hex(body)"). */
const SECRET = "test-secret"
const TS = 1700000000
const ORDER_BODY = JSON.stringify({ sku_id: 7, quantity: 2, downstream_order_no: "SO-1" })

describe("dujiao-next signature", () => {
  it("hashes the empty body as MD5 of the empty string", () => {
    expect(md5Hex("")).toBe("d41d8cd98f00b204e9800998ecf8427e")
  })

  it("matches fixed vectors: a GET without body, a POST with a JSON body, a callback", () => {
    expect(dujiaoSignature(SECRET, "GET", "/api/v1/upstream/products", TS, "")).toBe("e915cf3fd1b9d663133928b036a0d5e3f69a2ee5895dbae3a54a629a139b5502")
    expect(dujiaoSignature(SECRET, "POST", "/api/v1/upstream/orders", TS, ORDER_BODY)).toBe("965da0f58a1e1fb7ce2d01af668c4dbc032428d7e29ce4250f8a72f822f65b20")
    expect(dujiaoSignature(SECRET, "POST", DUJIAO_CALLBACK_PATH, TS, '{"a":1}')).toBe("d4d9faa2aa59c83cb14dbd9e5f5daff8dc4404ef3be1d1ec92764726ce24d4d8")
    // The method is signed upper-case, a Buffer body like its text.
    expect(dujiaoSignature(SECRET, "post", "/api/v1/upstream/orders", TS, Buffer.from(ORDER_BODY))).toBe("965da0f58a1e1fb7ce2d01af668c4dbc032428d7e29ce4250f8a72f822f65b20")
  })

  it("maps dujiao-next's order statuses", () => {
    expect(["completed", "delivered", "fulfilled"].map(dujiaoStatusState)).toEqual(["succeeded", "succeeded", "succeeded"])
    expect(["canceled", "cancelled", "refunded"].map(dujiaoStatusState)).toEqual(["failed", "failed", "failed"])
    expect(["pending_payment", "paid", "fulfilling", "partially_delivered"].map(dujiaoStatusState)).toEqual(["accepted", "accepted", "accepted", "accepted"])
    expect(["partially_refunded", "whatever", null].map(dujiaoStatusState)).toEqual(["unknown", "unknown", "unknown"])
  })
})

/** A scripted upstream on loopback: each request is answered by `reply`, and recorded with its headers and body. */
type Seen = { method: string; path: string; headers: http.IncomingHttpHeaders; body: string }
let server: http.Server
let seen: Seen[] = []
let reply: (req: Seen) => { status: number; body: unknown } = () => ({ status: 200, body: { ok: true } })

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = ""
    req.on("data", (c) => (body += c))
    req.on("end", () => {
      const s = { method: req.method!, path: req.url!, headers: req.headers, body }
      seen.push(s)
      const r = reply(s)
      res.writeHead(r.status, { "content-type": "application/json" })
      res.end(typeof r.body === "string" ? r.body : JSON.stringify(r.body))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
})
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))
beforeEach(() => {
  seen = []
})

const conn = (overrides: Partial<SupplierConnection> = {}): SupplierConnection => ({
  supplier_id: "sup_dj",
  base_url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
  credentials: { api_key: "key-1", api_secret: SECRET },
  config: {},
  timeout_ms: 2000,
  allow_private_addresses: true,
  callback_url: null,
  ...overrides,
})
const input = { order_no: "SO-1", product_id: "12:7", quantity: 2, recipient: null, max_unit_cost: null }

describe("dujiao-next client", () => {
  it("signs each request over its path without the query and the MD5 of the exact body", async () => {
    reply = (r) => (r.path.startsWith("/api/v1/upstream/ping") ? { status: 200, body: { ok: true, balance: "5.00", currency: "CNY" } } : { status: 200, body: { ok: true, items: [], total: 0 } })
    await dujiaoNextAdapter.listProducts(conn())
    const list = seen.find((s) => s.path.startsWith("/api/v1/upstream/products"))!
    expect(list.path).toBe("/api/v1/upstream/products?page=1&page_size=50")
    const ts = Number(list.headers["dujiao-next-timestamp"])
    expect(Math.abs(ts - Date.now() / 1000)).toBeLessThan(5)
    expect(list.headers["dujiao-next-api-key"]).toBe("key-1")
    expect(list.headers["dujiao-next-signature"]).toBe(dujiaoSignature(SECRET, "GET", "/api/v1/upstream/products", ts, ""))
    expect(list.headers["content-type"]).toBeUndefined()
  })

  it("submits with sku_id as a number, our order number as downstream_order_no, and reads the codes of the order", async () => {
    reply = (r) =>
      r.method === "POST"
        ? { status: 200, body: { ok: true, order_id: 101, order_no: "DJ101", status: "paid", amount: "19.80", currency: "CNY" } }
        : { status: 200, body: { ok: true, order_id: 101, status: "completed", amount: "19.80", fulfillment: { type: "auto", status: "delivered", payload: "AAA-111\nBBB-222\n" } } }
    const answer = await dujiaoNextAdapter.submitOrder(conn(), input)
    const sent = JSON.parse(seen[0].body)
    expect(sent).toEqual({ sku_id: 7, quantity: 2, downstream_order_no: "SO-1", trace_id: expect.any(String) })
    expect(seen[0].headers["dujiao-next-signature"]).toBe(dujiaoSignature(SECRET, "POST", "/api/v1/upstream/orders", Number(seen[0].headers["dujiao-next-timestamp"]), seen[0].body))
    expect(seen[1].path).toBe("/api/v1/upstream/orders/101")
    expect(answer).toEqual(expect.objectContaining({ state: "succeeded", upstream_order_no: "101", total_cost: "19.8", codes: [{ code: "AAA-111", password: null }, { code: "BBB-222", password: null }] }))
    expect(JSON.stringify(answer.answer)).not.toContain("AAA-111")
    expect(JSON.stringify(answer.reason ?? "")).not.toContain("AAA-111")
  })

  it("classifies refusals: payment_failed and unknown SKUs fail; credentials and rate limits stay unknown", async () => {
    const cases: [number, unknown, string][] = [
      [200, { ok: false, order_id: 5, order_no: "DJ5", status: "canceled", error_code: "payment_failed", error_message: "wallet payment failed: insufficient balance" }, "failed"],
      [400, { ok: false, error_code: "sku_unavailable", error_message: "sku not found" }, "failed"],
      [409, { ok: false, error_code: "insufficient_stock", error_message: "no stock" }, "failed"],
      [401, { ok: false, error_code: "invalid_signature", error_message: "invalid signature" }, "unknown"],
      [403, { ok: false, error_code: "invalid_api_key", error_message: "api key is invalid or disabled" }, "unknown"],
      [200, { status_code: 429, msg: "too many requests", data: {} }, "unknown"],
      [502, "bad gateway", "unknown"],
      [200, "not json", "unknown"],
    ]
    for (const [status, body, state] of cases) {
      reply = () => ({ status, body })
      const answer = await dujiaoNextAdapter.submitOrder(conn(), input)
      expect([status, answer.state]).toEqual([status, state])
      expect(JSON.stringify(answer)).not.toContain(SECRET)
    }
    reply = () => ({ status: 401, body: { ok: false, error_code: "timestamp_expired", error_message: "timestamp expired" } })
    expect((await dujiaoNextAdapter.submitOrder(conn(), input)).reason).toBe("refused our credentials (timestamp_expired): check the API key, secret and clock")
  })

  it("a repeat of a canceled order is failed; queries: 404 not_found; cancel of a paid order stays unknown; no order listing", async () => {
    reply = () => ({ status: 200, body: { ok: true, order_id: 9, order_no: "DJ9", status: "canceled", amount: "1.00", currency: "CNY" } })
    expect((await dujiaoNextAdapter.submitOrder(conn(), input)).state).toBe("failed")
    reply = () => ({ status: 404, body: { ok: false, error_code: "order_not_found", error_message: "order not found" } })
    expect((await dujiaoNextAdapter.queryOrder(conn(), "9")).state).toBe("not_found")
    reply = () => ({ status: 409, body: { ok: false, error_code: "cancel_not_allowed", error_message: "order cannot be canceled" } })
    expect((await dujiaoNextAdapter.cancelOrder(conn(), "9")).state).toBe("unknown")
    expect(seen.at(-1)!.path).toBe("/api/v1/upstream/orders/9/cancel")
    expect(await dujiaoNextAdapter.listOrders(conn(), new Date())).toBeNull()
  })

  it("ping and balance read the ping answer; listProducts gives one product per SKU", async () => {
    reply = (r) =>
      r.path.startsWith("/api/v1/upstream/ping")
        ? { status: 200, body: { ok: true, site_name: "Up", protocol_version: "1.0", balance: "123.40", currency: "CNY" } }
        : {
            status: 200,
            body: {
              ok: true,
              total: 1,
              items: [
                {
                  id: 12,
                  title: { "zh-CN": "会员" },
                  fulfillment_type: "auto",
                  is_active: true,
                  skus: [
                    { id: 7, spec_values: { 时长: "月" }, price_amount: "9.90", stock_quantity: -1, is_active: true },
                    { id: 8, spec_values: {}, price_amount: "25.00", stock_quantity: 3, is_active: true },
                  ],
                },
                { id: 13, title: { "en-US": "Top-up" }, fulfillment_type: "manual", is_active: true, skus: [{ id: 9, price_amount: "1.00", stock_quantity: 0, is_active: true }] },
              ],
            },
          }
    expect(await dujiaoNextAdapter.ping(conn())).toEqual({ ok: true, detail: "Up, protocol 1.0, balance 123.4 CNY" })
    expect(await dujiaoNextAdapter.balance(conn())).toEqual({ amount: "123.4", currency_code: "cny" })
    expect(await dujiaoNextAdapter.listProducts(conn())).toEqual([
      { id: "12:7", name: "会员 / 月", kind: "codes", unit_cost: "9.9", currency_code: "cny", stock: null },
      { id: "12:8", name: "会员", kind: "codes", unit_cost: "25", currency_code: "cny", stock: 3 },
      { id: "13:9", name: "Top-up", kind: "topup", unit_cost: "1", currency_code: "cny", stock: 0 },
    ])
    reply = () => ({ status: 401, body: { ok: false, error_code: "invalid_signature", error_message: "invalid signature" } })
    expect(await dujiaoNextAdapter.ping(conn())).toEqual({ ok: false, detail: "ping: invalid_signature: invalid signature" })
  })
})

describe("dujiao-next callbacks", () => {
  const body = JSON.stringify({
    event: "order.fulfilled",
    order_id: 101,
    order_no: "DJ101",
    downstream_order_no: "SO-1",
    status: "completed",
    fulfillment: { type: "auto", status: "delivered", payload: "CODE-1\nCODE-2" },
    timestamp: 1,
  })
  const signed = (overrides: Record<string, string> = {}, raw = body) => {
    const ts = Math.floor(Date.now() / 1000)
    return {
      headers: {
        "dujiao-next-api-key": "key-1",
        "dujiao-next-timestamp": String(ts),
        "dujiao-next-signature": dujiaoSignature(SECRET, "POST", DUJIAO_CALLBACK_PATH, ts, raw),
        ...overrides,
      },
      raw_body: raw,
      query: {},
    }
  }

  it("accepts a callback signed over the fixed callback path and reads its codes", () => {
    const verified = dujiaoNextAdapter.verifyCallback(conn(), signed())
    expect(verified.order_no).toBe("SO-1")
    expect(verified.answer).toEqual(expect.objectContaining({ state: "succeeded", upstream_order_no: "101", codes: [{ code: "CODE-1", password: null }, { code: "CODE-2", password: null }] }))
    expect(JSON.stringify(verified.answer.answer)).not.toContain("CODE-1")
  })

  it("refuses a bad signature, a tampered body, another key, an old timestamp and missing headers", () => {
    expect(() => dujiaoNextAdapter.verifyCallback(conn(), signed({ "dujiao-next-signature": "0".repeat(64) }))).toThrow("invalid signature")
    const good = signed()
    expect(() => dujiaoNextAdapter.verifyCallback(conn(), { ...good, raw_body: body.replace("SO-1", "SO-2") })).toThrow("invalid signature")
    expect(() => dujiaoNextAdapter.verifyCallback(conn(), signed({ "dujiao-next-api-key": "key-2" }))).toThrow("invalid api key")
    const old = String(Math.floor(Date.now() / 1000) - 120)
    expect(() => dujiaoNextAdapter.verifyCallback(conn(), signed({ "dujiao-next-timestamp": old }))).toThrow("timestamp expired")
    expect(() => dujiaoNextAdapter.verifyCallback(conn(), { headers: {}, raw_body: body, query: {} })).toThrow("missing authentication headers")
  })

  it("answers 200 with ok true, or ok false", () => {
    expect(dujiaoNextAdapter.callbackAnswer(true)).toEqual({ status: 200, content_type: "application/json; charset=utf-8", body: '{"ok":true,"message":"received"}' })
    expect(JSON.parse(dujiaoNextAdapter.callbackAnswer(false).body)).toEqual({ ok: false, message: "callback processing failed" })
  })
})
