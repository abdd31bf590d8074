import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { assertVaultInvariants, createAdminHeaders, createVirtualStore, explainHttpErrors, storeHeaders, waitFor, waitForDelivery } from "../helpers"
import { useStripe } from "../helpers/stripe"
import { emptyRedis, serveWithWorkerTopology, startTestWorker, WorkerProcess } from "../helpers/worker"

jest.setTimeout(420_000)

const WEBHOOK_SECRET = "whsec_test_crash"
// Set before the runner loads medusa-config; the worker processes inherit them.
const { stripe } = useStripe({ apiKey: "sk_test_crash", webhookSecret: WEBHOOK_SECRET })
const REDIS_URL = process.env.STRIPE_CRASH_REDIS_URL || "redis://localhost:6379/8"
const DB_NAME = "vg_stripe_crash"
const WORKER_PORT = Number(process.env.STRIPE_CRASH_WORKER_PORT) || 9773

serveWithWorkerTopology(REDIS_URL)

/**
 * Medusa's production shape (an API server and a `medusa start` worker on Redis) with a real crash: the worker takes
 * the Stripe webhook, captures the payment, and is killed with SIGKILL while completing the cart — money captured, no
 * order. A new worker's reconciliation job finishes it: one order, its codes delivered, nothing refunded.
 */
medusaIntegrationTestRunner({
  dbName: DB_NAME,
  testSuite: ({ api, getContainer, dbConnection }) => {
    let worker: WorkerProcess | undefined
    afterAll(async () => {
      await worker?.stop()
    })

    it("kill -9 of the worker between capture and order: the job of the next worker places the order and delivers, no refund", async () => {
      explainHttpErrors(api)
      await emptyRedis(REDIS_URL)
      expect(getContainer().resolve(Modules.EVENT_BUS).constructor.name).toBe("RedisEventBusService")
      worker = await startTestWorker({ database: DB_NAME, redisUrl: REDIS_URL, port: WORKER_PORT })
      const store = await createVirtualStore(getContainer(), 3)
      const admin = await createAdminHeaders(getContainer())
      const headers = { headers: storeHeaders(store) }
      const variant = store.products[0]

      const { data } = await api.post(
        "/store/carts",
        { region_id: store.region_id, email: "crash@example.com", items: [{ variant_id: variant.variant_id, quantity: 1 }] },
        headers
      )
      const cartId: string = data.cart.id
      const pc = await api.post("/store/payment-collections", { cart_id: cartId }, headers)
      const session = await api.post(`/store/payment-collections/${pc.data.payment_collection.id}/payment-sessions`, { provider_id: "pp_stripe-alipay_stripe" }, headers)
      const ps = session.data.payment_collection.payment_sessions[0]
      const pi: string = ps.data.id
      expect((await api.post(`/store/virtual-goods/carts/${cartId}/payment-hold`, {}, headers)).data.hold.reserved).toBe(1)
      stripe.pay(pi, { method: "alipay" })
      const [succeeded] = stripe.completeAction(pi, { outcome: "succeeded" })

      // The worker's cart completion reads Radar's outcome from Stripe after the capture: Stripe "hangs" there, and
      // the worker is killed while it waits. Reads of the intent before the capture (the reconciliation job's, the
      // webhook's processing) are served as usual.
      const isCaptured = async () =>
        (await dbConnection.raw(`SELECT captured_at IS NOT NULL AS captured FROM payment WHERE payment_session_id = ?`, [ps.id])).rows[0]?.captured === true
      const stall = stripe.stallNextRequest({ method: "GET", path: new RegExp(`^/v1/payment_intents/${pi}\\?.*latest_charge`), when: isCaptured })
      const delivered = await stripe.deliver(`${api.defaults.baseURL}/hooks/payment/stripe-alipay_stripe`, succeeded, WEBHOOK_SECRET)
      expect(delivered.status).toBe(200)
      await Promise.race([stall.arrived, new Promise((_, reject) => setTimeout(() => reject(new Error("the worker never reached the cart completion")), 90_000))])
      const { rows: captured } = await dbConnection.raw(`SELECT captured_at IS NOT NULL AS captured FROM payment WHERE payment_session_id = ?`, [ps.id])
      expect(captured).toEqual([{ captured: true }])
      const orderOfCart = async () =>
        ((await getContainer().resolve(ContainerRegistrationKeys.QUERY).graph({ entity: "order_cart", fields: ["order_id"], filters: { cart_id: cartId } })).data[0] as
          | { order_id: string }
          | undefined)?.order_id ?? null
      expect(await orderOfCart()).toBeNull()

      const killedAt = Date.now()
      await worker.kill()
      stall.release()
      worker = await startTestWorker({ database: DB_NAME, redisUrl: REDIS_URL, port: WORKER_PORT })

      const orderId = await waitFor(orderOfCart, 300_000)
      await waitForDelivery(api, getContainer(), admin, orderId, 1, 120_000)
      const recoveredInSeconds = Math.round((Date.now() - killedAt) / 1000)
      console.info(`stripe crash: order ${orderId} placed and delivered ${recoveredInSeconds} s after the kill`)
      const { rows: findings } = await dbConnection.raw(`SELECT kind, status, resolution FROM payment_finding`)
      expect(findings).toEqual([{ kind: "captured_without_order", status: "resolved", resolution: "order placed by reconciliation" }])
      expect(stripe.refundsOf(pi)).toEqual([])
      const { rows: orders } = await dbConnection.raw(`SELECT count(*)::int AS n FROM order_cart WHERE cart_id = ?`, [cartId])
      expect(orders).toEqual([{ n: 1 }])
      await assertVaultInvariants(dbConnection, variant.pool_id, 3)
    })
  },
})
