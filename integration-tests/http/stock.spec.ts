import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { Modules } from "@medusajs/framework/utils"
import {
  assertVaultInvariants,
  completeCart,
  poolCounts,
  prepareCart,
  waitFor,
  waitForDelivery,
  revealTokenFromNotification,
} from "../helpers"
import { useVirtualStore } from "../helpers/fixtures"
import { checkVirtualGoodsStock } from "../../src/jobs/virtual-goods-stock"

jest.setTimeout(180_000)

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer, dbConnection }) => {
    const IMPORTED = 6
    const { store, admin } = useVirtualStore({ api, getContainer }, { codes: IMPORTED })
    const youku = () => store.products[0]

    const feed = async () =>
      (await getContainer().resolve(Modules.NOTIFICATION).listNotifications({ channel: "feed" }, { order: { created_at: "ASC" } })) as any[]
    const stocked = async () => {
      const [level] = await getContainer()
        .resolve(Modules.INVENTORY)
        .listInventoryLevels({ location_id: store.stock_location_id })
      return Number(level.stocked_quantity)
    }

    describe("POST /admin/virtual-goods/pools/:id", () => {
      it("updates allocation order and alert thresholds, and refuses bad values", async () => {
        const { data } = await api.post(
          `/admin/virtual-goods/pools/${youku().pool_id}`,
          { allocation_order: "expiry_first", low_stock_threshold: 2, expiry_warning_days: 14 },
          admin
        )
        expect(data.card_pool).toEqual(
          expect.objectContaining({ allocation_order: "expiry_first", low_stock_threshold: 2, expiry_warning_days: 14, alerts: [] })
        )
        const bad = await api
          .post(`/admin/virtual-goods/pools/${youku().pool_id}`, { low_stock_threshold: -1, allocation_order: "random" }, admin)
          .catch((e: any) => e)
        expect(bad.response.status).toBe(400)
        expect(bad.response.data.message).toMatch(/allocation_order/)
        expect(bad.response.data.message).toMatch(/low_stock_threshold/)
        const missing = await api.post(`/admin/virtual-goods/pools/cpool_missing`, { name: "x" }, admin).catch((e: any) => e)
        expect(missing.response.status).toBe(404)
      })
    })

    describe("the stock job", () => {
      it("expires codes past their date (never sold), re-mirrors stock, raises alerts once and clears them", async () => {
        const poolId = youku().pool_id
        await api.post(`/admin/virtual-goods/pools/${poolId}`, { low_stock_threshold: 4, expiry_warning_days: 30 }, admin)
        expect(await checkVirtualGoodsStock(getContainer())).toEqual({ expired: 0, raised: [], cleared: [] })

        // Two codes pass their date, two more will in ten days.
        const { rows: ids } = await dbConnection.raw(`select id from card_code where pool_id = ? order by id`, [poolId])
        await dbConnection.raw(`update card_code set expires_at = now() - interval '1 hour' where id in (?, ?)`, [ids[0].id, ids[1].id])
        await dbConnection.raw(`update card_code set expires_at = now() + interval '10 days' where id in (?, ?)`, [ids[2].id, ids[3].id])
        const run = await checkVirtualGoodsStock(getContainer())
        expect(run.expired).toBe(2)
        expect(run.raised.map((a: any) => a.kind).sort()).toEqual(["low_stock", "near_expiry"])
        expect(await poolCounts(dbConnection, poolId)).toEqual(expect.objectContaining({ available: 4, expired: 2 }))
        expect(await stocked()).toBe(4)

        const notes = await feed()
        expect(notes.map((n) => n.data.title).sort()).toEqual(["Codes expiring: Youku VIP monthly", "Low stock: Youku VIP monthly"])
        expect(notes.find((n) => n.data.kind === "low_stock").data).toEqual(
          expect.objectContaining({
            description: "4 code(s) left, at or below the threshold of 4. Import or generate codes.",
            pool_id: poolId,
            details: { available: 4, threshold: 4 },
          })
        )
        expect(notes.every((n) => n.template === "virtual-goods.stock-alert" && n.to === "")).toBe(true)

        // Once per condition: the next runs raise nothing and send nothing.
        expect((await checkVirtualGoodsStock(getContainer())).raised).toEqual([])
        expect(await feed()).toHaveLength(2)
        const { data: pool } = await api.get(`/admin/virtual-goods/pools/${poolId}`, admin)
        expect(pool.card_pool.alerts.map((a: any) => a.kind).sort()).toEqual(["low_stock", "near_expiry"])

        // A buyer gets only codes that have not expired.
        const cart = await prepareCart(api, store, [{ variant_id: youku().variant_id, quantity: 4 }])
        const order = (await completeCart(api, store, cart.id)).data.order
        const delivered = await waitForDelivery(api, getContainer(), admin, order.id, 4)
        expect(delivered.card_codes.map((c: any) => c.id).sort()).toEqual([ids[2].id, ids[3].id, ids[4].id, ids[5].id].sort())

        // Restocked and no code near expiry left: both alerts clear.
        await api.post(`/admin/virtual-goods/pools/${poolId}/imports`, { codes: ["YK-NEW-0001", "YK-NEW-0002", "YK-NEW-0003", "YK-NEW-0004", "YK-NEW-0005"] }, admin)
        const cleared = await checkVirtualGoodsStock(getContainer())
        expect(cleared.cleared).toHaveLength(2)
        const { data: history } = await api.get(`/admin/virtual-goods/alerts?pool_id=${poolId}&status=cleared`, admin)
        expect(history.card_alerts.map((a: any) => a.kind).sort()).toEqual(["low_stock", "near_expiry"])
        const { data: active } = await api.get(`/admin/virtual-goods/alerts?status=active`, admin)
        expect(active.count).toBe(0)
        await assertVaultInvariants(dbConnection, poolId, IMPORTED + 5)
        const { rows: audit } = await dbConnection.raw(`select code_count from card_audit_log where action = 'expire'`)
        expect(audit).toEqual([{ code_count: 2 }])
      })
    })

    describe("POST /admin/virtual-goods/codes/:id/reissue", () => {
      it("voids a bad code, delivers a fresh one to the same order, notifies again and charges the batch", async () => {
        const poolId = youku().pool_id
        const cart = await prepareCart(api, store, [{ variant_id: youku().variant_id, quantity: 2 }])
        const order = (await completeCart(api, store, cart.id)).data.order
        const before = await waitForDelivery(api, getContainer(), admin, order.id, 2)
        const bad = before.card_codes[0]

        const noReason = await api.post(`/admin/virtual-goods/codes/${bad.id}/reissue`, {}, admin).catch((e: any) => e)
        expect(noReason.response.status).toBe(400)

        const { data } = await api.post(`/admin/virtual-goods/codes/${bad.id}/reissue`, { reason: "customer says: already redeemed" }, admin)
        expect(data.voided_card_code).toEqual(
          expect.objectContaining({ id: bad.id, status: "voided", invalid: true, void_reason: "customer says: already redeemed", order_id: order.id })
        )
        expect(data.card_code).toEqual(
          expect.objectContaining({ status: "delivered", order_id: order.id, line_item_id: bad.line_item_id, pool_id: poolId })
        )
        expect(data.card_code.id).not.toBe(bad.id)
        expect(JSON.stringify(data)).not.toMatch(/"code":/)

        const after = (await api.get(`/admin/virtual-goods/orders/${order.id}/codes`, admin)).data
        expect(after.card_codes.filter((c: any) => c.status === "delivered").map((c: any) => c.id).sort()).toEqual(
          [before.card_codes[1].id, data.card_code.id].sort()
        )
        const notes = await waitFor(async () => {
          const list = await getContainer().resolve(Modules.NOTIFICATION).listNotifications({ resource_id: order.id })
          return list.length === 2 ? list : null
        })
        const again = notes.find((n: any) => n.data?.reissued_code_id)!
        expect(again.data).toEqual(
          expect.objectContaining({ reissued_code_id: data.card_code.id, codes: expect.arrayContaining([{ id: data.card_code.id, mask: data.card_code.mask }]) })
        )
        expect((again.data as any).codes.map((c: any) => c.id)).not.toContain(bad.id)
        expect(await stocked()).toBe(IMPORTED - 3)

        const { data: batches } = await api.get(`/admin/virtual-goods/pools/${poolId}/batches`, admin)
        expect(batches.card_batches[0].report).toEqual({
          counts: { available: IMPORTED - 3, reserved: 0, delivered: 2, revealed: 0, voided: 1, expired: 0 },
          sold: 2,
          invalid: 1,
          disputed: 0,
          currency_code: "usd",
          cost_total: "63",
          cost_sold: "21",
          cost_invalid: "10.5",
        })
        const twice = await api.post(`/admin/virtual-goods/codes/${bad.id}/reissue`, { reason: "again please" }, admin).catch((e: any) => e)
        expect(twice.response.status).toBe(400)
        expect(twice.response.data.message).toBe(`Card code ${bad.id} is voided: only a delivered or revealed code can be voided and reissued`)
        const { data: log } = await api.get(`/admin/virtual-goods/audit-logs?action=reissue&order_id=${order.id}`, admin)
        expect(log.card_audit_logs).toEqual([
          expect.objectContaining({ reason: "customer says: already redeemed", actor_type: "user", code_ids: [bad.id, data.card_code.id] }),
        ])
        await assertVaultInvariants(dbConnection, poolId, IMPORTED)
      })

      it("with the pool empty nothing is voided and the admin is told to restock", async () => {
        const cart = await prepareCart(api, store, [{ variant_id: youku().variant_id, quantity: IMPORTED }])
        const order = (await completeCart(api, store, cart.id)).data.order
        const { card_codes } = await waitForDelivery(api, getContainer(), admin, order.id, IMPORTED)
        const err = await api.post(`/admin/virtual-goods/codes/${card_codes[0].id}/reissue`, { reason: "does not work" }, admin).catch((e: any) => e)
        expect(err.response.status).toBe(400)
        expect(err.response.data.message).toBe(
          `Out of stock: pool ${youku().pool_id} has no code to reissue; nothing was voided. Restock the pool and try again.`
        )
        expect(await poolCounts(dbConnection, youku().pool_id)).toEqual(expect.objectContaining({ delivered: IMPORTED, voided: 0 }))
      })
    })

    describe("POST /admin/virtual-goods/orders/:id/resend", () => {
      it("sends the delivery notification again once per request, audited, with masks and a fresh link only", async () => {
        const cart = await prepareCart(api, store, [{ variant_id: youku().variant_id, quantity: 1 }], { email: "resend@example.com" })
        const order = (await completeCart(api, store, cart.id)).data.order
        const delivered = await waitForDelivery(api, getContainer(), admin, order.id, 1)
        const notifications = () => getContainer().resolve(Modules.NOTIFICATION).listNotifications({ resource_id: order.id }, { order: { created_at: "ASC" } })
        await waitFor(async () => (await notifications()).length === 1)

        const first = await api.post(`/admin/virtual-goods/orders/${order.id}/resend`, { reason: "customer lost the email" }, admin)
        expect(first.status).toBe(200)
        expect(first.data).toEqual({ notification_id: expect.stringMatching(/^noti_/), sent: true })
        const second = await api.post(`/admin/virtual-goods/orders/${order.id}/resend`, {}, admin)
        expect(second.data.notification_id).not.toBe(first.data.notification_id)

        const notes: any[] = await notifications()
        expect(notes).toHaveLength(3)
        const resent = notes.filter((n) => n.data?.resent)
        expect(resent.map((n) => n.id).sort()).toEqual([first.data.notification_id, second.data.notification_id].sort())
        for (const n of resent) {
          expect(n).toEqual(expect.objectContaining({ to: "resend@example.com", template: notes[0].template }))
          expect(n.data.codes).toEqual([{ id: delivered.card_codes[0].id, mask: delivered.card_codes[0].mask }])
          expect(n.data.reveal_link.id).not.toBe(notes[0].data.reveal_link.id)
          expect(revealTokenFromNotification(n)).not.toBe(revealTokenFromNotification(notes[0]))
        }
        const { data: log } = await api.get(`/admin/virtual-goods/audit-logs?action=resend&order_id=${order.id}`, admin)
        expect(log.card_audit_logs).toEqual([
          expect.objectContaining({ code_ids: [delivered.card_codes[0].id], reason: null, actor_type: "user" }),
          expect.objectContaining({ code_ids: [delivered.card_codes[0].id], reason: "customer lost the email", actor_type: "user" }),
        ])
      })

      it("refuses an order without delivered codes and an unknown order, sending nothing", async () => {
        const poolId = youku().pool_id
        // An order whose codes went back (refunded): nothing to send.
        const cart = await prepareCart(api, store, [{ variant_id: youku().variant_id, quantity: 1 }])
        const order = (await completeCart(api, store, cart.id)).data.order
        await waitForDelivery(api, getContainer(), admin, order.id, 1)
        await dbConnection.raw(`update card_code set status = 'available', order_id = null, line_item_id = null, cart_id = null where order_id = ?`, [order.id])
        const err = await api.post(`/admin/virtual-goods/orders/${order.id}/resend`, {}, admin).catch((e: any) => e.response)
        expect(err.status).toBe(400)
        expect(err.data.message).toBe(`Order ${order.id} has no delivered codes: there is no delivery notification to send again`)
        const unknown = await api.post(`/admin/virtual-goods/orders/order_missing/resend`, {}, admin).catch((e: any) => e.response)
        expect(unknown.status).toBe(404)
        const { data: log } = await api.get(`/admin/virtual-goods/audit-logs?action=resend`, admin)
        expect(log.card_audit_logs).toEqual([])
        await assertVaultInvariants(dbConnection, poolId, IMPORTED)
      })
    })

    describe("GET /admin/virtual-goods/audit-logs", () => {
      it("filters by time and explains a bad date", async () => {
        const cart = await prepareCart(api, store, [{ variant_id: youku().variant_id, quantity: 1 }])
        const order = (await completeCart(api, store, cart.id)).data.order
        await waitForDelivery(api, getContainer(), admin, order.id, 1)
        const { data: all } = await api.get(`/admin/virtual-goods/audit-logs?order_id=${order.id}`, admin)
        expect(all.count).toBeGreaterThan(0)
        const now = new Date(Date.now() + 1000).toISOString()
        const { data: before } = await api.get(`/admin/virtual-goods/audit-logs?order_id=${order.id}&created_before=${now}`, admin)
        expect(before.count).toBe(all.count)
        const { data: after } = await api.get(`/admin/virtual-goods/audit-logs?order_id=${order.id}&created_after=${now}`, admin)
        expect(after.count).toBe(0)
        const oldest = all.card_audit_logs[all.card_audit_logs.length - 1].created_at
        const { data: fromOldest } = await api.get(`/admin/virtual-goods/audit-logs?order_id=${order.id}&created_after=${encodeURIComponent(oldest)}`, admin)
        expect(fromOldest.count).toBe(all.count)
        const bad = await api.get(`/admin/virtual-goods/audit-logs?created_after=yesterday`, admin).catch((e: any) => e.response)
        expect(bad.status).toBe(400)
        expect(bad.data.message).toContain("created_after must be an ISO date or date-time")
      })
    })

    describe("GET /admin/virtual-goods/products/:id/pools", () => {
      it("lists a product's variants with the pool each sells from, its stock and alerts; 404 for an unknown product", async () => {
        const { data } = await api.get(`/admin/virtual-goods/products/${youku().product_id}/pools`, admin)
        expect(data).toEqual({
          variants: [
            {
              id: youku().variant_id,
              title: expect.any(String),
              sku: expect.any(String),
              card_pool: {
                id: youku().pool_id,
                name: expect.any(String),
                stock: expect.objectContaining({ available: IMPORTED, reserved: 0, delivered: 0, total: IMPORTED }),
                alerts: [],
              },
              // Sold from a pool, not as a bundle.
              card_bundle: null,
            },
          ],
        })
        const missing = await api.get(`/admin/virtual-goods/products/prod_missing/pools`, admin).catch((e: any) => e.response)
        expect(missing.status).toBe(404)
        expect(missing.data.message).toBe("Product with id: prod_missing was not found")
      })
    })

    describe("GET /admin/virtual-goods/reports/sales", () => {
      it("reports codes sold, voided as invalid, revenue, cost and margin by day, pool and batch, and the stock outlook", async () => {
        const cart = await prepareCart(api, store, [{ variant_id: youku().variant_id, quantity: 2 }])
        const order = (await completeCart(api, store, cart.id)).data.order
        const delivered = await waitForDelivery(api, getContainer(), admin, order.id, 2)
        await api.post(`/admin/virtual-goods/codes/${delivered.card_codes[0].id}/reissue`, { reason: "already redeemed" }, admin)
        const today = new Date().toISOString().slice(0, 10)

        const { data } = await api.get(`/admin/virtual-goods/reports/sales?from=${today}&to=${today}`, admin)
        const money = { revenue: { usd: "30" }, cost: { usd: "31.5" }, margin: { usd: "-1.5" } }
        expect(data.from).toBe(today)
        expect(data.to).toBe(today)
        expect(data.days).toEqual([{ day: today, sold: 2, invalid: 1, sold_by_pool: { [youku().pool_id]: 2 }, ...money }])
        expect(data.pools).toEqual([{ pool_id: youku().pool_id, name: "Youku VIP monthly", sold: 2, invalid: 1, ...money }])
        expect(data.batches).toEqual([
          expect.objectContaining({ pool_id: youku().pool_id, pool_name: "Youku VIP monthly", sold: 2, invalid: 1, ...money }),
        ])
        expect(data.outlook).toEqual(
          expect.arrayContaining([
            // 2 sold in the last 7 days (the voided one no longer counts): 2/7 a day, IMPORTED - 3 left.
            { pool_id: youku().pool_id, name: "Youku VIP monthly", available: IMPORTED - 3, sold_last_7_days: 2, per_day: 0.29, days_left: Math.floor((IMPORTED - 3) / (2 / 7)) },
          ])
        )

        const { data: earlier } = await api.get(`/admin/virtual-goods/reports/sales?from=2020-01-01&to=2020-01-03`, admin)
        expect(earlier.days).toEqual([
          { day: "2020-01-01", sold: 0, invalid: 0, sold_by_pool: {}, revenue: {}, cost: {}, margin: {} },
          { day: "2020-01-02", sold: 0, invalid: 0, sold_by_pool: {}, revenue: {}, cost: {}, margin: {} },
          { day: "2020-01-03", sold: 0, invalid: 0, sold_by_pool: {}, revenue: {}, cost: {}, margin: {} },
        ])
        expect(earlier.pools).toEqual([])
      })

      it("explains a bad period", async () => {
        const cases: [string, string][] = [
          ["from=2026-02-01&to=2026-01-01", "from must not be after to"],
          ["from=2020-01-01&to=2026-01-01", "the period may span at most 366 days"],
          ["from=01/02/2026", "from must be a day as YYYY-MM-DD"],
          ["to=2026-02-31x", "to must be a day as YYYY-MM-DD"],
        ]
        for (const [qs, message] of cases) {
          const err = await api.get(`/admin/virtual-goods/reports/sales?${qs}`, admin).catch((e: any) => e.response)
          expect(err.status).toBe(400)
          expect(err.data.message).toContain(message)
        }
      })
    })

    describe("DELETE /admin/virtual-goods/pools/:id/variant", () => {
      it("unlinks a pool (the variant's stock drops to 0), refuses while checkouts hold codes, and can link again", async () => {
        const poolId = youku().pool_id
        const [one] = (await dbConnection.raw(`select id from card_code where pool_id = ? limit 1`, [poolId])).rows
        await dbConnection.raw(`update card_code set status = 'reserved', cart_id = 'cart_in_flight', reserved_at = now() where id = ?`, [one.id])
        const busy = await api.delete(`/admin/virtual-goods/pools/${poolId}/variant`, admin).catch((e: any) => e.response)
        expect(busy.status).toBe(400)
        expect(busy.data.message).toBe(
          `Card pool ${poolId} has 1 codes reserved by checkouts in progress: unlink it once they are completed or released (the sweep job releases abandoned ones)`
        )
        await dbConnection.raw(`update card_code set status = 'available', cart_id = null, reserved_at = null where id = ?`, [one.id])

        const { data } = await api.delete(`/admin/virtual-goods/pools/${poolId}/variant`, admin)
        expect(data.card_pool.product_variant).toBeFalsy()
        expect(await stocked()).toBe(0)
        const { data: product } = await api.get(`/admin/virtual-goods/products/${youku().product_id}/pools`, admin)
        expect(product.variants[0].card_pool).toBeNull()
        const again = await api.delete(`/admin/virtual-goods/pools/${poolId}/variant`, admin).catch((e: any) => e.response)
        expect(again.status).toBe(400)
        expect(again.data.message).toBe(`Card pool ${poolId} is not linked to a product variant`)

        const { data: relinked } = await api.post(
          `/admin/virtual-goods/pools/${poolId}/variant`,
          { variant_id: youku().variant_id, stock_location_id: store.stock_location_id },
          admin
        )
        expect(relinked.card_pool.product_variant.id).toBe(youku().variant_id)
        expect(await stocked()).toBe(IMPORTED)
        await assertVaultInvariants(dbConnection, poolId, IMPORTED)
      })
    })

    describe("GET /admin/virtual-goods/keys", () => {
      it("shows the primary key and how many codes each key version seals", async () => {
        const { data } = await api.get(`/admin/virtual-goods/keys`, admin)
        expect(data).toEqual({
          primary_key_version: 1,
          key_versions: [{ version: 1, codes: IMPORTED, in_keyring: true, primary: true }],
        })
      })
    })
  },
})
