import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { Modules } from "@medusajs/framework/utils"
import {
  assertVaultInvariants,
  completeCart,
  prepareCart,
  waitFor,
} from "../helpers"
import { useEnv } from "../helpers/env"
import { useVirtualStore } from "../helpers/fixtures"

jest.setTimeout(180_000)

// Medusa's test runner loads medusa-config before it applies its `env` option, so the variable is set here, for this
// file only (files run one after another in one process), and restored afterwards.
useEnv({ REDIS_URL: process.env.REDIS_URL || "redis://localhost:6379" })

/**
 * The production infrastructure: Redis event bus (subscribers run from a BullMQ queue), Redis workflow engine and
 * Redis locking. Checkout, delivery and racing buyers behave as with the in-memory modules.
 */
medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer, dbConnection }) => {
    const IMPORTED = 4
    const { store, admin } = useVirtualStore({ api, getContainer }, { codes: IMPORTED })

    it("runs on Redis infrastructure: racing buyers, delivery through the Redis event bus, one notification each", async () => {
      expect(getContainer().resolve(Modules.EVENT_BUS).constructor.name).toBe("RedisEventBusService")
      const modules = getContainer().resolve("configModule").modules
      expect(modules[Modules.WORKFLOW_ENGINE]).toEqual(expect.objectContaining({ resolve: "@medusajs/medusa/workflow-engine-redis" }))
      expect(modules[Modules.LOCKING].options.providers).toEqual([expect.objectContaining({ resolve: "@medusajs/medusa/locking-redis" })])
      const variant = store.products[0].variant_id
      const carts = []
      for (let i = 0; i < 6; i++) {
        carts.push(await prepareCart(api, store, [{ variant_id: variant, quantity: 1 }], { email: `redis${i}@example.com` }))
      }
      const results = await Promise.allSettled(carts.map((c) => completeCart(api, store, c.id)))
      const orders = results
        .filter((r) => r.status === "fulfilled" && (r as any).value.data.type === "order")
        .map((r: any) => r.value.data.order)
      // Exactly as many orders as codes (Medusa's per-item lock is not on a virtual variant's path, so no 409).
      expect(orders.length).toBe(IMPORTED)
      const refused = results.filter((r) => r.status === "rejected").map((r: any) => [r.reason.response.status, r.reason.response.data.message])
      expect(refused).toEqual(Array(6 - IMPORTED).fill([400, `Out of stock: ${store.products[0].pool_id} (requested 1, available 0)`]))

      const codeIds: string[] = []
      for (const o of orders) {
        const data = await waitFor(async () => {
          const { data } = await api.get(`/admin/virtual-goods/orders/${o.id}/codes`, admin)
          const sent = await getContainer().resolve(Modules.NOTIFICATION).listNotifications({ resource_id: o.id })
          return data.delivery?.status === "delivered" && sent.length === 1 ? data : null
        }, 40_000)
        expect(data.card_codes).toEqual([expect.objectContaining({ status: "delivered" })])
        codeIds.push(data.card_codes[0].id)
      }
      expect(new Set(codeIds).size).toBe(orders.length)
      await waitFor(async () => {
        const { rows } = await dbConnection.raw(`select count(*)::int as n from card_code where status = 'reserved'`)
        return rows[0].n === 0
      })
      const counts = await assertVaultInvariants(dbConnection, store.products[0].pool_id, IMPORTED)
      expect(counts.delivered).toBe(orders.length)
    })
  },
})
