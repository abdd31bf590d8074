import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { DUJIAO_CALLBACK_PATH, dujiaoNextAdapter, dujiaoSignature } from "../../src/modules/suppliers/adapters/dujiao-next"
import type { SupplierConnection } from "../../src/modules/suppliers/adapters/types"
import { asAgent, createVirtualStore, createTier } from "../helpers"
import { liftedRateLimits, useEnv } from "../helpers/env"
import { useAdmin } from "../helpers/fixtures"

jest.setTimeout(300_000)
useEnv({ VIRTUAL_GOODS_RATE_LIMITS: liftedRateLimits("wholesale") })

/**
 * The dujiao-next upstream protocol end to end in one app: our supplier client (the dujiao_next adapter) docked to our
 * own dujiao-next compatible wholesale surface (/wholesale/dujiao), as a dujiao-next shop would dock to this store.
 */
medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    const admin = useAdmin({ api, getContainer })

    const tier = (name: string, variantId: string, amount: number) => createTier(getContainer(), name, variantId, amount)

    /** An agent docked as a dujiao-next downstream: its key, its signing secret and the connection our client uses. */
    async function dockedAgent(topUp: string, customer_group_id: string) {
      const { data } = await api.post(`/admin/virtual-goods/agents`, { currency_code: "usd", name: "dujiao shop", customer_group_id }, admin)
      const id = data.agent.id as string
      await api.post(`/admin/virtual-goods/agents/${id}/topups`, { currency_code: "usd", amount: topUp }, admin)
      const { data: k } = await api.post(`/admin/virtual-goods/agents/${id}/api-keys`, { name: "dujiao", scopes: ["catalog:read", "orders:read", "orders:write"] }, admin)
      expect(k.dujiao_secret).toMatch(/^[0-9a-f]{64}$/)
      const conn: SupplierConnection = {
        supplier_id: "sup_self",
        base_url: `${api.defaults.baseURL}/wholesale/dujiao`,
        credentials: { api_key: `vgk_${k.api_key.prefix}`, api_secret: k.dujiao_secret },
        config: {},
        timeout_ms: 30_000,
        allow_private_addresses: true,
        callback_url: null,
      }
      return { id, key: k.key as string, key_id: k.api_key.id as string, secret: k.dujiao_secret as string, conn }
    }

    /** A request signed by hand (to send what our client never would), with its status and body whatever they are. */
    async function signed(conn: SupplierConnection, method: "GET" | "POST", path: string, body: unknown, options: { ts?: number; secret?: string; signPath?: string } = {}) {
      const raw = body === undefined ? "" : JSON.stringify(body)
      const ts = options.ts ?? Math.floor(Date.now() / 1000)
      const res = await api.request({
        method,
        url: `/wholesale/dujiao${path}`,
        data: raw || undefined,
        transformRequest: [(d: unknown) => d],
        validateStatus: () => true,
        headers: {
          ...(raw ? { "content-type": "application/json" } : {}),
          "dujiao-next-api-key": conn.credentials.api_key,
          "dujiao-next-timestamp": String(ts),
          "dujiao-next-signature": dujiaoSignature(options.secret ?? conn.credentials.api_secret, method, options.signPath ?? path, ts, raw),
        },
      })
      return { status: res.status as number, data: res.data }
    }

    const balance = async (id: string) => (await api.get(`/admin/virtual-goods/agents`, admin)).data.agents.find((a: any) => a.id === id).accounts[0].balance

    it("docks our dujiao-next client to our store: ping, tier-priced products, orders once per order_no with the vault's codes, payment_failed", async () => {
      const store = await createVirtualStore(getContainer(), 10)
      const { variant_id, product_id } = store.products[0]
      const shop = await dockedAgent("100", await tier("DJ", variant_id, 13.5))

      expect(await dujiaoNextAdapter.ping(shop.conn)).toEqual({ ok: true, detail: "Medusa virtual goods, protocol 1.0, balance 100 USD" })
      expect(await dujiaoNextAdapter.balance(shop.conn)).toEqual({ amount: "100", currency_code: "usd" })
      // Ids are numbers, as a stock dujiao-next shop reads them (each given once and kept); ours are accepted too.
      const { data: listed } = await signed(shop.conn, "GET", "/api/v1/upstream/products", undefined)
      const product = listed.items.find((p: any) => p.slug === store.products[0].handle)
      expect([Number.isSafeInteger(product.id), Number.isSafeInteger(product.category_id), Number.isSafeInteger(product.skus[0].id)]).toEqual([true, true, true])
      expect(product.skus).toEqual([
        expect.objectContaining({ id: expect.any(Number), sku_code: expect.any(String), price_amount: "13.50", stock_status: "low_stock", stock_quantity: 10, is_active: true }),
      ])
      const { data: again1 } = await signed(shop.conn, "GET", "/api/v1/upstream/products", undefined)
      expect(again1.items.find((p: any) => p.slug === store.products[0].handle)).toEqual(product)
      const { data: categories } = await signed(shop.conn, "GET", "/api/v1/upstream/categories", undefined)
      expect(categories.categories.map((c: any) => c.id)).toContain(product.category_id)
      expect((await signed(shop.conn, "GET", `/api/v1/upstream/products/${product.id}`, undefined)).data.product).toEqual(product)
      expect((await signed(shop.conn, "GET", `/api/v1/upstream/products/${product_id}`, undefined)).data.product).toEqual(product)
      const upstreamId = `${product.id}:${product.skus[0].id}`
      const products = await dujiaoNextAdapter.listProducts(shop.conn)
      expect(products.find((p) => p.id === upstreamId)).toEqual({
        id: upstreamId,
        name: expect.stringContaining("Youku VIP monthly"),
        kind: "codes",
        unit_cost: "13.5",
        currency_code: "usd",
        stock: 10,
      })

      const input = { order_no: "SO-0001", product_id: upstreamId, quantity: 2, recipient: null, max_unit_cost: null }
      const first = await dujiaoNextAdapter.submitOrder(shop.conn, input)
      expect(first).toEqual(expect.objectContaining({ state: "succeeded", upstream_order_no: expect.stringMatching(/^\d+$/), total_cost: "27" }))
      expect(first.codes).toHaveLength(2)
      // The order by its number: ours as order_no, the lines by their numbers.
      const { data: shown } = await signed(shop.conn, "GET", `/api/v1/upstream/orders/${first.upstream_order_no}`, undefined)
      expect(shown).toEqual(expect.objectContaining({ order_id: Number(first.upstream_order_no), order_no: expect.stringMatching(/^aord_/), status: "completed" }))
      expect(shown.items).toEqual([expect.objectContaining({ product_id: product.id, sku_id: product.skus[0].id, quantity: 2 })])
      // The codes are the vault's for this order, as the wholesale API reveals them.
      const { data: vault } = await api.post(`/wholesale/orders/${shown.order_no}/codes`, {}, asAgent(shop.key))
      expect(first.codes!.map((c) => c.code)).toEqual(vault.order.items[0].codes.map((c: any) => c.code))
      expect(JSON.stringify(first.answer)).not.toContain(first.codes![0].code)
      expect(await balance(shop.id)).toBe("73")

      // The same order number again: the same order and codes, charged once.
      const again = await dujiaoNextAdapter.submitOrder(shop.conn, input)
      expect(again).toEqual(expect.objectContaining({ state: "succeeded", upstream_order_no: first.upstream_order_no, total_cost: "27" }))
      expect(again.codes).toEqual(first.codes)
      expect(await balance(shop.id)).toBe("73")
      expect(await dujiaoNextAdapter.queryOrder(shop.conn, first.upstream_order_no!)).toEqual(expect.objectContaining({ state: "succeeded", codes: first.codes }))
      expect((await dujiaoNextAdapter.queryOrder(shop.conn, "aord_doesnotexist")).state).toBe("not_found")

      // More than balance + credit: HTTP 200, ok false, payment_failed, canceled — failed for our client; nothing charged.
      const tooMuch = { ...input, order_no: "SO-0002", quantity: 6 }
      const refused = await dujiaoNextAdapter.submitOrder(shop.conn, tooMuch)
      expect([refused.state, refused.http_status, refused.reason]).toEqual(["failed", 200, "payment_failed: wallet payment failed: insufficient balance"])
      const raw = await signed(shop.conn, "POST", "/api/v1/upstream/orders", { sku_id: variant_id, quantity: 6, downstream_order_no: "SO-0003" })
      expect(raw).toEqual({
        status: 200,
        data: { ok: false, order_id: null, order_no: null, status: "canceled", error_code: "payment_failed", error_message: "wallet payment failed: insufficient balance" },
      })
      expect(await balance(shop.id)).toBe("73")
      // An unknown SKU — by id or by number — is a definite failure too.
      expect((await dujiaoNextAdapter.submitOrder(shop.conn, { ...input, order_no: "SO-0004", product_id: `${product.id}:variant_nope` })).state).toBe("failed")
      expect((await dujiaoNextAdapter.submitOrder(shop.conn, { ...input, order_no: "SO-0005", product_id: `${product.id}:987654321` })).state).toBe("failed")

      // Paid orders are never canceled (409 cancel_not_allowed), as in dujiao-next.
      expect(await signed(shop.conn, "POST", `/api/v1/upstream/orders/${first.upstream_order_no}/cancel`, undefined)).toEqual({
        status: 409,
        data: { ok: false, error_code: "cancel_not_allowed", error_message: "order cannot be canceled: it is paid" },
      })
      expect(await dujiaoNextAdapter.cancelOrder(shop.conn, first.upstream_order_no!)).toEqual(
        expect.objectContaining({ state: "unknown", http_status: 409, reason: "the supplier cancels only unpaid orders (cancel_not_allowed)" })
      )
    })

    it("refuses bad signatures, old timestamps, missing headers and revoked keys in dujiao-next's envelope; shows the secret again to an admin", async () => {
      const store = await createVirtualStore(getContainer(), 2)
      const shop = await dockedAgent("10", await tier("DJ2", store.products[0].variant_id, 5))

      expect(await signed(shop.conn, "POST", "/api/v1/upstream/ping", undefined, { secret: "0".repeat(64) })).toEqual({
        status: 401,
        data: { ok: false, error_code: "invalid_signature", error_message: "invalid signature" },
      })
      expect(await signed(shop.conn, "POST", "/api/v1/upstream/ping", undefined, { ts: Math.floor(Date.now() / 1000) - 120 })).toEqual({
        status: 401,
        data: { ok: false, error_code: "timestamp_expired", error_message: "timestamp expired" },
      })
      const bare = await api.post(`/wholesale/dujiao/api/v1/upstream/ping`, undefined, { validateStatus: () => true })
      expect([bare.status, bare.data.error_code]).toEqual([401, "missing_auth_headers"])
      // A tampered body does not verify.
      const ts = Math.floor(Date.now() / 1000)
      const tampered = await api.post(`/wholesale/dujiao/api/v1/upstream/orders`, { sku_id: "x", quantity: 2 }, {
        validateStatus: () => true,
        headers: {
          "dujiao-next-api-key": shop.conn.credentials.api_key,
          "dujiao-next-timestamp": String(ts),
          "dujiao-next-signature": dujiaoSignature(shop.secret, "POST", "/api/v1/upstream/orders", ts, JSON.stringify({ sku_id: "x", quantity: 1 })),
        },
      })
      expect([tampered.status, tampered.data.error_code]).toEqual([401, "invalid_signature"])
      // The full path under the mount verifies too (a client that signs the whole path).
      expect((await signed(shop.conn, "POST", "/api/v1/upstream/ping", undefined, { signPath: "/wholesale/dujiao/api/v1/upstream/ping" })).data.ok).toBe(true)

      const { data: shown } = await api.post(`/admin/virtual-goods/agents/${shop.id}/api-keys/${shop.key_id}/dujiao-secret`, {}, admin)
      expect(shown).toEqual(expect.objectContaining({ dujiao_api_key: shop.conn.credentials.api_key, dujiao_secret: shop.secret }))

      await api.delete(`/admin/virtual-goods/agents/${shop.id}/api-keys/${shop.key_id}`, admin)
      expect(await signed(shop.conn, "POST", "/api/v1/upstream/ping", undefined)).toEqual({
        status: 403,
        data: { ok: false, error_code: "invalid_api_key", error_message: "api key is invalid or disabled" },
      })
      expect(await dujiaoNextAdapter.ping(shop.conn)).toEqual({ ok: false, detail: "ping: invalid_api_key: api key is invalid or disabled" })
      const afterRevoke = await dujiaoNextAdapter.submitOrder(shop.conn, {
        order_no: "SO-R",
        product_id: `${store.products[0].product_id}:${store.products[0].variant_id}`,
        quantity: 1,
        recipient: null,
        max_unit_cost: null,
      })
      expect([afterRevoke.state, afterRevoke.http_status]).toEqual(["unknown", 403])
    })

    it("verifyCallback accepts a callback signed with the connection's secret over the fixed path and refuses a bad one", async () => {
      const conn: SupplierConnection = {
        supplier_id: "sup_self",
        base_url: `${api.defaults.baseURL}/wholesale/dujiao`,
        credentials: { api_key: "vgk_0123456789ab", api_secret: "f".repeat(64) },
        config: {},
        timeout_ms: 5000,
        allow_private_addresses: true,
        callback_url: null,
      }
      const body = JSON.stringify({ event: "order.status_changed", order_id: "aord_1", order_no: "aord_1", downstream_order_no: "SO-9", status: "paid", timestamp: 1 })
      const ts = Math.floor(Date.now() / 1000)
      const headers = {
        "dujiao-next-api-key": "vgk_0123456789ab",
        "dujiao-next-timestamp": String(ts),
        "dujiao-next-signature": dujiaoSignature("f".repeat(64), "POST", DUJIAO_CALLBACK_PATH, ts, body),
      }
      expect(dujiaoNextAdapter.verifyCallback(conn, { headers, raw_body: body, query: {} })).toEqual({
        order_no: "SO-9",
        answer: expect.objectContaining({ state: "accepted", upstream_order_no: "aord_1" }),
      })
      expect(() => dujiaoNextAdapter.verifyCallback(conn, { headers: { ...headers, "dujiao-next-signature": "a".repeat(64) }, raw_body: body, query: {} })).toThrow("invalid signature")
    })
  },
})
