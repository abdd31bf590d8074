import http from "http"
import { createHash, createHmac } from "crypto"
import type { AddressInfo } from "net"
import { MedusaError } from "@medusajs/framework/utils"
import { SUPPLIER_CODES, TopupSupplier } from "../../../../integration-tests/helpers/topup-supplier"
import { GENERIC_HTTP_EXAMPLE_CONFIG, genericHttpAdapter, parseGenericHttpConfig } from "../adapters/generic-http"
import { decimalText, sanitizeAnswer, unknownAnswer } from "../adapters/http"
import { hmacSortedSign, md5SortedSign, safeEqualHex, sha1SortedSign, sortedParamsString } from "../adapters/signatures"
import type { SubmitOrderInput, SupplierConnection, VerifiedCallback } from "../adapters/types"

jest.setTimeout(20_000)

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

let supplier: TopupSupplier
let counter = 0
const nextOrderNo = () => `SO${Date.now()}${++counter}`

function conn(overrides: Partial<SupplierConnection> = {}): SupplierConnection {
  return {
    supplier_id: "sup_test",
    base_url: supplier.url,
    credentials: supplier.credentials,
    config: GENERIC_HTTP_EXAMPLE_CONFIG,
    timeout_ms: 400,
    allow_private_addresses: true,
    callback_url: null,
    ...overrides,
  }
}

function order(overrides: Partial<SubmitOrderInput> = {}): SubmitOrderInput {
  return {
    order_no: nextOrderNo(),
    product_id: "mobile-10",
    quantity: 1,
    recipient: { account: "13800138000" },
    max_unit_cost: null,
    ...overrides,
  }
}

/** Nothing secret or personal in what an adapter returns. */
function expectNoSecrets(value: unknown, extra: string[] = []) {
  const text = JSON.stringify(value)
  for (const secret of [supplier.secret, "13800138000", ...extra]) expect(text).not.toContain(secret)
}

beforeEach(async () => {
  supplier = new TopupSupplier({ balance: "1000.00" })
  await supplier.start()
})

afterEach(async () => {
  await supplier.stop()
})

describe("signatures", () => {
  const params = { b: "2", a: "1", empty: "", sign: "XYZ", c: 3 }

  it("sorts parameters by name, skips empty values and excluded names", () => {
    expect(sortedParamsString(params, { exclude: ["sign"] })).toBe("a=1&b=2&c=3")
    expect(sortedParamsString(params, { exclude: ["sign"], skipEmpty: false })).toBe("a=1&b=2&c=3&empty=")
    expect(sortedParamsString({ B: "x", a: "y", _z: "z" })).toBe("B=x&_z=z&a=y")
  })

  it("md5SortedSign matches MD5(sorted&key=secret), upper or lower case", () => {
    const expected = createHash("md5").update("a=1&b=2&c=3&key=k3y").digest("hex")
    expect(md5SortedSign(params, "k3y", { exclude: ["sign"] })).toBe(expected.toUpperCase())
    expect(md5SortedSign(params, "k3y", { exclude: ["sign"], uppercase: false })).toBe(expected)
    const bare = createHash("md5").update("a=1&b=2&c=3k3y").digest("hex").toUpperCase()
    expect(md5SortedSign(params, "k3y", { exclude: ["sign"], keyParam: null })).toBe(bare)
    expect(md5SortedSign(params, "k3y", { exclude: ["sign"], keyParam: "secret" })).toBe(
      createHash("md5").update("a=1&b=2&c=3&secret=k3y").digest("hex").toUpperCase()
    )
  })

  it("sha1SortedSign matches SHA1(sorted&key=secret)", () => {
    expect(sha1SortedSign(params, "k3y", { exclude: ["sign"], uppercase: false })).toBe(
      createHash("sha1").update("a=1&b=2&c=3&key=k3y").digest("hex")
    )
  })

  it("hmacSortedSign matches HMAC-SHA256(secret, sorted)", () => {
    expect(hmacSortedSign(params, "k3y", { exclude: ["sign"], uppercase: false })).toBe(
      createHmac("sha256", "k3y").update("a=1&b=2&c=3").digest("hex")
    )
  })

  it("safeEqualHex compares hex case-insensitively and refuses anything else", () => {
    expect(safeEqualHex("ABCDEF01", "abcdef01")).toBe(true)
    expect(safeEqualHex("abcdef01", "abcdef02")).toBe(false)
    expect(safeEqualHex("abcdef01", "abcdef")).toBe(false)
    expect(safeEqualHex("zzzz", "zzzz")).toBe(false)
    expect(safeEqualHex("", "")).toBe(false)
    expect(safeEqualHex(undefined, "ab")).toBe(false)
  })
})

