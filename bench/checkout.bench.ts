import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import {
  createInventoryLevelsWorkflow,
  createProductsWorkflow,
  updateInventoryItemsWorkflow,
} from "@medusajs/medusa/core-flows"
import { completeCart, createVirtualStore, prepareCart, waitFor } from "../integration-tests/helpers"
import { combine, concurrent, log, percentile, QUICK, ratio, Round, writeResult } from "./lib"

jest.setTimeout(3_600_000)

/**
 * Checkout through Medusa's store API (cart with email → payment collection → payment session → complete): a virtual
 * code vs an ordinary in-stock product that needs no shipping, at the same concurrency, alternating rounds. Also the
 * time from order placed to codes delivered (the delivery runs after the order is placed, from its event).
 */
medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer, dbConnection }) => {
    it("checkout", async () => {
      const rounds = 3
      const perRound = QUICK ? 8 : 30
      const levels = [1, 4]
      const codesNeeded = rounds * perRound * levels.length
      const container = getContainer()
      const store = await createVirtualStore(container, codesNeeded + 10)

      // An ordinary product sold from the same store: stocked, tracked by Medusa's inventory, no shipping needed.
      const { result } = await createProductsWorkflow(container).run({
        input: {
          products: [
            {
              title: "Ordinary gift box",
              handle: "ordinary-gift-box",
              status: "published",
              options: [{ title: "Size", values: ["One"] }],
              variants: [{ title: "One", sku: "ORDINARY", manage_inventory: true, options: { Size: "One" }, prices: [{ amount: 15, currency_code: "usd" }] }],
              sales_channels: [{ id: store.sales_channel_id }],
            },
          ],
        },
      })
      const variantId = result[0].variants[0].id
      const { data: links } = await container
        .resolve(ContainerRegistrationKeys.QUERY)
        .graph({ entity: "product_variant", fields: ["inventory_items.inventory_item_id"], filters: { id: variantId } })
      const itemId = (links[0] as any).inventory_items[0].inventory_item_id
      await updateInventoryItemsWorkflow(container).run({ input: { updates: [{ id: itemId, requires_shipping: false }] } })
      await createInventoryLevelsWorkflow(container).run({
        input: { inventory_levels: [{ inventory_item_id: itemId, location_id: store.stock_location_id, stocked_quantity: 100_000 }] },
      })

      const buy = async (variant: string, i: number) => {
        const cart = await prepareCart(api, store, [{ variant_id: variant, quantity: 1 }], { email: `bench${i}@example.com` })
        const { data } = await completeCart(api, store, cart.id)
        if (data.type !== "order") throw new Error(`checkout ${i} did not place an order: ${JSON.stringify(data).slice(0, 300)}`)
        return data.order.id as string
      }

      const rows: any[] = []
      const virtualOrders: string[] = []
      let n = 0
      // Warm up both paths once.
      await buy(variantId, n++)
      virtualOrders.push(await buy(store.products[0].variant_id, n++))
      for (const workers of levels) {
        const ordinary: Round[] = []
        const virtual: Round[] = []
        for (let r = 0; r < rounds; r++) {
          ordinary.push(await concurrent(workers, perRound, () => buy(variantId, n++)))
          virtual.push(await concurrent(workers, perRound, async () => virtualOrders.push(await buy(store.products[0].variant_id, n++))))
        }
        const base = combine(ordinary)
        const ours = combine(virtual)
        rows.push({ concurrency: workers, checkouts_per_side: base.ops, ordinary: base, virtual: ours, ratio: ratio(ours.per_second, base.per_second) })
        log(`checkout, ${workers} at a time: ordinary ${base.per_second}/s (p95 ${base.p95_ms} ms), virtual ${ours.per_second}/s (p95 ${ours.p95_ms} ms), ratio ${rows[rows.length - 1].ratio}`)
      }

      // Every virtual order gets its code; placed → delivered, per order.
      const delays = await waitFor(async () => {
        const { rows: d } = await dbConnection.raw(
          `select o.id, extract(epoch from (max(c.delivered_at) - o.created_at)) * 1000 as ms
             from "order" o join card_code c on c.order_id = o.id
            where o.id = any(?) group by o.id, o.created_at`,
          [virtualOrders]
        )
        return d.length === virtualOrders.length ? d.map((x: any) => Number(x.ms)).sort((a: number, b: number) => a - b) : null
      }, 120_000)
      const notified = await container.resolve(Modules.NOTIFICATION).listNotifications({ resource_id: virtualOrders }, { take: null as any })
      const delivery = {
        orders: delays.length,
        notified: notified.length,
        p50_ms: Math.round(percentile(delays, 50)),
        p95_ms: Math.round(percentile(delays, 95)),
        max_ms: Math.round(delays[delays.length - 1]),
      }
      log(`order placed → codes delivered: p50 ${delivery.p50_ms} ms, p95 ${delivery.p95_ms} ms over ${delivery.orders} orders`)
      await writeResult("checkout", { goal: "virtual ≥ 0.8 × ordinary", rounds, rows, placed_to_delivered: delivery })
    })
  },
})
