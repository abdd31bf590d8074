import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { Modules } from "@medusajs/framework/utils"
import { assertVaultInvariants, createAdminHeaders, createVirtualStore, explainHttpErrors } from "../helpers"
import { runFlashSale } from "../helpers/flash-sale"
import { emptyRedis, serveWithWorkerTopology, startTestWorker, WorkerProcess } from "../helpers/worker"

jest.setTimeout(300_000)

// Medusa's production shape: this app serves the API only (MEDUSA_WORKER_MODE=server) and a `medusa start` worker
// process runs the subscribers (delivery), both on the Redis event bus, workflow engine and locking. The test runner
// loads medusa-config before it applies its `env` option, so the variables are set here for this file and restored.
const REDIS_URL = process.env.FLASH_SALE_REDIS_URL || "redis://localhost:6379/7"
const DB_NAME = "vg_flash_sale_worker"
serveWithWorkerTopology(REDIS_URL)

/**
 * A hot drop on Medusa's production deployment: many more buyers than codes complete their carts at once through the
 * store API of the server process; the worker delivers. Exactly as many orders as codes, each delivered once; everyone
 * else a 400 "Out of stock"; no 5xx and no 409 from Medusa's locks; nothing left unsold.
 */
medusaIntegrationTestRunner({
  dbName: DB_NAME,
  testSuite: ({ api, getContainer, dbConnection }) => {
    let worker: WorkerProcess | undefined
    afterAll(async () => {
      await worker?.stop()
    })

    it("60 buyers at once for the last 20 codes, server + worker on Redis: exactly 20 orders delivered, the rest sold out", async () => {
      explainHttpErrors(api)
      await emptyRedis(REDIS_URL)
      expect(getContainer().resolve(Modules.EVENT_BUS).constructor.name).toBe("RedisEventBusService")
      worker = await startTestWorker({ database: DB_NAME, redisUrl: REDIS_URL, port: Number(process.env.FLASH_SALE_WORKER_PORT) || 9772 })

      const store = await createVirtualStore(getContainer(), 20)
      const variant = store.products[0]
      const admin = await createAdminHeaders(getContainer())
      const sale = await runFlashSale({
        api,
        store,
        container: getContainer(),
        db: dbConnection,
        admin,
        variantId: variant.variant_id,
        poolId: variant.pool_id,
        buyers: 60,
        deliveryTimeoutMs: 90_000,
      })
      expect(sale.statuses).toEqual({ 200: 20, 400: 40 })
      expect(sale.refusals).toEqual([`Out of stock: ${variant.pool_id} (requested 1, available 0)`])
      expect(sale.delivered).toBe(20)
      expect(sale.unsold).toBe(0)
      const counts = await assertVaultInvariants(dbConnection, variant.pool_id, 20)
      expect(counts).toEqual({ available: 0, reserved: 0, delivered: 20, revealed: 0, voided: 0, expired: 0 })
      // One delivery each, by the worker: one digital fulfillment per order.
      const { rows } = await dbConnection.raw(
        `select count(*)::int as n from order_fulfillment where order_id = any(?) and deleted_at is null`,
        [sale.orders]
      )
      expect(rows[0].n).toBe(20)
    })
  },
})