describe("decimalText", () => {
  it.each([
    [9.9, "9.9"],
    ["9.90", "9.9"],
    ["10", "10"],
    [10, "10"],
    [0.1, "0.1"],
    ["010.500", "10.5"],
    ["-0.00", "0"],
    ["-1.50", "-1.5"],
    ["+3", "3"],
    [" 7.25 ", "7.25"],
    ["12345678901234567890.123456789", "12345678901234567890.123456789"],
  ])("%p → %p", (input, expected) => {
    expect(decimalText(input)).toBe(expected)
  })

  it.each([[NaN], [Infinity], [-Infinity], [1e21], [1e-7], ["1e3"], ["abc"], [""], ["."], ["1."], [".5"], ["1,5"], [null], [undefined], [true], [{}]])(
    "%p → null",
    (input) => {
      expect(decimalText(input)).toBeNull()
    }
  )
})

describe("sanitizeAnswer", () => {
  it("removes secret and personal fields at any depth and keeps the rest", () => {
    const clean = sanitizeAnswer({
      code: "0",
      msg: "ok",
      data: { order_no: "SO1", phone: "13800138000", cards: [{ no: "1", pwd: "x" }], Charge_Account: "a", apiKey: "k", status: "success" },
      items: [{ cardNo: "c", SIGN: "s", cost: "1.00" }],
    })
    expect(clean).toEqual({
      code: "[removed]",
      msg: "ok",
      data: { order_no: "SO1", phone: "[removed]", cards: "[removed]", Charge_Account: "[removed]", apiKey: "[removed]", status: "success" },
      items: [{ cardNo: "[removed]", SIGN: "[removed]", cost: "1.00" }],
    })
  })

  it("keeps the paths it is told to keep and redacts given values anywhere", () => {
    expect(sanitizeAnswer({ code: 1003, msg: "account 13800138000 does not exist" }, { keep: ["code"], redact: ["13800138000"] })).toEqual({
      code: 1003,
      msg: "account [removed] does not exist",
    })
  })

  it("cuts a long answer to about 2 KB of JSON", () => {
    const clean = sanitizeAnswer({ items: Array.from({ length: 200 }, (_, i) => ({ id: i, name: "x".repeat(40) })) })
    expect(clean).toEqual({ truncated: true, json: expect.any(String) })
    expect(JSON.stringify(clean).length).toBeLessThanOrEqual(2048)
    expect(JSON.stringify(clean).length).toBeGreaterThan(1900)
  })
})

describe("unknownAnswer", () => {
  it("describes transport errors and 5xx answers as unknown", () => {
    const timeout = Object.assign(new Error("no answer within 400 ms"), { code: "ETIMEDOUT" })
    expect(unknownAnswer(timeout)).toEqual({ state: "unknown", reason: "no answer in time (ETIMEDOUT)", http_status: null })
    const refused = Object.assign(new Error("x"), { code: "EADDRNOTPUBLIC" })
    expect(unknownAnswer(refused).reason).toBe("address refused (not public) (EADDRNOTPUBLIC)")
    expect(unknownAnswer({ status: 503, headers: {}, body: Buffer.from("busy"), truncated: false })).toEqual({
      state: "unknown",
      reason: "supplier error (HTTP 503)",
      http_status: 503,
      answer: { body: "busy" },
    })
  })
})

