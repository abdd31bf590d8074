import { MedusaError } from "@medusajs/framework/utils"
import { runOncePerTick, tickOf, tickOwner, TICK_EARLY_GRACE_MS } from "../once-per-tick"

const at = (iso: string) => new Date(iso)
const tick = (schedule: string, iso: string, tz?: string) => tickOf(schedule, at(iso), tz).toISOString()

describe("tickOf", () => {
  it("is the most recent time matching the schedule at or before now", () => {
    expect(tick("*/5 * * * *", "2026-12-01T12:07:30.000Z")).toBe("2026-12-01T12:05:00.000Z")
    expect(tick("41 * * * *", "2026-12-01T12:41:00.300Z")).toBe("2026-12-01T12:41:00.000Z")
    expect(tick("* * * * *", "2026-12-01T12:00:59.900Z")).toBe("2026-12-01T12:00:00.000Z")
    expect(tick("10 3 * * *", "2026-12-02T01:00:00.000Z")).toBe("2026-12-01T03:10:00.000Z")
    expect(tick("17 * * * *", "2026-12-01T00:05:00.000Z")).toBe("2026-11-30T23:17:00.000Z")
  })

  it("maps a run exactly on its tick, or a few milliseconds early, to that tick", () => {
    expect(tick("41 * * * *", "2026-12-01T12:41:00.000Z")).toBe("2026-12-01T12:41:00.000Z")
    expect(tick("* * * * *", "2026-12-01T12:01:00.000Z")).toBe("2026-12-01T12:01:00.000Z")
    expect(tick("* * * * *", "2026-12-01T12:00:59.990Z")).toBe("2026-12-01T12:01:00.000Z")
    const justBefore = new Date(Date.parse("2026-12-01T12:01:00.000Z") - TICK_EARLY_GRACE_MS - 1)
    expect(tickOf("* * * * *", justBefore).toISOString()).toBe("2026-12-01T12:00:00.000Z")
  })

  it("gives every run between two ticks the same tick", () => {
    const ticks = new Set<string>()
    for (let ms = 0; ms < 60_000 - TICK_EARLY_GRACE_MS; ms += 997) ticks.add(tickOf("* * * * *", new Date(Date.parse("2026-12-01T12:00:00.000Z") + ms)).toISOString())
    expect([...ticks]).toEqual(["2026-12-01T12:00:00.000Z"])
  })

  it("reads the schedule in the given time zone (the scheduler's)", () => {
    // 03:10 in Shanghai (UTC+8) is 19:10 UTC the day before.
    expect(tick("10 3 * * *", "2026-12-01T20:00:00.000Z", "Asia/Shanghai")).toBe("2026-12-01T19:10:00.000Z")
    // London across the spring change (29 March 2026): two daily runs stay two ticks.
    const saturday = tickOf("10 3 * * *", at("2026-03-28T03:10:00.000Z"), "Europe/London").toISOString()
    const sunday = tickOf("10 3 * * *", at("2026-03-29T02:10:00.000Z"), "Europe/London").toISOString()
    expect([saturday, sunday]).toEqual(["2026-03-28T03:10:00.000Z", "2026-03-29T02:10:00.000Z"])
  })

  it("rejects a schedule cron cannot read, as invalid data", () => {
    const err = (() => {
      try {
        tickOf("every minute", new Date())
      } catch (e) {
        return e
      }
    })()
    expect(err).toBeInstanceOf(MedusaError)
    expect((err as MedusaError).type).toBe(MedusaError.Types.INVALID_DATA)
    expect((err as MedusaError).message).toMatch(/^Invalid cron schedule "every minute"/)
  })
})

describe("runOncePerTick", () => {
  type Claim = { id: string } | null
  const setup = (claim: Claim, finished: unknown = { id: "jtick_1" }) => {
    const ticks = { claimTick: jest.fn().mockResolvedValue(claim), finishTick: jest.fn().mockResolvedValue(finished) }
    const logger = { debug: jest.fn(), warn: jest.fn(), error: jest.fn() }
    const container = { resolve: (key: string) => (key === "jobTicks" ? ticks : logger) } as unknown as Parameters<typeof runOncePerTick>[0]
    return { ticks, logger, container }
  }
  const config = { name: "test-job", schedule: "* * * * *" }

  it("claims the current tick for this process, runs the body and records success", async () => {
    const { ticks, container } = setup({ id: "jtick_1" })
    const before = tickOf(config.schedule, new Date())
    const out = await runOncePerTick(container, config, async () => 42)
    expect(out).toEqual({ skipped: false, tick_at: expect.any(Date), result: 42 })
    expect(ticks.claimTick).toHaveBeenCalledWith("test-job", out.tick_at, tickOwner(), 600)
    expect(out.tick_at.getTime()).toBeGreaterThanOrEqual(before.getTime())
    expect(ticks.finishTick).toHaveBeenCalledWith("jtick_1", tickOwner(), "succeeded", undefined)
  })

  it("skips the body when the tick is another's", async () => {
    const { ticks, logger, container } = setup(null)
    const fn = jest.fn()
    await expect(runOncePerTick(container, { ...config, lease_seconds: 30 }, fn)).resolves.toEqual({ skipped: true, tick_at: expect.any(Date) })
    expect(fn).not.toHaveBeenCalled()
    expect(ticks.claimTick).toHaveBeenCalledWith("test-job", expect.any(Date), tickOwner(), 30)
    expect(ticks.finishTick).not.toHaveBeenCalled()
    expect(logger.debug).toHaveBeenCalledTimes(1)
  })

  it("records a failure with the error's message (truncated by the module) and rethrows it", async () => {
    const { ticks, container } = setup({ id: "jtick_2" })
    const boom = new Error("supplier timed out")
    await expect(runOncePerTick(container, config, () => Promise.reject(boom))).rejects.toBe(boom)
    expect(ticks.finishTick).toHaveBeenCalledWith("jtick_2", tickOwner(), "failed", "supplier timed out")
  })

  it("keeps the body's result when the ledger cannot record it, and says so", async () => {
    const { ticks, logger, container } = setup({ id: "jtick_3" })
    ticks.finishTick.mockRejectedValueOnce(new Error("connection lost"))
    await expect(runOncePerTick(container, config, async () => "done")).resolves.toEqual(expect.objectContaining({ result: "done" }))
    expect(logger.error).toHaveBeenCalledWith(expect.stringContaining("could not be recorded as succeeded: connection lost"))
  })

  it("warns when the run outlived its lease and was taken over", async () => {
    const { logger, container } = setup({ id: "jtick_4" }, null)
    await runOncePerTick(container, config, async () => undefined)
    expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining("was taken over"))
  })
})
