import { hostname } from "os"
import { parseExpression } from "cron-parser"
import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import { JOB_TICKS_MODULE } from "../modules/job-ticks"
import type JobTicksModuleService from "../modules/job-ticks/service"
import { errorMessage } from "./errors"

/** A job's lease on its tick unless its config says otherwise: a run cut off longer ago may be taken over. */
export const DEFAULT_TICK_LEASE_SECONDS = 600

/**
 * How early a job may fire and still count for the coming tick. cron-parser's `prev()` is strict (a job firing exactly
 * on 12:41:00.000 would map to 11:41), and a Node timer may fire a few milliseconds early (it counts from the event
 * loop's cached time), so the tick is looked up from `now + 50 ms`. Kept well under a second: a minute job firing
 * 100 ms before the next minute (a late run of this minute's tick) still maps to this minute.
 */
export const TICK_EARLY_GRACE_MS = 50

/** A scheduled job's `config`, with an optional lease for jobs that may run longer than the default. */
export type OncePerTickConfig = { name: string; schedule: string; lease_seconds?: number }

export type OncePerTickResult<T> = { skipped: true; tick_at: Date } | { skipped: false; tick_at: Date; result: T }

/**
 * The cron tick a run at `now` belongs to: the most recent time matching `schedule` at or before `now` (plus
 * `TICK_EARLY_GRACE_MS`), read in `timeZone` (UTC unless given). For example `"*\/5 * * * *"` at 12:07:30 → 12:05:00,
 * `"41 * * * *"` at 12:41:00.300 → 12:41:00, `"* * * * *"` at 12:00:59.900 → 12:00:00.
 */
export function tickOf(schedule: string, now: Date, timeZone?: string): Date {
  if (Number.isNaN(now.getTime())) throw new MedusaError(MedusaError.Types.INVALID_DATA, "now must be a valid date")
  const currentDate = new Date(now.getTime() + TICK_EARLY_GRACE_MS)
  try {
    const expression = parseExpression(schedule, timeZone ? { currentDate, tz: timeZone } : { currentDate, utc: true })
    return expression.prev().toDate()
  } catch (e: unknown) {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, `Invalid cron schedule ${JSON.stringify(schedule)}: ${errorMessage(e)}`)
  }
}

/**
 * The time zone Medusa's schedulers read a job's cron in: the process's own (both workflow engines leave cron-parser's
 * default). Ticks computed in it are the scheduler's own times, also across a daylight-saving change (a daily job read
 * in UTC by a London server would map two runs to one tick the day clocks go forward).
 */
export function schedulerTimeZone(): string | undefined {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || undefined
}

/** Who holds a claim: this process, as `hostname:pid`. */
export function tickOwner(): string {
  return `${hostname()}:${process.pid}`
}

/**
 * Runs a scheduled job's body at most once per (job name, cron tick) across every process of a cluster (with the
 * in-memory workflow engine every process runs every job; with the Redis one a retried or duplicated run is possible):
 * the tick is claimed in the job-ticks module's ledger first, by one SQL statement. Claimed elsewhere (or finished) →
 * `{ skipped: true }`, logged at debug. Otherwise `fn` runs and the tick is finished as `succeeded`, or as `failed`
 * with the error's message (at most 500 characters) and the error is rethrown. A process killed mid-run leaves its
 * claim unfinished: a later attempt of the same tick takes it over once `lease_seconds` (default 600) have passed.
 *
 * @example
 * export default async function myJob(container: MedusaContainer) {
 *   await runOncePerTick(container, config, () => doTheWork(container))
 * }
 * export const config = { name: "my-job", schedule: "* * * * *" }
 */
export async function runOncePerTick<T>(
  container: Pick<MedusaContainer, "resolve">,
  config: OncePerTickConfig,
  fn: () => Promise<T>
): Promise<OncePerTickResult<T>> {
  const ticks = container.resolve<JobTicksModuleService>(JOB_TICKS_MODULE)
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  const tickAt = tickOf(config.schedule, new Date(), schedulerTimeZone())
  const owner = tickOwner()
  const lease = config.lease_seconds ?? DEFAULT_TICK_LEASE_SECONDS
  const claim = await ticks.claimTick(config.name, tickAt, owner, lease)
  if (!claim) {
    logger.debug(`virtual-goods: job ${config.name} tick ${tickAt.toISOString()} is run by another process (skipped)`)
    return { skipped: true, tick_at: tickAt }
  }
  const finish = async (outcome: "succeeded" | "failed", message?: string) => {
    try {
      const finished = await ticks.finishTick(claim.id, owner, outcome, message)
      if (!finished) logger.warn(`virtual-goods: job ${config.name} tick ${tickAt.toISOString()} ran past its ${lease} s lease and was taken over`)
    } catch (e: unknown) {
      logger.error(`virtual-goods: job ${config.name} tick ${tickAt.toISOString()} could not be recorded as ${outcome}: ${errorMessage(e)}`)
    }
  }
  let result: T
  try {
    result = await fn()
  } catch (e: unknown) {
    await finish("failed", errorMessage(e))
    throw e
  }
  await finish("succeeded")
  return { skipped: false, tick_at: tickAt, result }
}
