import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { assertVaultInvariants, asAgent, createAdminHeaders, createAgentWithKey, createVirtualStore, explainHttpErrors, waitFor } from "../helpers"
import { liftedRateLimits, useEnv } from "../helpers/env"
import { emptyRedis, serveWithWorkerTopology, startTestWorker, WorkerProcess } from "../helpers/worker"

jest.setTimeout(420_000)

// Medusa's production shape: this app serves the API (MEDUSA_WORKER_MODE=server) and answers the agents; a separate
// `medusa start` worker does the bookkeeping. Both on the Redis event bus, workflow engine and locking. The runner loads
// medusa-config before it applies its `env` option, so the variables are set here for this file and restored.
const REDIS_URL = process.env.WHOLESALE_WORKER_REDIS_URL || "redis://localhost:6379/8"
const DB_NAME = "vg_wholesale_worker"
serveWithWorkerTopology(REDIS_URL)
useEnv({ VIRTUAL_GOODS_RATE_LIMITS: liftedRateLimits("wholesale") })

/**
 * Wholesale orders are answered by the server from one transaction while no worker runs; the worker that records their
 * Medusa orders is killed with SIGKILL in the middle of it; a new worker finishes every one exactly once.
 */
medusaIntegrationTestRunner({
  dbName: DB_NAME,
  testSuite: ({ api, getContainer, dbConnection }) => {
    const workers: WorkerProcess[] = []
    afterAll(async () => {
      for (const w of workers) await w.stop()
    })

    it("kill -9 between the answer and the bookkeeping, and during it: every answered order ends with exactly one paid, fulfilled, linked Medusa order", async () => {
      explainHttpErrors(api)
      await emptyRedis(REDIS_URL)
      const worker = () =>
        startTestWorker({ database: DB_NAME, redisUrl: REDIS_URL, port: Number(process.env.WHOLESALE_WORKER_PORT) || 9773 }).then((w) => (workers.push(w), w))

      const store = await createVirtualStore(getContainer(), 30)
      const { variant_id, pool_id } = store.products[0]
      const admin = await createAdminHeaders(getContainer())
      const shop = await createAgentWithKey(api, admin, { name: "Night shift" }, { topUp: "1000" })
      const place = async (key: string) => (await api.post(`/wholesale/orders`, { items: [{ variant_id, quantity: 2 }] }, asAgent(shop.key, key))).data.order
      const state = async () =>
        (
          await dbConnection.raw(
            `select a.id, a.bookkeeping_status, a.order_id, a.bookkeeping_error,
                    (select count(*) from "order" o where o.metadata->>'agent_order_id' = a.id)::int as medusa_orders,
                    (select count(*) from agents_agent_order_order_order l where l.agent_order_id = a.id and l.deleted_at is null)::int as links,
                    (select count(*) from card_code c where c.order_id = a.order_id and c.line_item_id is not null)::int as bound
               from agent_order a where a.agent_id = ? order by a.created_at`,
            [shop.id]
          )
        ).rows as { id: string; bookkeeping_status: string; order_id: string | null; bookkeeping_error: string | null; medusa_orders: number; links: number; bound: number }[]

      // No worker yet: the answers come from the server alone, codes and all; nothing is recorded.
      const answered = []
      for (let i = 0; i < 6; i++) answered.push(await place(`night-${i}`))
      for (const o of answered) expect(o.items[0].codes.map((c: { code: string }) => c.code)).toEqual([expect.stringMatching(/^YOUKU-/), expect.stringMatching(/^YOUKU-/)])
      expect((await state()).map((s) => [s.bookkeeping_status, s.medusa_orders])).toEqual(Array(6).fill(["pending", 0]))

      // A worker starts on the queued events and is killed while it works through them.
      const first = await worker()
      await waitFor(async () => (await state()).some((s) => s.medusa_orders > 0), 60_000)
      await first.kill()
      const cut = await state()
      expect(cut.some((s) => s.bookkeeping_status === "pending")).toBe(true)

      // More answers while no worker runs, then a new worker: everything is recorded, exactly once.
      for (let i = 6; i < 8; i++) answered.push(await place(`night-${i}`))
      await worker()
      const done = await waitFor(async () => {
        const rows = await state()
        return rows.every((s) => s.bookkeeping_status === "done") ? rows : null
      }, 150_000).catch(async (e) => {
        throw new Error(`${e.message}; the orders: ${JSON.stringify(await state())}`)
      })
      expect(done).toHaveLength(8)
      for (const s of done) expect([s.medusa_orders, s.links, s.bound, s.order_id]).toEqual([1, 1, 2, expect.stringMatching(/^order_/)])
      const { rows: paid } = await dbConnection.raw(
        `select count(*)::int as n from agent_ledger_entry where agent_id = ? and kind = 'purchase'`,
        [shop.id]
      )
      expect(paid[0].n).toBe(8)
      const counts = await assertVaultInvariants(dbConnection, pool_id, 30)
      expect(counts).toEqual(expect.objectContaining({ available: 14, reserved: 0, revealed: 16 }))
    })
  },
})
