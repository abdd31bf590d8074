import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { recordPendingAgentOrders } from "../../src/jobs/agent-order-bookkeeping"
import { asAgent, completeCart, createAdminHeaders, createAgentWithKey, createTier, poolCounts, prepareCart, settle, storeHeaders, waitFor } from "../helpers"
import { liftedRateLimits, useEnv } from "../helpers/env"
import { useVirtualStore } from "../helpers/fixtures"

jest.setTimeout(300_000)
useEnv({ VIRTUAL_GOODS_RATE_LIMITS: liftedRateLimits("wholesale") })

/**
 * Bundles (组合商品): a variant whose line delivers codes from several pools — composed on the variant, reserved all
 * or nothing at checkout and for wholesale orders (also when carts race for the last component), delivered together
 * in one notification, refunded one component at a time, and shown to the storefront as whole bundles.
 */
medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer, dbConnection }) => {
    // "Youku VIP monthly" (15, 12 codes) and "Game points 100" (10, none yet).
    const { store, admin } = useVirtualStore({ api, getContainer }, { codes: 12 })
    const youku = () => store.products[0]
    const points = () => store.products[1]
    let bundleVariant = ""
    let bundleProduct = ""

    /** Imports `n` codes into the game points pool (prefix makes them unique per call). */
    const importPoints = async (n: number, prefix: string) => {
      const codes = Array.from({ length: n }, (_, i) => `${prefix}-${String(i).padStart(4, "0")}-PTS`)
      await api.post(`/admin/virtual-goods/pools/${points().pool_id}/imports`, { codes, cost_per_code: 6, currency_code: "usd", supplier: "Points Co" }, admin)
    }
    const compose = (body: unknown) => settle(api.post(`/admin/virtual-goods/variants/${bundleVariant}/bundle`, body, admin))
    /** One Youku code and two game-points codes per bundle; Youku is 60% of the price. */
    const standard = () => ({
      name: "追剧达人包",
      components: [
        { pool_id: youku().pool_id, quantity: 1, share: 6000 },
        { pool_id: points().pool_id, quantity: 2, share: 4000 },
      ],
    })
    const codesOf = async (orderId: string) =>
      (await dbConnection.raw(`select id, pool_id, line_item_id, status from card_code where order_id = ? order by pool_id, id`, [orderId])).rows as {
        id: string
        pool_id: string
        line_item_id: string
        status: string
      }[]
    const moneyOf = async (orderId: string) => {
      const { data } = await getContainer().resolve(ContainerRegistrationKeys.QUERY).graph({
        entity: "order",
        fields: ["id", "payment_collections.payments.amount", "payment_collections.payments.refunds.amount", "payment_collections.payments.refunds.note"],
        filters: { id: orderId },
      })
      const payments = (data[0] as any).payment_collections.flatMap((pc: any) => pc.payments)
      return {
        paid: payments.reduce((s: number, p: any) => s + Number(p.amount), 0),
        refunds: payments.flatMap((p: any) => (p.refunds ?? []).map((r: any) => ({ amount: Number(r.amount), note: r.note }))),
      }
    }
    const buyBundles = async (quantity: number, email: string) => {
      const cart = await prepareCart(api, store, [{ variant_id: bundleVariant, quantity }], { email })
      return settle(completeCart(api, store, cart.id))
    }
    /** The conservation invariant of a pool: every imported code is in exactly one state, none sold without an order. */
    const conserved = async (poolId: string) => {
      const c = await poolCounts(dbConnection, poolId)
      const { rows } = await dbConnection.raw(`select coalesce(sum(code_count), 0)::int as n from card_batch where pool_id = ?`, [poolId])
      expect(Object.values(c).reduce((a, b) => a + b, 0)).toBe(rows[0].n)
      const { rows: twice } = await dbConnection.raw(
        `select count(*)::int as n from card_audit_log a, jsonb_array_elements_text(a.code_ids) c(id)
          where a.action = 'deliver' and a.order_id like 'order_%' group by c.id having count(distinct a.order_id) > 1`
      )
      expect(twice).toEqual([])
      return c
    }

    // A published product whose one variant becomes the bundle (created before the runner's snapshot: every test has it).
    beforeAll(async () => {
      const { headers } = await createAdminHeaders(getContainer(), "bundle-setup@test.dev")
      const { data } = await api.post(
        `/admin/products`,
        {
          title: "追剧达人包",
          status: "published",
          options: [{ title: "Plan", values: ["Quarter"] }],
          variants: [{ title: "Youku + points", sku: "BUNDLE-1", manage_inventory: true, options: { Plan: "Quarter" }, prices: [{ amount: 20, currency_code: "usd" }] }],
          sales_channels: [{ id: store.sales_channel_id }],
        },
        { headers }
      )
      bundleProduct = data.product.id
      bundleVariant = data.product.variants[0].id
    })

    it("composes a bundle on a variant: bad input is a 400 naming the field; stock is whole bundles", async () => {
      const refusals: [unknown, number, string | RegExp][] = [
        [{ name: "x", components: [] }, 400, /components/],
        [{ name: "x", components: [{ pool_id: youku().pool_id, quantity: 1 }] }, 400, "components: one code of one pool is not a bundle; link the pool to the variant instead"],
        [{ name: "x", components: [{ pool_id: youku().pool_id, quantity: 1 }, { pool_id: youku().pool_id, quantity: 2 }] }, 400, `components[1].pool_id: pool ${youku().pool_id} is already a component`],
        [{ name: "x", components: [{ pool_id: "cpool_missing", quantity: 1 }, { pool_id: youku().pool_id, quantity: 1 }] }, 400, "components[0].pool_id: card pool cpool_missing was not found"],
        [{ name: "x", components: [{ pool_id: youku().pool_id, quantity: 1, share: 5000 }, { pool_id: points().pool_id, quantity: 1 }] }, 400, "components: give every component a share, or none (then the price is split by quantity)"],
        [{ name: "x", components: [{ pool_id: youku().pool_id, quantity: 1, share: 5000 }, { pool_id: points().pool_id, quantity: 1, share: 4000 }] }, 400, "components: the shares add up to 9000, not 10000"],
        [{ name: "x", components: [{ pool_id: youku().pool_id, quantity: 0 }, { pool_id: points().pool_id, quantity: 1 }] }, 400, /quantity/],
        [{ name: " ", components: standard().components }, 400, /name/],
      ]
      for (const [body, status, message] of refusals) {
        const res = await compose(body)
        expect([res.status, body]).toEqual([status, body])
        if (typeof message === "string") expect(res.data.message).toBe(message)
        else expect(res.data.message).toMatch(message)
      }
      // Nothing was stored by the refusals.
      expect((await api.get(`/admin/virtual-goods/variants/${bundleVariant}/bundle`, admin)).data).toEqual({ bundle: null })
      // A variant sold from a pool is not a bundle; an unknown variant is a 404.
      const pooled = await settle(api.post(`/admin/virtual-goods/variants/${youku().variant_id}/bundle`, standard(), admin))
      expect([pooled.status, pooled.data.message]).toEqual([400, `Variant ${youku().variant_id} is sold from card pool ${youku().pool_id}: unlink it first`])
      const unknown = await settle(api.post(`/admin/virtual-goods/variants/variant_missing/bundle`, standard(), admin))
      expect([unknown.status, unknown.data.message]).toEqual([404, "Product variant with id: variant_missing was not found"])

      await importPoints(5, "COMPOSE")
      const { data } = await api.post(`/admin/virtual-goods/variants/${bundleVariant}/bundle`, standard(), admin)
      expect(data.bundle).toEqual({
        id: expect.stringMatching(/^cbndl_/),
        name: "追剧达人包",
        // 12 Youku codes, 5 points codes: 2 whole bundles (the points run out first).
        available: 2,
        components: [
          { pool_id: youku().pool_id, pool_name: "Youku VIP monthly", quantity: 1, share: 6000, available: 12 },
          { pool_id: points().pool_id, pool_name: "Game points 100", quantity: 2, share: 4000, available: 5 },
        ],
      })
      // Its stock is the vault's: not managed by Medusa's inventory.
      expect((await getContainer().resolve(Modules.PRODUCT).retrieveProductVariant(bundleVariant)).manage_inventory).toBe(false)
      // The product page's widget sees it; a pool cannot be linked to it as well.
      const { data: page } = await api.get(`/admin/virtual-goods/products/${bundleProduct}/pools`, admin)
      expect(page.variants).toEqual([expect.objectContaining({ id: bundleVariant, card_pool: null, card_bundle: expect.objectContaining({ id: data.bundle.id, available: 2 }) })])
      const { data: spare } = await api.post(`/admin/virtual-goods/pools`, { name: "Spare pool" }, admin)
      const link = await settle(api.post(`/admin/virtual-goods/pools/${spare.card_pool.id}/variant`, { variant_id: bundleVariant, stock_location_id: store.stock_location_id }, admin))
      expect([link.status, link.data.message]).toEqual([400, `Variant ${bundleVariant} sells bundle ${data.bundle.id}: remove the bundle first`])
      // The storefront: whole bundles.
      const { data: stock } = await api.get(`/store/virtual-goods/stock?variant_id=${bundleVariant}&variant_id=${youku().variant_id}`, { headers: storeHeaders(store) })
      expect(stock.stock).toEqual(
        expect.arrayContaining([
          { variant_id: bundleVariant, available: 2, sold_out: false, pass_through: false, bundle: true },
          expect.objectContaining({ variant_id: youku().variant_id, available: 12 }),
        ])
      )
      // Shares split by quantity when none are given; the bundle is replaced as a whole.
      const { data: split } = await api.post(
        `/admin/virtual-goods/variants/${bundleVariant}/bundle`,
        { name: "Trio", components: [{ pool_id: youku().pool_id, quantity: 1 }, { pool_id: points().pool_id, quantity: 2 }] },
        admin
      )
      expect(split.bundle).toEqual(expect.objectContaining({ id: data.bundle.id, name: "Trio" }))
      expect(split.bundle.components.map((c: any) => [c.quantity, c.share])).toEqual([[1, 3334], [2, 6666]])
      // Removed: the variant is no bundle any more.
      expect((await api.delete(`/admin/virtual-goods/variants/${bundleVariant}/bundle`, admin)).data).toEqual({ id: data.bundle.id, object: "card_bundle", deleted: true })
      expect((await api.get(`/admin/virtual-goods/variants/${bundleVariant}/bundle`, admin)).data).toEqual({ bundle: null })
      // Its stock is Medusa's inventory's again: not sold with nothing to deliver.
      expect((await getContainer().resolve(Modules.PRODUCT).retrieveProductVariant(bundleVariant)).manage_inventory).toBe(true)
      const again = await settle(api.delete(`/admin/virtual-goods/variants/${bundleVariant}/bundle`, admin))
      expect([again.status, again.data.message]).toEqual([404, `Variant ${bundleVariant} does not sell a bundle`])
    })

    it("checkout reserves every component or nothing; one line gets all the codes, in one email and one fulfillment", async () => {
      await importPoints(3, "CHECKOUT")
      await api.post(`/admin/virtual-goods/variants/${bundleVariant}/bundle`, standard(), admin)
      const bought = await buyBundles(1, "fan@example.com")
      expect(bought.status).toBe(200)
      const order = bought.data.order
      const lineId = order.items[0].id
      const codes = await waitFor(async () => {
        const rows = await codesOf(order.id)
        return rows.length === 3 ? rows : null
      })
      expect(codes.map((c) => [c.pool_id, c.line_item_id, c.status])).toEqual(
        [
          [youku().pool_id, lineId, "delivered"],
          [points().pool_id, lineId, "delivered"],
          [points().pool_id, lineId, "delivered"],
        ].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      )
      // One email listing the three codes (masked), one digital fulfillment of the line (quantity 1).
      const mails = await waitFor(async () => {
        const list = await getContainer().resolve(Modules.NOTIFICATION).listNotifications({ resource_id: order.id, template: "virtual-goods.codes-delivered" })
        return list.length ? list : null
      })
      expect(mails).toHaveLength(1)
      expect((mails[0].data as any).codes).toHaveLength(3)
      const { data: adminOrder } = await waitFor(async () => {
        const res = await api.get(`/admin/orders/${order.id}?fields=id,fulfillment_status,*fulfillments,*fulfillments.items`, admin)
        return res.data.order.fulfillment_status === "delivered" ? res : null
      })
      expect(adminOrder.order.fulfillments).toHaveLength(1)
      expect(adminOrder.order.fulfillments[0].items.map((i: any) => [i.line_item_id, i.quantity])).toEqual([[lineId, 1]])

      // One points code left: a second bundle needs two — refused, and no Youku code is held for it.
      const short = await buyBundles(1, "late@example.com")
      expect(short.status).toBe(400)
      expect(short.data.message).toBe(`Out of stock: ${points().pool_id} (requested 2, available 1)`)
      expect(await poolCounts(dbConnection, youku().pool_id)).toEqual(expect.objectContaining({ available: 11, reserved: 0, delivered: 1 }))
      expect(await poolCounts(dbConnection, points().pool_id)).toEqual(expect.objectContaining({ available: 1, reserved: 0, delivered: 2 }))
      await conserved(youku().pool_id)
      await conserved(points().pool_id)

      // The margin report: each component brings in its share of the 20 (60 % / 40 %), against its own codes' cost.
      const { data: sales } = await api.get(`/admin/virtual-goods/reports/sales`, admin)
      const byPool = Object.fromEntries(sales.pools.map((p: any) => [p.pool_id, p]))
      expect(byPool[youku().pool_id]).toEqual(expect.objectContaining({ sold: 1, revenue: { usd: "12" }, cost: { usd: "10.5" }, margin: { usd: "1.5" } }))
      expect(byPool[points().pool_id]).toEqual(expect.objectContaining({ sold: 2, revenue: { usd: "8" }, cost: { usd: "12" }, margin: { usd: "-4" } }))
    })

    it("carts racing for the last component: exactly as many bundles as the scarcest pool allows, nothing half-reserved", async () => {
      // Four points codes = two bundles; twelve Youku codes would make twelve.
      await importPoints(4, "RACE")
      await api.post(`/admin/virtual-goods/variants/${bundleVariant}/bundle`, standard(), admin)
      const carts = await Promise.all(Array.from({ length: 8 }, (_, i) => prepareCart(api, store, [{ variant_id: bundleVariant, quantity: 1 }], { email: `racer${i}@example.com` })))
      const results = await Promise.all(carts.map((c) => settle(completeCart(api, store, c.id))))
      const won = results.filter((r) => r.status === 200)
      const lost = results.filter((r) => r.status !== 200)
      expect(won).toHaveLength(2)
      expect(lost.map((r) => r.status)).toEqual(Array(6).fill(400))
      for (const r of lost) expect(r.data.message).toMatch(new RegExp(`^Out of stock: ${points().pool_id} \\(requested 2, available [01]\\)$`))
      await waitFor(async () => {
        const all = await Promise.all(won.map((r) => codesOf(r.data.order.id)))
        return all.every((rows) => rows.length === 3 && rows.every((c) => c.status === "delivered")) ? all : null
      })
      // Each winner has one Youku code and two points codes; no losing cart holds anything.
      for (const r of won) {
        const rows = await codesOf(r.data.order.id)
        expect(rows.filter((c) => c.pool_id === youku().pool_id)).toHaveLength(1)
        expect(rows.filter((c) => c.pool_id === points().pool_id)).toHaveLength(2)
      }
      expect(await conserved(youku().pool_id)).toEqual(expect.objectContaining({ available: 10, reserved: 0, delivered: 2 }))
      expect(await conserved(points().pool_id)).toEqual(expect.objectContaining({ available: 0, reserved: 0, delivered: 4 }))
    })

    it("refunds one component: its codes back (unrevealed to stock, revealed voided), its share of the money, once", async () => {
      await importPoints(2, "REFUND")
      await api.post(`/admin/virtual-goods/variants/${bundleVariant}/bundle`, standard(), admin)
      const bought = await buyBundles(1, "refund@example.com")
      const order = bought.data.order
      const lineId = order.items[0].id
      const codes = await waitFor(async () => {
        const rows = await codesOf(order.id)
        return rows.length === 3 && rows.every((c) => c.status === "delivered") ? rows : null
      })
      // The shopper opened one of the two points codes.
      const opened = codes.find((c) => c.pool_id === points().pool_id)!
      await api.post(`/admin/virtual-goods/codes/${opened.id}/reveal`, { reason: "shown to the customer on the phone" }, admin)

      const bad: [unknown, number, string | RegExp][] = [
        [{ line_item_id: lineId, pool_id: "cpool_other", reason: "x" }, 400, `pool_id: pool cpool_other is not a component of the bundle on line ${lineId}`],
        [{ line_item_id: "ordli_missing", pool_id: points().pool_id, reason: "x" }, 400, `line_item_id: order ${order.id} has no line ordli_missing`],
        [{ line_item_id: lineId, pool_id: points().pool_id }, 400, /reason/],
      ]
      for (const [body, status, message] of bad) {
        const res = await settle(api.post(`/admin/virtual-goods/orders/${order.id}/bundle-refunds`, body, admin))
        expect([res.status, body]).toEqual([status, body])
        if (typeof message === "string") expect(res.data.message).toBe(message)
        else expect(res.data.message).toMatch(message)
      }

      const { data } = await api.post(`/admin/virtual-goods/orders/${order.id}/bundle-refunds`, { line_item_id: lineId, pool_id: points().pool_id, reason: "points would not credit" }, admin)
      expect(data.bundle_refund).toEqual(
        expect.objectContaining({
          id: expect.stringMatching(/^cbref_/),
          order_id: order.id,
          line_item_id: lineId,
          pool_id: points().pool_id,
          amount: 8,
          currency_code: "usd",
          status: "refunded",
          restocked: 1,
          voided: 1,
          reason: "points would not credit",
        })
      )
      // Money: 20 paid = 8 given back for the points + 12 (the Youku code's share) delivered.
      expect(await moneyOf(order.id)).toEqual({ paid: 20, refunds: [{ amount: 8, note: `Bundle component refunded (${data.bundle_refund.id})` }] })
      // Codes: the Youku code stays the customer's; the unopened points code is for sale again, the opened one void.
      const after = await codesOf(order.id)
      const kept = codes.find((c) => c.pool_id === youku().pool_id)!
      expect(after.map((c) => [c.id, c.status]).sort()).toEqual([[kept.id, "delivered"], [opened.id, "voided"]].sort())
      const { rows: pts } = await dbConnection.raw(`select id, status, order_id from card_code where id = any(?) order by id`, [codes.filter((c) => c.pool_id === points().pool_id).map((c) => c.id)])
      expect(pts.map((c: any) => [c.id === opened.id, c.status, c.order_id])).toEqual(
        expect.arrayContaining([
          [true, "voided", order.id],
          [false, "available", null],
        ])
      )
      // Once: a second request refunds nothing.
      const twice = await settle(api.post(`/admin/virtual-goods/orders/${order.id}/bundle-refunds`, { line_item_id: lineId, pool_id: points().pool_id, reason: "again" }, admin))
      expect([twice.status, twice.data.message]).toEqual([400, `Component ${points().pool_id} of line ${lineId} was already refunded`])
      expect((await moneyOf(order.id)).refunds).toHaveLength(1)
      expect((await api.get(`/admin/virtual-goods/orders/${order.id}/bundle-refunds`, admin)).data.bundle_refunds).toHaveLength(1)
      expect(await conserved(points().pool_id)).toEqual(expect.objectContaining({ available: 1, voided: 1, delivered: 0, revealed: 0 }))
    })

    it("a wholesale order of bundles claims every component or nothing, and its Medusa order's line holds them all", async () => {
      await importPoints(4, "AGENT")
      await api.post(`/admin/virtual-goods/variants/${bundleVariant}/bundle`, standard(), admin)
      const shop = await createAgentWithKey(api, admin, { name: "Bundle shop", customer_group_id: await createTier(getContainer(), "BT", bundleVariant, 16) }, { topUp: "200" })
      // The catalog offers the bundle at the agent's price, counted in whole bundles (4 points codes: 2).
      const { data: catalog } = await api.get(`/wholesale/catalog`, asAgent(shop.key))
      expect(catalog.items.find((i: any) => i.variant_id === bundleVariant)).toEqual(expect.objectContaining({ unit_price: 16, available: 2, bundle: true }))
      // Three bundles need six points codes: refused whole, nothing claimed, nothing charged.
      const tooMany = await settle(api.post(`/wholesale/orders`, { items: [{ variant_id: bundleVariant, quantity: 3 }] }, asAgent(shop.key, "b-1")))
      expect([tooMany.status, tooMany.data.message]).toEqual([400, `Out of stock: ${points().pool_id} (requested 6, available 4)`])
      expect(await poolCounts(dbConnection, youku().pool_id)).toEqual(expect.objectContaining({ available: 12, reserved: 0, delivered: 0, revealed: 0 }))

      const { data } = await api.post(`/wholesale/orders`, { items: [{ variant_id: bundleVariant, quantity: 2 }] }, asAgent(shop.key, "b-2"))
      expect(data.order).toEqual(expect.objectContaining({ status: "completed", total: "32" }))
      expect(data.order.items).toHaveLength(1)
      expect(data.order.items[0].codes).toHaveLength(6)
      await recordPendingAgentOrders(getContainer())
      const { data: placed } = await api.get(`/wholesale/orders/${data.order.id}`, asAgent(shop.key))
      expect(placed.order.bookkeeping_status).toBe("done")
      const rows = await codesOf(placed.order.order_id)
      expect(rows).toHaveLength(6)
      expect(new Set(rows.map((c) => c.line_item_id)).size).toBe(1)
      expect(rows.filter((c) => c.pool_id === youku().pool_id)).toHaveLength(2)
      expect(rows.filter((c) => c.pool_id === points().pool_id)).toHaveLength(4)
      const { data: adminOrder } = await api.get(`/admin/orders/${placed.order.order_id}?fields=id,total,payment_status,fulfillment_status`, admin)
      expect(adminOrder.order).toEqual(expect.objectContaining({ total: 32, payment_status: "captured", fulfillment_status: "delivered" }))
      await conserved(youku().pool_id)
      await conserved(points().pool_id)
    })
  },
})
