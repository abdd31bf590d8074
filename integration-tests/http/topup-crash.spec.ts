import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { Modules } from "@medusajs/framework/utils"
import { createVirtualStore, explainHttpErrors, waitFor } from "../helpers"
import { useEnv } from "../helpers/env"
import { startTopupSupplier, TopupSupplier } from "../helpers/topup-supplier"
import { createTopUpOffer, placeTopUpOrder } from "../helpers/topups"
import { emptyRedis, serveWithWorkerTopology, startTestWorker, WorkerProcess } from "../helpers/worker"

jest.setTimeout(420_000)

const REDIS_URL = process.env.TOPUP_CRASH_REDIS_URL || "redis://localhost:6379/9"
const DB_NAME = "vg_topup_crash"
const WORKER_PORT = Number(process.env.TOPUP_CRASH_WORKER_PORT) || 9774
const PHONE = "13700137000"

// Set before the runner loads medusa-config; the worker processes inherit them. A short submission lease, so the next
// worker may take over the killed one's submission within seconds rather than minutes.
serveWithWorkerTopology(REDIS_URL)
useEnv({ VIRTUAL_GOODS_ALLOW_PRIVATE_SUPPLIERS: "true", VIRTUAL_GOODS_TOPUP_SUBMIT_LEASE_SECONDS: "5" })

/**
 * Medusa's production shape (an API server and a `medusa start` worker on Redis) with a real crash in the worst place
 * for a top-up: the worker has sent the order to the supplier, which credits it and answers slowly, and the worker is
 * killed with SIGKILL before the answer. A new worker's job asks the supplier instead of sending again: the top-up is
 * credited once, the order succeeds, nothing is refunded.
 */
medusaIntegrationTestRunner({
  dbName: DB_NAME,
  testSuite: ({ api, getContainer, dbConnection }) => {
    let worker: WorkerProcess | undefined
    let fake: TopupSupplier | undefined
    afterAll(async () => {
      await worker?.stop()
      await fake?.stop()
    })

    it("kill -9 of the worker between the submission and the supplier's answer: credited once, succeeded, no refund", async () => {
      explainHttpErrors(api)
      await emptyRedis(REDIS_URL)
      expect(getContainer().resolve(Modules.EVENT_BUS).constructor.name).toBe("RedisEventBusService")
      fake = await startTopupSupplier()
      // The supplier credits at once and answers after a minute: the worker is killed while it waits.
      fake.slow(60_000)
      const store = await createVirtualStore(getContainer(), 1)
      const { variantId } = await createTopUpOffer(getContainer(), store, fake)
      await dbConnection.raw(`UPDATE supplier SET timeout_ms = 90000`)
      worker = await startTestWorker({ database: DB_NAME, redisUrl: REDIS_URL, port: WORKER_PORT })

      const orderId = await placeTopUpOrder(api, store, variantId, PHONE, "crash@example.com")
      const row = async () => (await dbConnection.raw(`SELECT id, status, attempts, lease_until, refund_status FROM supplier_order WHERE order_id = ?`, [orderId])).rows[0]
      await waitFor(async () => fake!.requestsTo("/api/recharge").length === 1, 120_000)
      const sent = await row()
      expect(sent).toEqual(expect.objectContaining({ status: "submitting", attempts: 1, refund_status: "none" }))
      expect(fake.creditedCount(sent.id)).toBe(1)

      const killedAt = Date.now()
      await worker.kill()
      worker = await startTestWorker({ database: DB_NAME, redisUrl: REDIS_URL, port: WORKER_PORT })
      const settled = await waitFor(async () => {
        const r = await row()
        return r.status === "succeeded" ? r : null
      }, 240_000)
      console.info(`top-up crash: supplier order ${sent.id} settled ${Math.round((Date.now() - killedAt) / 1000)} s after the kill`)

      expect(settled).toEqual(expect.objectContaining({ status: "succeeded", attempts: 1, refund_status: "none" }))
      expect(fake.creditedCount(sent.id)).toBe(1)
      expect(fake.requestsTo("/api/recharge")).toHaveLength(1)
      expect(fake.requestsTo("/api/query").length).toBeGreaterThanOrEqual(1)
      const { rows: events } = await dbConnection.raw(`SELECT kind, outcome FROM supplier_order_event WHERE supplier_order_id = ? ORDER BY created_at`, [sent.id])
      expect(events).toEqual([{ kind: "query", outcome: "succeeded" }])
      const { rows: refunds } = await dbConnection.raw(
        `SELECT count(*)::int AS n FROM refund r JOIN payment p ON p.id = r.payment_id JOIN order_payment_collection opc ON opc.payment_collection_id = p.payment_collection_id WHERE opc.order_id = ?`,
        [orderId]
      )
      expect(refunds).toEqual([{ n: 0 }])
    })
  },
})
