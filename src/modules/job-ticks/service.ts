import type { Knex, SqlEntityManager } from "@medusajs/framework/mikro-orm/knex"
import type { Context } from "@medusajs/framework/types"
import { generateEntityId, InjectManager, MedusaContext, MedusaError, MedusaService } from "@medusajs/framework/utils"
import { JobTick } from "./models"

export const JOB_TICK_OUTCOMES = ["succeeded", "failed"] as const
export type JobTickOutcome = (typeof JOB_TICK_OUTCOMES)[number]

/** The longest `error_message` kept: the error's message only, never its stack or data. */
export const JOB_TICK_ERROR_MAX_LENGTH = 500

/** A `job_tick` row as the SQL methods return it. */
export type JobTickRow = {
  id: string
  job_name: string
  tick_at: Date
  owner: string
  attempts: number
  started_at: Date
  lease_until: Date
  finished_at: Date | null
  outcome: JobTickOutcome | null
  error_message: string | null
  duration_ms: number | null
  created_at: Date
  updated_at: Date
  deleted_at: Date | null
}

/** One job's ticks since a time. */
export type JobTickSummary = {
  job_name: string
  /** Ticks claimed (one row each). */
  runs: number
  succeeded: number
  failed: number
  /** Unfinished, lease not expired yet. */
  running: number
  /** Unfinished, lease expired: cut off (a crash) and not taken over yet. */
  abandoned: number
  /** Ticks claimed more than once: a run cut off and taken over by a later attempt of the same tick. */
  takeovers: number
  /** Rows beyond one per tick: 0, which the unique index guarantees; reported so the ledger proves it. */
  duplicates: number
  last_tick_at: Date | null
  last_outcome: JobTickOutcome | null
  max_duration_ms: number | null
}

function invalid(message: string): MedusaError {
  return new MedusaError(MedusaError.Types.INVALID_DATA, message)
}

function validDate(value: Date, name: string): Date {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw invalid(`${name} must be a valid date`)
  return value
}

/**
 * The tick ledger of the scheduled jobs: who runs a job's cron tick, across every process of a cluster. Each method is
 * one SQL statement whose outcome PostgreSQL decides (the unique index on `job_name, tick_at`, row locks of ON CONFLICT
 * and UPDATE), never a read followed by a write in JavaScript.
 */
class JobTicksModuleService extends MedusaService({ JobTick }) {
  /** The knex of a module call's context: its transaction when it has one, else the manager's connection. */
  private knex_(ctx: Context): Knex {
    const em = (ctx.transactionManager ?? ctx.manager) as SqlEntityManager
    return em.getTransactionContext<Knex.Transaction>() ?? em.getKnex()
  }

  /**
   * Claims a job's tick for `owner` until `leaseSeconds` from now (database time). Returns the claimed row, or null when
   * the tick is another's: claimed and finished, or claimed and its lease not expired yet. An unfinished claim whose
   * lease expired (its process died) is taken over: new owner, `attempts` + 1.
   */
  @InjectManager()
  async claimTick(jobName: string, tickAt: Date, owner: string, leaseSeconds: number, @MedusaContext() ctx: Context = {}): Promise<JobTickRow | null> {
    if (typeof jobName !== "string" || !jobName.trim()) throw invalid("jobName is required")
    if (typeof owner !== "string" || !owner.trim()) throw invalid("owner is required")
    if (!Number.isFinite(leaseSeconds) || leaseSeconds < 0) throw invalid(`leaseSeconds must be a non-negative number, got ${leaseSeconds}`)
    validDate(tickAt, "tickAt")
    const { rows } = await this.knex_(ctx).raw<{ rows: JobTickRow[] }>(
      `INSERT INTO job_tick (id, job_name, tick_at, owner, attempts, started_at, lease_until)
       VALUES (?, ?, ?, ?, 1, now(), now() + make_interval(secs => ?))
       ON CONFLICT (job_name, tick_at) WHERE deleted_at IS NULL DO UPDATE SET
         owner = excluded.owner, attempts = job_tick.attempts + 1, started_at = now(),
         lease_until = excluded.lease_until, updated_at = now()
       WHERE job_tick.finished_at IS NULL AND job_tick.lease_until < now()
       RETURNING *`,
      [generateEntityId(undefined, "jtick"), jobName, tickAt, owner, leaseSeconds]
    )
    return rows[0] ?? null
  }

  /**
   * Records how a claimed run ended, only while `owner` still holds the claim and it is unfinished (a run that was taken
   * over changes nothing). Returns the finished row, or null when nothing changed.
   */
  @InjectManager()
  async finishTick(id: string, owner: string, outcome: JobTickOutcome, errorMessage?: string | null, @MedusaContext() ctx: Context = {}): Promise<JobTickRow | null> {
    if (!JOB_TICK_OUTCOMES.includes(outcome)) throw invalid(`outcome must be one of ${JOB_TICK_OUTCOMES.join(", ")}, got ${String(outcome)}`)
    const message = outcome === "failed" && errorMessage ? String(errorMessage).slice(0, JOB_TICK_ERROR_MAX_LENGTH) : null
    const { rows } = await this.knex_(ctx).raw<{ rows: JobTickRow[] }>(
      `UPDATE job_tick SET finished_at = now(), outcome = ?, error_message = ?,
         duration_ms = greatest(0, round(extract(epoch FROM (now() - started_at)) * 1000))::int, updated_at = now()
       WHERE id = ? AND owner = ? AND finished_at IS NULL AND deleted_at IS NULL
       RETURNING *`,
      [outcome, message, id, owner]
    )
    return rows[0] ?? null
  }

  /** Per job, the ticks at or after `since`, by job name. */
  @InjectManager()
  async jobTickSummary(since: Date, @MedusaContext() ctx: Context = {}): Promise<JobTickSummary[]> {
    validDate(since, "since")
    const { rows } = await this.knex_(ctx).raw<{ rows: JobTickSummary[] }>(
      `SELECT job_name,
              count(*)::int AS runs,
              count(*) FILTER (WHERE outcome = 'succeeded')::int AS succeeded,
              count(*) FILTER (WHERE outcome = 'failed')::int AS failed,
              count(*) FILTER (WHERE finished_at IS NULL AND lease_until >= now())::int AS running,
              count(*) FILTER (WHERE finished_at IS NULL AND lease_until < now())::int AS abandoned,
              count(*) FILTER (WHERE attempts > 1)::int AS takeovers,
              (count(*) - count(DISTINCT tick_at))::int AS duplicates,
              max(tick_at) AS last_tick_at,
              (array_agg(outcome ORDER BY tick_at DESC))[1] AS last_outcome,
              max(duration_ms)::int AS max_duration_ms
         FROM job_tick
        WHERE tick_at >= ? AND deleted_at IS NULL
        GROUP BY job_name
        ORDER BY job_name`,
      [since]
    )
    return rows
  }

  /** Deletes finished ticks older than `days` days, at most `limit` rows per call; returns how many went. */
  @InjectManager()
  async pruneJobTicks(days: number, limit = 10_000, @MedusaContext() ctx: Context = {}): Promise<number> {
    if (!Number.isInteger(days) || days < 1) throw invalid(`days must be a whole number of at least 1, got ${days}`)
    const { rowCount } = await this.knex_(ctx).raw<{ rowCount: number }>(
      `DELETE FROM job_tick WHERE id IN (
         SELECT id FROM job_tick WHERE finished_at IS NOT NULL AND tick_at < now() - make_interval(days => ?) LIMIT ?)`,
      [days, limit]
    )
    return rowCount ?? 0
  }
}

export default JobTicksModuleService