describe("parseGenericHttpConfig", () => {
  it("accepts the example config with its defaults", () => {
    const config = parseGenericHttpConfig(GENERIC_HTTP_EXAMPLE_CONFIG)
    expect(config.signature).toEqual({ scheme: "md5_sorted", param: "sign", key_param: "key", uppercase: true, exclude: [] })
    expect(config.products.map((p) => p.unit_cost)).toEqual(["9.9", "49.5", "5.88"])
  })

  it("throws INVALID_DATA naming the bad field's path", () => {
    const bad = { ...GENERIC_HTTP_EXAMPLE_CONFIG, fields: { ...GENERIC_HTTP_EXAMPLE_CONFIG.fields, order_no: "" } }
    const error = (() => {
      try {
        parseGenericHttpConfig(bad)
      } catch (e) {
        return e
      }
    })()
    expect(error).toBeInstanceOf(MedusaError)
    expect((error as MedusaError).type).toBe(MedusaError.Types.INVALID_DATA)
    expect((error as MedusaError).message).toMatch(/^Invalid generic_http supplier config: fields\.order_no: /)
  })

  it("names a bad signature scheme, an unknown key and a code in two lists", () => {
    expect(() => parseGenericHttpConfig({ ...GENERIC_HTTP_EXAMPLE_CONFIG, signature: { scheme: "rsa" } })).toThrow(/signature\.scheme/)
    expect(() => parseGenericHttpConfig({ ...GENERIC_HTTP_EXAMPLE_CONFIG, extra: 1 })).toThrow(/\(config\): Unrecognized key: "extra"/)
    expect(() =>
      parseGenericHttpConfig({ ...GENERIC_HTTP_EXAMPLE_CONFIG, codes: { ...GENERIC_HTTP_EXAMPLE_CONFIG.codes, duplicate: ["1001"] } })
    ).toThrow(/codes\.duplicate: code "1001" is also in codes\.failed/)
    expect(() =>
      parseGenericHttpConfig({ ...GENERIC_HTTP_EXAMPLE_CONFIG, products: [{ id: "p", name: "P", unit_cost: "1e3" }] })
    ).toThrow(/products\.0\.unit_cost: must be a decimal amount/)
  })
})

