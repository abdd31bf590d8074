import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { createProductsWorkflow } from "@medusajs/medusa/core-flows"
import { assertVaultInvariants, storeHeaders } from "../helpers"
import { useVirtualStore } from "../helpers/fixtures"
import { runFlashSale } from "../helpers/flash-sale"

jest.setTimeout(300_000)

/**
 * A hot drop in one process, as the demo runs (in-memory locking and event bus): many more buyers than codes press
 * "pay" at once through Medusa's standard store API. Exactly as many orders as codes, each delivered; every other buyer
 * a clean 400 "Out of stock"; no 5xx; no code left unsold.
 */
medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer, dbConnection }) => {
    const CODES = 50
    const BUYERS = 100
    const { store, admin } = useVirtualStore({ api, getContainer }, { codes: CODES })

    it(`${BUYERS} buyers at once for the last ${CODES} codes: exactly ${CODES} orders, the rest sold out, no 5xx, nothing unsold`, async () => {
      const variant = store.products[0]
      const stock = async () =>
        (await api.get(`/store/virtual-goods/stock?variant_id=${variant.variant_id}&variant_id=${store.products[1].variant_id}`, { headers: storeHeaders(store) })).data
      expect(await stock()).toEqual({
        stock: expect.arrayContaining([
          { variant_id: variant.variant_id, available: CODES, sold_out: false, pass_through: false },
          { variant_id: store.products[1].variant_id, available: 0, sold_out: true, pass_through: false },
        ]),
      })

      const sale = await runFlashSale({ api, store, container: getContainer(), db: dbConnection, admin, variantId: variant.variant_id, poolId: variant.pool_id, buyers: BUYERS })
      // Anything but an order or a clean refusal, with what the buyer was told and how long it took (names the cause
      // when a loaded machine makes a completion fail).
      const unexpected = sale.completions
        .filter((c) => c.status !== 200 && c.status !== 400)
        .map(({ status, message, latency_ms }) => ({ status, message, latency_ms: Math.round(latency_ms) }))
      expect(unexpected).toEqual([])
      expect(sale.statuses).toEqual({ 200: CODES, 400: BUYERS - CODES })
      expect(sale.refusals).toEqual([`Out of stock: ${variant.pool_id} (requested 1, available 0)`])
      expect(sale.delivered).toBe(CODES)
      expect(sale.unsold).toBe(0)
      const counts = await assertVaultInvariants(dbConnection, variant.pool_id, CODES)
      expect(counts).toEqual({ available: 0, reserved: 0, delivered: CODES, revealed: 0, voided: 0, expired: 0 })

      // The storefront is told it is sold out once the count's second of grace has passed.
      await new Promise((r) => setTimeout(r, 1100))
      expect((await stock()).stock).toContainEqual({ variant_id: variant.variant_id, available: 0, sold_out: true, pass_through: false })
    })

    it("the stock route answers only variants sold from a pool, and explains a bad query", async () => {
      const container = getContainer()
      const { result } = await createProductsWorkflow(container).run({
        input: {
          products: [
            {
              title: "Gift box",
              handle: "gift-box",
              status: "published",
              options: [{ title: "Size", values: ["One"] }],
              variants: [{ title: "One", sku: "BOX", manage_inventory: true, options: { Size: "One" }, prices: [{ amount: 15, currency_code: "usd" }] }],
              sales_channels: [{ id: store.sales_channel_id }],
            },
          ],
        },
      })
      // An ordinary variant's stock is Medusa's inventory_quantity; an unknown variant is simply not there.
      const { data } = await api.get(`/store/virtual-goods/stock?variant_id=${result[0].variants[0].id}&variant_id=variant_missing`, {
        headers: storeHeaders(store),
      })
      expect(data).toEqual({ stock: [] })
      const bad = await api.get(`/store/virtual-goods/stock`, { headers: storeHeaders(store) }).catch((e: any) => e.response)
      expect(bad.status).toBe(400)
      expect(bad.data.message).toContain("variant_id")
      const noKey = await api.get(`/store/virtual-goods/stock?variant_id=${store.products[0].variant_id}`).catch((e: any) => e.response)
      expect(noKey.status).toBe(400)
    })
  },
})
