import path from "path"
import { moduleIntegrationTestRunner } from "@medusajs/test-utils"
import { MedusaError } from "@medusajs/framework/utils"
import { JOB_TICKS_MODULE } from ".."
import JobTicksModuleService from "../service"

jest.setTimeout(120_000)

type SqlRow = Record<string, unknown>

/**
 * The tick ledger under concurrency: one claim per (job, tick) wins whatever the interleaving, an unfinished claim is
 * taken over only once its lease expired, a finished one never, and only the holder of a claim finishes it.
 */
moduleIntegrationTestRunner<JobTicksModuleService>({
  moduleName: JOB_TICKS_MODULE,
  resolve: path.join(__dirname, ".."),
  pathToMigrations: path.join(__dirname, "../migrations"),
  testSuite: ({ service, MikroOrmWrapper }) => {
    const sql = (q: string, p: unknown[] = []) => MikroOrmWrapper.getManager().getConnection().execute(q, p) as Promise<SqlRow[]>
    const rowsOf = (job: string) => sql(`select * from job_tick where job_name = ? order by tick_at`, [job])
    const expireLease = (id: string) => sql(`update job_tick set lease_until = now() - interval '1 second' where id = ?`, [id])
    const tick = new Date("2026-12-01T12:05:00.000Z")

    it("12 processes claiming one tick at once: exactly one wins, one row", async () => {
      const claims = await Promise.all(Array.from({ length: 12 }, (_, i) => service.claimTick("race", tick, `host-${i}:100${i}`, 600)))
      const won = claims.filter((c) => c !== null)
      expect(won).toHaveLength(1)
      expect(won[0]).toEqual(
        expect.objectContaining({
          id: expect.stringMatching(/^jtick_/),
          job_name: "race",
          tick_at: tick,
          attempts: 1,
          finished_at: null,
          outcome: null,
        })
      )
      expect(won[0]!.lease_until.getTime() - won[0]!.started_at.getTime()).toBe(600_000)
      const rows = await rowsOf("race")
      expect(rows).toHaveLength(1)
      expect(rows[0].owner).toBe(won[0]!.owner)

      // Another tick of the same job, and the same tick of another job, are claims of their own.
      expect(await service.claimTick("race", new Date("2026-12-01T12:10:00.000Z"), "host-0:1000", 600)).not.toBeNull()
      expect(await service.claimTick("other", tick, "host-0:1000", 600)).not.toBeNull()
      expect(await rowsOf("race")).toHaveLength(2)
    })

    it("an unfinished claim whose lease expired is taken over (once); a live or finished one never is", async () => {
      const first = (await service.claimTick("crash", tick, "a:1", 600))!
      // Live lease: nobody else gets it.
      expect(await service.claimTick("crash", tick, "b:2", 600)).toBeNull()

      // The holder was killed: its lease runs out, the next attempt takes over, and only one of several at once.
      await expireLease(first.id)
      const attempts = await Promise.all(["b:2", "c:3", "d:4", "e:5"].map((owner) => service.claimTick("crash", tick, owner, 600)))
      const takeovers = attempts.filter((c) => c !== null)
      expect(takeovers).toHaveLength(1)
      expect(takeovers[0]).toEqual(expect.objectContaining({ id: first.id, attempts: 2, finished_at: null }))
      expect(takeovers[0]!.owner).not.toBe("a:1")
      expect(takeovers[0]!.started_at.getTime()).toBeGreaterThanOrEqual(first.started_at.getTime())

      // The dead holder's late finish changes nothing; the new holder's does.
      expect(await service.finishTick(first.id, "a:1", "succeeded")).toBeNull()
      const done = await service.finishTick(first.id, takeovers[0]!.owner, "succeeded")
      expect(done).toEqual(expect.objectContaining({ id: first.id, outcome: "succeeded", error_message: null, finished_at: expect.any(Date) }))
      expect(done!.duration_ms).toEqual(expect.any(Number))
      expect(done!.duration_ms).toBeGreaterThanOrEqual(0)

      // Finished: never claimed again, even with its lease long past.
      await expireLease(first.id)
      expect(await service.claimTick("crash", tick, "f:6", 600)).toBeNull()
      const [row] = await rowsOf("crash")
      expect([row.attempts, row.owner, row.outcome]).toEqual([2, takeovers[0]!.owner, "succeeded"])
    })

    it("a claim with a lease of 0 s is open to the next attempt at once", async () => {
      const first = (await service.claimTick("zero", tick, "a:1", 0))!
      await new Promise((r) => setTimeout(r, 5))
      const next = await service.claimTick("zero", tick, "b:2", 600)
      expect(next).toEqual(expect.objectContaining({ id: first.id, owner: "b:2", attempts: 2 }))
    })

    it("only the holder finishes a claim, once; a failure keeps the error's message, at most 500 characters", async () => {
      const claim = (await service.claimTick("finish", tick, "a:1", 600))!
      expect(await service.finishTick(claim.id, "b:2", "failed", "not mine")).toBeNull()
      let [row] = await rowsOf("finish")
      expect([row.finished_at, row.outcome, row.error_message, row.duration_ms]).toEqual([null, null, null, null])

      const failed = await service.finishTick(claim.id, "a:1", "failed", "x".repeat(800))
      expect(failed).toEqual(expect.objectContaining({ outcome: "failed", error_message: "x".repeat(500) }))
      // Finished already: a second finish (even the holder's) changes nothing.
      expect(await service.finishTick(claim.id, "a:1", "succeeded")).toBeNull()
      ;[row] = await rowsOf("finish")
      expect([row.outcome, (row.error_message as string).length]).toEqual(["failed", 500])

      const err = await service.finishTick(claim.id, "a:1", "maybe" as never).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(MedusaError)
      expect((err as MedusaError).type).toBe(MedusaError.Types.INVALID_DATA)
      const bad = await service.claimTick("finish", tick, "a:1", -1).catch((e: unknown) => e)
      expect([(bad as MedusaError).type, (bad as MedusaError).message]).toEqual([MedusaError.Types.INVALID_DATA, "leaseSeconds must be a non-negative number, got -1"])
    })

    it("summarizes each job since a time: runs, outcomes, takeovers, no duplicates", async () => {
      const t = (minute: number) => new Date(Date.UTC(2026, 11, 1, 13, minute))
      const a1 = (await service.claimTick("sum-a", t(0), "a:1", 600))!
      await service.finishTick(a1.id, "a:1", "succeeded")
      const a2 = (await service.claimTick("sum-a", t(1), "a:1", 600))!
      await service.finishTick(a2.id, "a:1", "failed", "boom")
      const a3 = (await service.claimTick("sum-a", t(2), "a:1", 600))!
      await expireLease(a3.id)
      const a3b = (await service.claimTick("sum-a", t(2), "b:2", 600))!
      await service.finishTick(a3b.id, "b:2", "succeeded")
      const b1 = (await service.claimTick("sum-b", t(2), "a:1", 600))!
      await expireLease(b1.id)
      await service.claimTick("sum-b", t(3), "a:1", 600)
      // Before `since`: left out.
      await service.claimTick("sum-a", new Date(Date.UTC(2026, 11, 1, 12, 59)), "a:1", 600)

      const summary = await service.jobTickSummary(t(0))
      expect(summary).toEqual([
        {
          job_name: "sum-a",
          runs: 3,
          succeeded: 2,
          failed: 1,
          running: 0,
          abandoned: 0,
          takeovers: 1,
          duplicates: 0,
          last_tick_at: t(2),
          last_outcome: "succeeded",
          max_duration_ms: expect.any(Number),
        },
        {
          job_name: "sum-b",
          runs: 2,
          succeeded: 0,
          failed: 0,
          running: 1,
          abandoned: 1,
          takeovers: 0,
          duplicates: 0,
          last_tick_at: t(3),
          last_outcome: null,
          max_duration_ms: null,
        },
      ])

      // The unique index is what makes duplicates 0: a second row for a tick is refused by PostgreSQL itself.
      const dup = await sql(
        `insert into job_tick (id, job_name, tick_at, owner, started_at, lease_until) values ('jtick_dup', 'sum-a', ?, 'x:1', now(), now())`,
        [t(0)]
      ).catch((e: unknown) => e)
      expect(String((dup as Error).message)).toMatch(/IDX_job_tick_job_name_tick_at_unique/)
    })

    it("prunes finished ticks older than the retention, never an unfinished one", async () => {
      const old = new Date(Date.now() - 40 * 86400_000)
      const done = (await service.claimTick("prune", old, "p:1", 600))!
      await service.finishTick(done.id, "p:1", "succeeded")
      const cut = (await service.claimTick("prune", new Date(old.getTime() + 60_000), "p:1", 600))!
      const recent = (await service.claimTick("prune", new Date(Date.now() - 86400_000), "p:1", 600))!
      await service.finishTick(recent.id, "p:1", "succeeded")
      expect(await service.pruneJobTicks(30)).toBe(1)
      expect((await rowsOf("prune")).map((r) => r.id)).toEqual([cut.id, recent.id])
      expect(await service.pruneJobTicks(30)).toBe(0)
      await expect(service.pruneJobTicks(0)).rejects.toThrow("days must be a whole number of at least 1, got 0")
    })
  },
})
