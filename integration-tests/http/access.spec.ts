import path from "path"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { Modules } from "@medusajs/framework/utils"
import {
  completeCart,
  firstNotification,
  listRoutes,
  poolCounts,
  prepareCart,
  registerCustomer,
  storeHeaders,
  revealTokenFromNotification,
} from "../helpers"
import { useVirtualStore } from "../helpers/fixtures"

jest.setTimeout(180_000)

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer, dbConnection }) => {
    const { store, admin } = useVirtualStore({ api, getContainer }, { codes: 6 })

    const youku = () => store.products[0]

    /** A logged-in customer buys `quantity` codes; resolves when they are delivered. */
    const buyAsCustomer = async (email: string, quantity = 1) => {
      const { token, customer } = await registerCustomer(api, store, email)
      const cart = await prepareCart(api, store, [{ variant_id: youku().variant_id, quantity }], { email, token })
      const { data } = await completeCart(api, store, cart.id, token)
      const order = data.order
      const { rows } = await dbConnection.raw(`select customer_id from "order" where id = ?`, [order.id])
      expect(rows[0].customer_id).toBe(customer.id)
      order.customer_id = customer.id
      const notification = await firstNotification(getContainer(), order.id)
      return { token, customer, order, notification }
    }

    describe("shopper access", () => {
      it("a customer sees their codes masked and reveals one on purpose; the reveal is audited", async () => {
        const { token, order } = await buyAsCustomer("alice@example.com", 2)
        const headers = { headers: { ...storeHeaders(store, token), "user-agent": "alice-browser/1.0" } }
        const { data: list } = await api.get(`/store/virtual-goods/orders/${order.id}/codes`, headers)
        expect(list.card_codes).toHaveLength(2)
        for (const c of list.card_codes) {
          expect(Object.keys(c).sort()).toEqual(
            ["delivered_at", "expires_at", "has_password", "id", "line_item_id", "mask", "revealed_at", "status"].sort()
          )
          expect(c).toEqual(expect.objectContaining({ status: "delivered", mask: expect.stringMatching(/^\*{4}[0-9A-F]{4}$/), revealed_at: null }))
        }

        const res = await api.post(`/store/virtual-goods/orders/${order.id}/codes/${list.card_codes[0].id}/reveal`, {}, headers)
        expect(res.status).toBe(200)
        expect(res.headers["cache-control"]).toBe("no-store")
        expect(res.data.card_code).toEqual({
          id: list.card_codes[0].id,
          mask: list.card_codes[0].mask,
          code: expect.stringMatching(/^YOUKU-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}$/),
          password: null,
        })
        expect(res.data.card_code.code.endsWith(list.card_codes[0].mask.slice(4))).toBe(true)

        const { data: after } = await api.get(`/store/virtual-goods/orders/${order.id}/codes`, headers)
        expect(after.card_codes.map((c: any) => c.status).sort()).toEqual(["delivered", "revealed"])

        const { data: history } = await api.get(`/admin/virtual-goods/orders/${order.id}/codes`, admin)
        expect(history.reveals).toEqual([
          expect.objectContaining({
            action: "reveal",
            actor_type: "customer",
            actor_id: order.customer_id,
            user_agent: "alice-browser/1.0",
            ip: expect.stringMatching(/127\.0\.0\.1|::1/),
            code_ids: [list.card_codes[0].id],
          }),
        ])
      })

      it("another customer's order is a 404 exactly like a missing one, for listing and for reveal", async () => {
        const { order } = await buyAsCustomer("owner@example.com")
        const { token: mallory } = await registerCustomer(api, store, "mallory@example.com")
        const headers = { headers: storeHeaders(store, mallory) }
        const codes = await dbConnection.raw(`select id from card_code where order_id = ?`, [order.id])
        const codeId = codes.rows[0].id

        const other = await api.get(`/store/virtual-goods/orders/${order.id}/codes`, headers).catch((e: any) => e)
        const missing = await api.get(`/store/virtual-goods/orders/order_missing/codes`, headers).catch((e: any) => e)
        expect(other.response.status).toBe(404)
        expect(missing.response.status).toBe(404)
        expect(other.response.data.message.replace(order.id, "X")).toBe(missing.response.data.message.replace("order_missing", "X"))

        const reveal = await api
          .post(`/store/virtual-goods/orders/${order.id}/codes/${codeId}/reveal`, {}, headers)
          .catch((e: any) => e)
        expect(reveal.response.status).toBe(404)
        // Mallory's own (empty) context cannot reach the code through a wrong order either.
        const { rows } = await dbConnection.raw(`select status, reveal_count from card_code where id = ?`, [codeId])
        expect(rows[0]).toEqual({ status: "delivered", reveal_count: 0 })

        const anonymous = await api.get(`/store/virtual-goods/orders/${order.id}/codes`, { headers: storeHeaders(store) }).catch((e: any) => e)
        expect(anonymous.response.status).toBe(401)
      })

      it("a guest reveals through the signed, limited-use link from the notification", async () => {
        const cart = await prepareCart(api, store, [{ variant_id: youku().variant_id, quantity: 1 }], { email: "guest@example.com" })
        const order = (await completeCart(api, store, cart.id)).data.order
        const notification: any = await firstNotification(getContainer(), order.id)
        const token = revealTokenFromNotification(notification)
        const headers = { headers: storeHeaders(store) }

        const { data: lookup } = await api.post(`/store/virtual-goods/reveal-links/lookup`, { token }, headers)
        expect(lookup).toEqual({
          order_id: order.id,
          uses_left: 5,
          expires_at: notification.data.reveal_link.expires_at,
          card_codes: [expect.objectContaining({ status: "delivered", mask: notification.data.codes[0].mask })],
        })

        const seen = new Set<string>()
        for (let i = 0; i < 5; i++) {
          const { data } = await api.post(`/store/virtual-goods/reveal-links/reveal`, { token }, headers)
          expect(data.uses_left).toBe(4 - i)
          expect(data.card_codes).toHaveLength(1)
          seen.add(data.card_codes[0].code)
        }
        expect(seen.size).toBe(1)

        const used = await api.post(`/store/virtual-goods/reveal-links/reveal`, { token }, headers).catch((e: any) => e)
        const unknown = await api.post(`/store/virtual-goods/reveal-links/reveal`, { token: "x".repeat(43) }, headers).catch((e: any) => e)
        expect(used.response.status).toBe(404)
        expect(unknown.response.status).toBe(404)
        expect(used.response.data).toEqual(unknown.response.data)
        expect(used.response.data.message).toBe("Reveal link is invalid or has expired")

        await dbConnection.raw(`update card_reveal_link set expires_at = now() - interval '1 second', use_count = 0`)
        const expired = await api.post(`/store/virtual-goods/reveal-links/lookup`, { token }, headers).catch((e: any) => e)
        expect(expired.response.status).toBe(404)

        const { rows } = await dbConnection.raw(
          `select count(*)::int as n from card_audit_log where action = 'reveal' and actor_type = 'guest_link' and order_id = ?`,
          [order.id]
        )
        expect(rows[0].n).toBe(5)
      })
    })

    describe("admin API", () => {
      it("every route of the plugin declares who may call it: admin routes need an admin, order and gift routes a customer", async () => {
        // Walks the route files, so a new route is checked without anyone remembering to list it here.
        const routes = listRoutes(path.join(__dirname, "../../src/api"))
        const pk = { headers: storeHeaders(store) }
        const admin = routes.filter((r) => r.path.startsWith("/admin/virtual-goods"))
        expect(admin.length).toBeGreaterThanOrEqual(20)
        for (const { method, path: route } of admin) {
          const err = await (api as any)[method](route, ...(method === "post" ? [{}] : [])).catch((e: any) => e)
          expect([method, route, err.response?.status]).toEqual([method, route, 401])
        }
        const customerOnly = (r: { path: string }) => r.path.startsWith("/store/virtual-goods/orders") || r.path.startsWith("/store/virtual-goods/gifts")
        const customer = routes.filter(customerOnly)
        expect(customer.length).toBeGreaterThanOrEqual(4)
        for (const { method, path: route } of customer) {
          const err = await (api as any)[method](route, ...(method === "post" ? [{}, pk] : [pk])).catch((e: any) => e)
          expect([method, route, err.response?.status]).toEqual([method, route, 401])
        }
        // The wholesale API needs an agent's key; its dujiao-next compatible routes, a request signed with one.
        const wholesale = routes.filter((r) => r.path.startsWith("/wholesale") && !r.path.startsWith("/wholesale/dujiao/"))
        expect(wholesale.length).toBeGreaterThanOrEqual(1)
        for (const { method, path: route } of wholesale) {
          const err = await (api as any)[method](route, ...(method === "post" ? [{}] : [])).catch((e: any) => e)
          expect([method, route, err.response?.status, err.response?.data?.message]).toEqual([method, route, 401, "Invalid, expired or revoked API key"])
        }
        const dujiao = routes.filter((r) => r.path.startsWith("/wholesale/dujiao/"))
        expect(dujiao.length).toBeGreaterThanOrEqual(7)
        for (const { method, path: route } of dujiao) {
          const err = await (api as any)[method](route, ...(method === "post" ? [{}] : [])).catch((e: any) => e)
          expect([method, route, err.response?.status, err.response?.data?.error_code]).toEqual([method, route, 401, "missing_auth_headers"])
        }
        // The only routes without a logged-in actor or a key: the wholesale API's document, the stock of virtual
        // variants (nothing secret), guest links, whose token is the credential, and the guests' order lookup (it
        // answers the same to everyone and mails only the order's own address), and an order's delivery status by its id
        // (what Medusa's own GET /store/orders/:id shows anyone with the id, and less); receipts, whose secret is the
        // credential; a cart's payment hold, a top-up line's recipient and a buyer's pick, whose cart id is the credential
        // as for Medusa's own cart routes; the labels a buyer picks from (what the merchant allows to show, never a code); the recipient fields of a top-up variant (nothing secret); suppliers' callbacks, verified by
        // each supplier's signature.
        expect(
          routes
            .filter((r) => !r.path.startsWith("/admin/virtual-goods") && !customerOnly(r) && !r.path.startsWith("/wholesale"))
            .map((r) => `${r.method} ${r.path}`)
            .sort()
        ).toEqual([
          "get /docs/wholesale-api",
          "get /store/virtual-goods/order-status/id_sample",
          "get /store/virtual-goods/stock",
          "get /store/virtual-goods/topup-fields",
          "get /store/virtual-goods/variants/id_sample/picks",
          "post /store/virtual-goods/carts/id_sample/line-items/line_id_sample/recipient",
          "post /store/virtual-goods/carts/id_sample/payment-hold",
          "post /store/virtual-goods/carts/id_sample/picks",
          "post /store/virtual-goods/carts/id_sample/receipt",
          "post /store/virtual-goods/order-lookup",
          "post /store/virtual-goods/receipts/lookup",
          "post /store/virtual-goods/receipts/reveal",
          "post /store/virtual-goods/reveal-links/lookup",
          "post /store/virtual-goods/reveal-links/reveal",
          "post /suppliers/callbacks/id_sample",
        ])
      })

      it("creates a pool, links it to a variant, imports codes and lists stock by status", async () => {
        const { data: created } = await api.post("/admin/virtual-goods/pools", { name: "Tencent Video quarterly" }, admin)
        expect(created.card_pool).toEqual(
          expect.objectContaining({
            id: expect.stringMatching(/^cpool_/),
            name: "Tencent Video quarterly",
            stock: { available: 0, reserved: 0, delivered: 0, revealed: 0, voided: 0, expired: 0, total: 0 },
          })
        )
        const poolId = created.card_pool.id

        const product = await getContainer().resolve(Modules.PRODUCT).createProducts({
          title: "Tencent Video",
          status: "published",
          options: [{ title: "Plan", values: ["Quarterly"] }],
          variants: [{ title: "Quarterly", sku: "TV-Q", manage_inventory: true, options: { Plan: "Quarterly" } }],
        })
        const variantId = product.variants[0].id
        const taken = await api
          .post(`/admin/virtual-goods/pools/${poolId}/variant`, { variant_id: youku().variant_id, stock_location_id: store.stock_location_id }, admin)
          .catch((e: any) => e)
        expect(taken.response.status).toBe(400)
        expect(taken.response.data.message).toBe(`Variant ${youku().variant_id} is already sold from card pool ${youku().pool_id}`)
        // A variant without an inventory item (nothing to mirror) is linked too: its stock is the vault's, not Medusa's.
        const { data: linked } = await api.post(
          `/admin/virtual-goods/pools/${poolId}/variant`,
          { variant_id: variantId, stock_location_id: store.stock_location_id },
          admin
        )
        expect(linked.card_pool.product_variant.id).toBe(variantId)
        expect((await getContainer().resolve(Modules.PRODUCT).retrieveProductVariant(variantId)).manage_inventory).toBe(false)

        const imported = await api.post(
          `/admin/virtual-goods/pools/${poolId}/imports`,
          {
            supplier: "Shenzhen Cards Ltd",
            cost_per_code: 21.5,
            currency_code: "CNY",
            codes: ["TV-AAAA-0001", { code: "TV-AAAA-0002", password: "8841", expires_at: "2030-01-01T00:00:00Z" }],
          },
          admin
        )
        expect(imported.data).toEqual({
          imported: 2,
          card_batch: expect.objectContaining({
            pool_id: poolId,
            supplier: "Shenzhen Cards Ltd",
            cost_per_code: 21.5,
            currency_code: "cny",
            code_count: 2,
            status: "committed",
          }),
        })

        const { data: pool } = await api.get(`/admin/virtual-goods/pools/${poolId}`, admin)
        expect(pool.card_pool.stock).toEqual(expect.objectContaining({ available: 2, total: 2 }))
        const { data: list } = await api.get(`/admin/virtual-goods/pools?q=tencent`, admin)
        expect(list).toEqual(expect.objectContaining({ count: 1, card_pools: [expect.objectContaining({ id: poolId })] }))
        const { data: batches } = await api.get(`/admin/virtual-goods/pools/${poolId}/batches`, admin)
        expect(batches.card_batches).toHaveLength(1)

        const { data: found } = await api.post(`/admin/virtual-goods/codes/search`, { code: " TV-AAAA-0002 " }, admin)
        expect(found.card_codes).toEqual([expect.objectContaining({ pool_id: poolId, mask: "****0002", has_password: true, status: "available" })])
        expect(JSON.stringify(found)).not.toMatch(/TV-AAAA|ciphertext|blind_index|8841/)
        const { data: none } = await api.post(`/admin/virtual-goods/codes/search`, { code: "TV-AAAA-9999" }, admin)
        expect(none.card_codes).toEqual([])
        const { data: otherPool } = await api.post(`/admin/virtual-goods/codes/search`, { code: "TV-AAAA-0002", pool_id: "cpool_other" }, admin)
        expect(otherPool.card_codes).toEqual([])
        // A code never goes in a URL: the list refuses the old query parameter.
        const inUrl = await api.get(`/admin/virtual-goods/codes?code=TV-AAAA-0002`, admin).catch((e: any) => e.response)
        expect(inUrl.status).toBe(400)
        const { data: byStatus } = await api.get(`/admin/virtual-goods/codes?pool_id=${poolId}&status=available`, admin)
        expect(byStatus.count).toBe(2)
      })

      it("bad import input gets a per-entry report and stores nothing", async () => {
        const before = await poolCounts(dbConnection, youku().pool_id)
        const existing = await dbConnection.raw(`select count(*)::int as n from card_batch`)
        const secret = "LEAKY-SECRET-CODE-123"
        const err = await api
          .post(
            `/admin/virtual-goods/pools/${youku().pool_id}/imports`,
            {
              codes: ["GOOD-CODE-0001", "", secret, secret, { code: "GOOD-CODE-0002", expires_at: "yesterday" }, "BAD\u0000CODE"],
            },
            admin
          )
          .catch((e: any) => e)
        expect(err.response.status).toBe(400)
        expect(err.response.data).toEqual({
          type: "invalid_data",
          message: "Import rejected, nothing stored: 4 of 6 entries are invalid",
          errors: [
            { line: 2, field: "code", message: "is required" },
            { line: 4, field: "code", message: "duplicates line 3" },
            { line: 5, field: "expires_at", message: "is not a valid date (use ISO 8601, e.g. 2027-01-31)" },
            { line: 6, field: "code", message: "contains control characters" },
          ],
        })
        expect(JSON.stringify(err.response.data)).not.toContain(secret)

        await api.post(`/admin/virtual-goods/pools/${youku().pool_id}/imports`, { codes: ["ONCE-0001-AAAA"] }, admin)
        const dup = await api
          .post(`/admin/virtual-goods/pools/${youku().pool_id}/imports`, { codes: ["NEW-0001-AAAA", "ONCE-0001-AAAA"] }, admin)
          .catch((e: any) => e)
        expect(dup.response.data.errors).toEqual([{ line: 2, field: "code", message: "is already in the vault" }])

        const shape = await api
          .post(`/admin/virtual-goods/pools/${youku().pool_id}/imports`, { codes: [], currency_code: "EURO" }, admin)
          .catch((e: any) => e)
        expect(shape.response.status).toBe(400)
        expect(shape.response.data.message).toMatch(/codes/)
        expect(shape.response.data.message).toMatch(/currency_code/)

        const missing = await api.post(`/admin/virtual-goods/pools/cpool_missing/imports`, { codes: ["X-1234-5678"] }, admin).catch((e: any) => e)
        expect(missing.response.status).toBe(404)

        const after = await poolCounts(dbConnection, youku().pool_id)
        expect(after).toEqual({ ...before, available: before.available + 1 })
        const batches = await dbConnection.raw(`select count(*)::int as n from card_batch`)
        expect(batches.rows[0].n).toBe(existing.rows[0].n + 1)
      })

      it("admin reveal needs a reason and is audited; only delivered codes can be revealed", async () => {
        const { order } = await buyAsCustomer("support@example.com")
        const { data } = await api.get(`/admin/virtual-goods/orders/${order.id}/codes`, admin)
        const codeId = data.card_codes[0].id

        const noReason = await api.post(`/admin/virtual-goods/codes/${codeId}/reveal`, {}, admin).catch((e: any) => e)
        expect(noReason.response.status).toBe(400)
        expect(noReason.response.data.message).toMatch(/reason/)

        const res = await api.post(`/admin/virtual-goods/codes/${codeId}/reveal`, { reason: "Customer says the code does not work" }, admin)
        expect(res.data.card_code).toEqual(expect.objectContaining({ id: codeId, code: expect.stringMatching(/^YOUKU-/) }))

        const { data: logs } = await api.get(`/admin/virtual-goods/audit-logs?action=reveal`, admin)
        expect(logs.card_audit_logs).toEqual([
          expect.objectContaining({ actor_type: "user", reason: "Customer says the code does not work", code_ids: [codeId], order_id: order.id }),
        ])

        const { rows } = await dbConnection.raw(`select id from card_code where status = 'available' limit 1`)
        const stock = await api.post(`/admin/virtual-goods/codes/${rows[0].id}/reveal`, { reason: "curious" }, admin).catch((e: any) => e)
        expect(stock.response.status).toBe(404)
      })
    })
  },
})
