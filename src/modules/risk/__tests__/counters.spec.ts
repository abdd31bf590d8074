import path from "path"
import { moduleIntegrationTestRunner } from "@medusajs/test-utils"
import { RISK_MODULE } from ".."
import RiskModuleService from "../service"

jest.setTimeout(120_000)

const REDIS_URL = process.env.RISK_TEST_REDIS_URL || "redis://localhost:6379/7"

/**
 * The velocity counters under concurrency, with PostgreSQL (advisory lock per key) and with Redis (a Lua script per
 * key): 20 orders from one IP at once against "more than 5 in 10 minutes → review" — exactly 5 pass, whatever the
 * interleaving; a retried checkout is judged once.
 */
for (const store of ["postgres", "redis"] as const) {
  moduleIntegrationTestRunner<RiskModuleService>({
    moduleName: RISK_MODULE,
    resolve: path.join(__dirname, ".."),
    pathToMigrations: path.join(__dirname, "../migrations"),
    moduleOptions: { redis_url: store === "redis" ? REDIS_URL : null },
    testSuite: ({ service, MikroOrmWrapper }) => {
      beforeAll(async () => {
        if (store !== "redis") return
        const Redis = require("ioredis")
        const client = new Redis(REDIS_URL)
        await client.flushdb()
        await client.quit()
      })
      afterAll(async () => {
        await (service as any).__hooks_onApplicationShutdown?.()
      })

      it(`${store}: 20 concurrent orders against a limit of 5 → exactly 5 allowed`, async () => {
        await service.createRiskRules({ name: "Burst", kind: "velocity", key: "ip", measure: "count", window_seconds: 600, threshold: 5, action: "review" } as any)
        const ip = `203.0.113.${store === "redis" ? 9 : 8}`
        const results = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            service.assess({ subject_type: "cart", subject_id: `cart_${store}_${i}`, facts: { channel: "store", ip, amount: 10, quantity: 1 } })
          )
        )
        expect(results.filter((r) => r.action === "allow")).toHaveLength(5)
        expect(results.filter((r) => r.action === "review")).toHaveLength(15)
        const counts = results.map((r) => Number(/^(\d+) orders/.exec(r.reasons[0]?.message ?? "")?.[1] ?? 0)).filter(Boolean).sort((a, b) => a - b)
        expect(counts).toEqual(Array.from({ length: 15 }, (_, i) => i + 6))

        // Judged once: the same cart again returns its decision and counts nothing.
        const again = await service.assess({ subject_type: "cart", subject_id: `cart_${store}_0`, facts: { channel: "store", ip, amount: 10, quantity: 1 } })
        expect([again.created, again.action]).toEqual([false, results[0].action])
        const next = await service.assess({ subject_type: "cart", subject_id: `cart_${store}_next`, facts: { channel: "store", ip, amount: 10, quantity: 1 } })
        expect(next.reasons[0].message).toBe(`21 orders from ip ${ip} in 600 s (limit 5)`)
      })

      it(`${store}: amounts and quantities add up per window; other keys are apart`, async () => {
        await service.createRiskRules({ name: "Spend", kind: "velocity", key: "email", measure: "amount", window_seconds: 3600, threshold: 100, action: "block" } as any)
        const email = `${store}@example.com`
        const a = await service.assess({ subject_type: "cart", subject_id: `a_${store}`, facts: { channel: "store", email, amount: 60, quantity: 1 } })
        const b = await service.assess({ subject_type: "cart", subject_id: `b_${store}`, facts: { channel: "store", email: "other@example.com", amount: 60, quantity: 1 } })
        const c = await service.assess({ subject_type: "cart", subject_id: `c_${store}`, facts: { channel: "store", email: email.toUpperCase(), amount: 45.5, quantity: 1 } })
        expect([a.action, b.action, c.action]).toEqual(["allow", "allow", "block"])
        expect(c.reasons[0].message).toBe(`an amount of 105.50 from email ${email} in 3600 s (limit 100)`)
      })

      if (store === "postgres") {
        it("events older than a key's longest window are pruned when the key is counted again", async () => {
          await service.createRiskRules({ name: "Device", kind: "velocity", key: "device", measure: "count", window_seconds: 60, threshold: 9, action: "review" } as any)
          const sql = (q: string, p: unknown[] = []) => MikroOrmWrapper.getManager().getConnection().execute(q, p) as Promise<any[]>
          await sql(`insert into risk_event (id, key, amount, raw_amount, quantity, created_at) values ('revt_old', 'device:d1', 1, '{"value":"1","precision":20}', 1, now() - interval '2 hours')`)
          const r = await service.assess({ subject_type: "cart", subject_id: "cart_prune", facts: { channel: "store", device_id: "d1", amount: 1, quantity: 1 } })
          expect(r.action).toBe("allow")
          expect(await sql(`select id from risk_event where key = 'device:d1' order by created_at`)).toEqual([{ id: expect.not.stringMatching(/^revt_old$/) }])
        })
      }
    },
  })
}