describe("genericHttpAdapter against the test supplier", () => {
  it("lists the products of its config", async () => {
    expect(await genericHttpAdapter.listProducts(conn())).toEqual([
      { id: "mobile-10", name: "Mobile top-up 10 CNY", kind: "topup", unit_cost: "9.9", currency_code: "CNY", stock: null },
      { id: "mobile-50", name: "Mobile top-up 50 CNY", kind: "topup", unit_cost: "49.5", currency_code: "CNY", stock: null },
      { id: "game-60", name: "Game top-up 60 gems", kind: "topup", unit_cost: "5.88", currency_code: "CNY", stock: null },
    ])
  })

  it("submits an order: accepted, with the supplier's order number and cost, signed and mapped", async () => {
    const input = order({ quantity: 2, max_unit_cost: "10.00" })
    const answer = await genericHttpAdapter.submitOrder(conn({ callback_url: "http://127.0.0.1:1/hooks/suppliers/sup_test" }), input)
    expect(answer).toEqual({
      state: "accepted",
      upstream_order_no: expect.stringMatching(/^SP\d+/),
      total_cost: "19.8",
      reason: "accepted",
      http_status: 200,
      answer: {
        code: "0",
        msg: "accepted",
        data: { order_no: input.order_no, supplier_order_no: answer.upstream_order_no, status: "processing", cost: "19.80" },
      },
    })
    expect(supplier.requestsTo("/api/recharge")).toEqual([
      expect.objectContaining({
        method: "POST",
        params: {
          app_id: supplier.app_id,
          order_no: input.order_no,
          product_id: "mobile-10",
          num: "2",
          charge_account: "13800138000",
          max_price: "10",
          notify_url: "http://127.0.0.1:1/hooks/suppliers/sup_test",
          timestamp: expect.stringMatching(/^\d{10}$/),
        },
      }),
    ])
    expect(supplier.balance()).toBe("980.20")
    expect(supplier.creditedCount(input.order_no)).toBe(1)
    expectNoSecrets(answer)
  })

  it("sends JSON bodies when the config says so", async () => {
    const config = { ...GENERIC_HTTP_EXAMPLE_CONFIG, encoding: "json" }
    const input = order()
    expect((await genericHttpAdapter.submitOrder(conn({ config }), input)).state).toBe("accepted")
    expect(supplier.requestsTo("/api/recharge")[0].params).toEqual(expect.objectContaining({ order_no: input.order_no, num: "1" }))
  })

  it("reads an order that succeeds after pending through queries", async () => {
    supplier.pendingThen("success", 250)
    const input = order()
    expect((await genericHttpAdapter.submitOrder(conn(), input)).state).toBe("accepted")
    const pending = await genericHttpAdapter.queryOrder(conn(), input.order_no)
    expect(pending.state).toBe("accepted")
    expect(supplier.creditedCount(input.order_no)).toBe(0)
    await sleep(300)
    const done = await genericHttpAdapter.queryOrder(conn(), input.order_no)
    expect(done).toEqual(expect.objectContaining({ state: "succeeded", total_cost: "9.9", http_status: 200 }))
    expect(supplier.creditedCount(input.order_no)).toBe(1)
  })

  it("reads an order that fails after pending as failed, with the status as reason", async () => {
    supplier.pendingThen("failed", 0)
    const input = order()
    expect((await genericHttpAdapter.submitOrder(conn(), input)).state).toBe("accepted")
    const answer = await genericHttpAdapter.queryOrder(conn(), input.order_no)
    expect(answer).toEqual(expect.objectContaining({ state: "failed", reason: "order status failed: ok" }))
    expect(supplier.creditedCount(input.order_no)).toBe(0)
    expect(supplier.balance()).toBe("1000.00")
  })

  it("maps a definite failure (insufficient balance) to failed with the supplier's reason", async () => {
    supplier.definiteFailure(SUPPLIER_CODES.insufficientBalance)
    const input = order()
    const answer = await genericHttpAdapter.submitOrder(conn(), input)
    expect(answer).toEqual(
      expect.objectContaining({ state: "failed", reason: "supplier code 1001: insufficient balance", http_status: 200, upstream_order_no: null })
    )
    expect(supplier.orders()).toEqual([])
    expect(supplier.totalCredited()).toBe(0)
  })

  it("maps a recipient the supplier refuses to failed, without the recipient in reason or answer", async () => {
    const answer = await genericHttpAdapter.submitOrder(conn(), order({ recipient: { account: "00000000000" } }))
    expect(answer.state).toBe("failed")
    expect(answer.reason).toBe("supplier code 1003: invalid recharge account")
    expectNoSecrets(answer, ["00000000000"])
  })

  it("maps a price above max_unit_cost to failed", async () => {
    const answer = await genericHttpAdapter.submitOrder(conn(), order({ max_unit_cost: "9.5" }))
    expect(answer).toEqual(expect.objectContaining({ state: "failed", reason: "supplier code 1009: price above max_price" }))
  })

  it("answers unknown on a timeout; the query then finds the order succeeded, credited once", async () => {
    supplier.timeout()
    const input = order()
    const answer = await genericHttpAdapter.submitOrder(conn({ timeout_ms: 300 }), input)
    expect(answer).toEqual({ state: "unknown", reason: "no answer in time (ETIMEDOUT)", http_status: null })
    const queried = await genericHttpAdapter.queryOrder(conn(), input.order_no)
    expect(queried.state).toBe("succeeded")
    // submitting again with the same order number never tops up twice
    const again = await genericHttpAdapter.submitOrder(conn(), input)
    expect(again.state).toBe("accepted")
    expect(supplier.creditedCount(input.order_no)).toBe(1)
    expect(supplier.totalCredited()).toBe(1)
    expect(supplier.balance()).toBe("990.10")
  })

  it("answers unknown when the answer is slower than the deadline", async () => {
    supplier.slow(600)
    const input = order()
    expect((await genericHttpAdapter.submitOrder(conn({ timeout_ms: 200 }), input)).state).toBe("unknown")
    expect((await genericHttpAdapter.queryOrder(conn(), input.order_no)).state).toBe("succeeded")
  })

  it("answers unknown on a 5xx and on a 429", async () => {
    supplier.error5xx()
    const input = order()
    const answer = await genericHttpAdapter.submitOrder(conn(), input)
    expect(answer).toEqual(expect.objectContaining({ state: "unknown", reason: "supplier error (HTTP 502)", http_status: 502 }))
    expect((await genericHttpAdapter.queryOrder(conn(), input.order_no)).state).toBe("not_found")

    supplier.error5xx({ path: "/api/query" }, 429)
    const limited = await genericHttpAdapter.queryOrder(conn(), input.order_no)
    expect(limited).toEqual(expect.objectContaining({ state: "unknown", reason: "supplier rate limit (HTTP 429)", http_status: 429 }))
  })

  it("answers unknown on a dropped connection, before or after the supplier credited", async () => {
    supplier.dropConnection("before_credit")
    const first = order()
    const dropped = await genericHttpAdapter.submitOrder(conn(), first)
    expect(dropped.state).toBe("unknown")
    expect(dropped.reason).toMatch(/connection|socket hang up/)
    expect((await genericHttpAdapter.queryOrder(conn(), first.order_no)).state).toBe("not_found")

    supplier.dropConnection("after_credit")
    const second = order()
    expect((await genericHttpAdapter.submitOrder(conn(), second)).state).toBe("unknown")
    expect((await genericHttpAdapter.queryOrder(conn(), second.order_no)).state).toBe("succeeded")
    expect(supplier.creditedCount(second.order_no)).toBe(1)
  })

  it("answers unknown, never failed, to an answer code no mapping knows", async () => {
    supplier.definiteFailure("8888")
    const answer = await genericHttpAdapter.submitOrder(conn(), order())
    expect(answer).toEqual(expect.objectContaining({ state: "unknown", reason: "unrecognized answer code 8888: refused" }))
  })

  it("answers unknown to an answer that is not JSON", async () => {
    const server = http.createServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/plain" })
      res.end("OK")
    })
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
    try {
      const answer = await genericHttpAdapter.submitOrder(
        conn({ base_url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }),
        order()
      )
      expect(answer).toEqual({ state: "unknown", reason: "unreadable answer: not JSON (HTTP 200)", http_status: 200, answer: { body: "OK" } })
    } finally {
      await new Promise((resolve) => server.close(resolve))
    }
  })

  it("treats a duplicate order number as accepted", async () => {
    const input = order()
    expect((await genericHttpAdapter.submitOrder(conn(), input)).state).toBe("accepted")
    const again = await genericHttpAdapter.submitOrder(conn(), input)
    expect(again).toEqual(
      expect.objectContaining({
        state: "accepted",
        reason: "order number already submitted (code 1002: duplicate order number); query it for its state",
      })
    )
    expect(supplier.orders()).toHaveLength(1)
    expect(supplier.creditedCount(input.order_no)).toBe(1)
  })

  it("answers unknown, never failed, when a query itself is refused with a failure code", async () => {
    const input = order()
    await genericHttpAdapter.submitOrder(conn(), input)
    supplier.definiteFailure(SUPPLIER_CODES.insufficientBalance, { path: "/api/query" })
    expect(await genericHttpAdapter.queryOrder(conn(), input.order_no)).toEqual(
      expect.objectContaining({ state: "unknown", reason: "the supplier refused the query (code 1001: insufficient balance)" })
    )
    expect((await genericHttpAdapter.queryOrder(conn(), input.order_no)).state).toBe("succeeded")
  })

  it("answers not_found to a query of an order the supplier does not have", async () => {
    const answer = await genericHttpAdapter.queryOrder(conn(), "SO-missing-1")
    expect(answer).toEqual(expect.objectContaining({ state: "not_found", http_status: 200 }))
  })

  it("answers unknown, never failed, when the supplier refuses our signature (wrong secret)", async () => {
    const wrong = { ...supplier.credentials, secret: "not-the-secret" }
    const input = order()
    const answer = await genericHttpAdapter.submitOrder(conn({ credentials: wrong }), input)
    expect(answer).toEqual(
      expect.objectContaining({
        state: "unknown",
        reason: "the supplier refused our request as misconfigured (code 1005: invalid sign); check its credentials and settings",
      })
    )
    expect(supplier.orders()).toEqual([])
    expectNoSecrets(answer, ["not-the-secret"])
    expect(await genericHttpAdapter.ping(conn({ credentials: wrong }))).toEqual({ ok: false, detail: "ping: the supplier answered code 1005: invalid sign" })
    expect(await genericHttpAdapter.ping(conn())).toEqual({ ok: true, detail: null })
  })

  it("cancels a pending order (failed) and leaves a completed one as it is", async () => {
    supplier.pendingThen("success", 5_000)
    const pending = order()
    await genericHttpAdapter.submitOrder(conn(), pending)
    expect(await genericHttpAdapter.cancelOrder(conn(), pending.order_no)).toEqual(
      expect.objectContaining({ state: "failed", reason: "order status canceled: ok" })
    )
    expect(supplier.balance()).toBe("1000.00")
    const done = order()
    await genericHttpAdapter.submitOrder(conn(), done)
    expect((await genericHttpAdapter.cancelOrder(conn(), done.order_no)).state).toBe("succeeded")
    expect((await genericHttpAdapter.cancelOrder(conn(), "SO-missing-2")).state).toBe("not_found")
  })

  it("reads the balance as decimal text", async () => {
    expect(await genericHttpAdapter.balance(conn())).toEqual({ amount: "1000", currency_code: "CNY" })
    await genericHttpAdapter.submitOrder(conn(), order({ product_id: "game-60" }))
    expect(await genericHttpAdapter.balance(conn())).toEqual({ amount: "994.12", currency_code: "CNY" })
  })

  it("throws a short error for the balance when the supplier is down", async () => {
    supplier.error5xx({ path: "/api/balance" })
    await expect(genericHttpAdapter.balance(conn())).rejects.toThrow("balance: supplier error (HTTP 502)")
  })

  it("lists the supplier's orders since a date", async () => {
    const since = new Date(Date.now() - 1000)
    supplier.pendingThen("failed", 0)
    const failed = order()
    await genericHttpAdapter.submitOrder(conn(), failed)
    const succeeded = order({ product_id: "mobile-50" })
    await genericHttpAdapter.submitOrder(conn(), succeeded)
    const listed = await genericHttpAdapter.listOrders(conn(), since)
    expect(listed).toEqual([
      { order_no: failed.order_no, state: "failed", total_cost: "9.9" },
      { order_no: succeeded.order_no, state: "succeeded", total_cost: "49.5" },
    ])
    expect(await genericHttpAdapter.listOrders(conn(), new Date(Date.now() + 60_000))).toEqual([])
    expect(supplier.requestsTo("/api/orders")[0].params.since).toBe(String(Math.floor(since.getTime() / 1000)))
  })

  describe("callbacks", () => {
    let callbackServer: http.Server
    let callbackUrl: string
    let verified: VerifiedCallback[]
    let refused: string[]

    beforeEach(async () => {
      verified = []
      refused = []
      callbackServer = http.createServer((req, res) => {
        const chunks: Buffer[] = []
        req.on("data", (c: Buffer) => chunks.push(c))
        req.on("end", () => {
          let reply
          try {
            verified.push(genericHttpAdapter.verifyCallback(conn(), { headers: req.headers, raw_body: Buffer.concat(chunks).toString("utf8"), query: {} }))
            reply = genericHttpAdapter.callbackAnswer(true, conn())
          } catch (e) {
            refused.push(e instanceof Error ? e.message : String(e))
            reply = genericHttpAdapter.callbackAnswer(false)
          }
          res.writeHead(reply.status, { "content-type": reply.content_type })
          res.end(reply.body)
        })
      })
      await new Promise<void>((resolve) => callbackServer.listen(0, "127.0.0.1", resolve))
      callbackUrl = `http://127.0.0.1:${(callbackServer.address() as AddressInfo).port}/hooks/suppliers/sup_test`
    })

    afterEach(async () => {
      await new Promise((resolve) => callbackServer.close(resolve))
    })

    it("verifies a properly signed callback and reads the order's state", async () => {
      const input = order()
      await genericHttpAdapter.submitOrder(conn(), input)
      expect(await supplier.sendCallback(callbackUrl, input.order_no)).toEqual({ status: 200, body: "success" })
      expect(refused).toEqual([])
      expect(verified).toEqual([
        {
          order_no: input.order_no,
          answer: expect.objectContaining({ state: "succeeded", total_cost: "9.9", upstream_order_no: expect.stringMatching(/^SP/), reason: "recharge succeeded" }),
        },
      ])
      expect(JSON.stringify(verified)).not.toMatch(/"sign":"[0-9A-F]{32}"/)
    })

    it("refuses a callback with a bad signature", async () => {
      const input = order()
      await genericHttpAdapter.submitOrder(conn(), input)
      expect(await supplier.sendCallback(callbackUrl, input.order_no, { badSignature: true })).toEqual({ status: 400, body: "fail" })
      expect(verified).toEqual([])
      expect(refused).toEqual(["invalid signature"])
    })

    it("receives a late callback for an order that succeeds after pending, to the notify_url we gave", async () => {
      supplier.pendingThen("success", 100).lateCallback(null, 200)
      const input = order()
      await genericHttpAdapter.submitOrder(conn({ callback_url: callbackUrl }), input)
      await supplier.callbacksSent()
      expect(verified).toEqual([{ order_no: input.order_no, answer: expect.objectContaining({ state: "succeeded" }) }])
      expect(supplier.callbacks).toEqual([expect.objectContaining({ url: callbackUrl, status: 200, body: "success", bad_signature: false })])
    })

    it("refuses a callback signed with another key, sent on its own", async () => {
      supplier.badSignatureCallback(null)
      const input = order()
      await genericHttpAdapter.submitOrder(conn({ callback_url: callbackUrl }), input)
      await supplier.callbacksSent()
      expect(refused).toEqual(["invalid signature"])
      expect(supplier.callbacks).toEqual([expect.objectContaining({ status: 400, body: "fail", bad_signature: true })])
    })
  })
})
