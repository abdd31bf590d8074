import { promises as fs } from "fs"
import path from "path"
import { Pool, PoolClient } from "pg"
import type CardVaultModuleService from "../src/modules/card-vault/service"
import { reservationCall } from "../src/modules/card-vault/service"
import { nestedPlans } from "../src/modules/card-vault/__tests__/support/nested-plans"
import { openImportSource } from "../src/modules/card-vault/utils/import-sources"

/**
 * Shared pieces of the benchmarks run by `npm run bench` (scripts/bench.js): timing of concurrent loops, alternating
 * rounds, percentiles, the raw SQL baselines' connection pool, and the claim plans. Every area runs its raw baseline
 * and our path in the same process, alternating, and writes one JSON result for scripts/bench.js to collect.
 */

export const QUICK = process.env.BENCH_QUICK === "1"
export const SYSTEM = { type: "system" as const, id: "bench" }

export function log(line: string) {
  // Straight to stdout: jest decorates console.log with stack frames.
  process.stdout.write(`[bench] ${line}\n`)
}

/** Peak resident set size of this process so far, in MB. */
export const peakRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024)

export type Stats = { ops: number; seconds: number; per_second: number; p50_ms: number; p95_ms: number; p99_ms: number }
export type Round = { latencies: number[]; seconds: number }

const round2 = (n: number) => Math.round(n * 100) / 100

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]
}

export function stats(latenciesMs: number[], seconds: number): Stats {
  const sorted = [...latenciesMs].sort((a, b) => a - b)
  return {
    ops: sorted.length,
    seconds: round2(seconds),
    per_second: round2(sorted.length / seconds),
    p50_ms: round2(percentile(sorted, 50)),
    p95_ms: round2(percentile(sorted, 95)),
    p99_ms: round2(percentile(sorted, 99)),
  }
}

/** One side's rounds together: all operations over the summed wall time, latencies pooled. */
export const combine = (rounds: Round[]): Stats =>
  stats(
    rounds.flatMap((r) => r.latencies),
    rounds.reduce((s, r) => s + r.seconds, 0)
  )

/** ours / baseline, two decimals. */
export const ratio = (ours: number, base: number) => round2(ours / base)

export const goalText = (value: number, min: number) => `goal ≥ ${min}x: ${value >= min ? "met" : "NOT met"}`

/** Runs `total` calls of `fn` on `workers` concurrent loops; every call's latency and the wall time. */
export async function concurrent(workers: number, total: number, fn: (i: number) => Promise<unknown>): Promise<Round> {
  const latencies: number[] = []
  let next = 0
  const started = process.hrtime.bigint()
  await Promise.all(
    Array.from({ length: Math.min(workers, total) }, async () => {
      while (next < total) {
        const i = next++
        const t0 = process.hrtime.bigint()
        await fn(i)
        latencies.push(Number(process.hrtime.bigint() - t0) / 1e6)
      }
    })
  )
  return { latencies, seconds: Number(process.hrtime.bigint() - started) / 1e9 }
}

/**
 * Alternating rounds of two sides: A B, B A, A B, … so that neither always runs first (the machine warms up, caches
 * fill, background work of one round spills into the next). Returns each side's rounds.
 */
export async function alternate<T>(
  rounds: number,
  a: (round: number) => Promise<T>,
  b: (round: number) => Promise<T>
): Promise<{ a: T[]; b: T[] }> {
  const [ra, rb] = await rotate(rounds, [a, b])
  return { a: ra, b: rb }
}

/**
 * Rounds of several sides, the order rotating by one each round (A B C, B C A, C A B, …) so that no side always runs
 * first or last. Returns each side's rounds, in the order the sides were given.
 */
export async function rotate<T>(rounds: number, sides: ((round: number) => Promise<T>)[]): Promise<T[][]> {
  const out = sides.map(() => [] as T[])
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < sides.length; k++) {
      const s = (r + k) % sides.length
      out[s].push(await sides[s](r))
    }
  }
  return out
}

export async function writeResult(result: unknown) {
  const file = process.env.BENCH_RESULT_FILE
  if (!file) throw new Error("BENCH_RESULT_FILE is not set: run the benchmarks through `npm run bench`")
  await fs.mkdir(path.dirname(file), { recursive: true })
  await fs.writeFile(file, JSON.stringify(result, null, 2) + "\n")
}

/**
 * node-pg pool on the benchmark's database, for the raw baselines. As many connections as the vault's own knex pool
 * (knex's default maximum, 10), so that neither side can run more statements at once than the other.
 */
export function rawPool(database: string, max = 10): Pool {
  return new Pool({
    host: process.env.DB_HOST,
    port: Number(process.env.DB_PORT ?? 5432),
    user: process.env.DB_USERNAME,
    password: process.env.DB_PASSWORD || undefined,
    database,
    max,
  })
}

/**
 * Lets the table settle before a timed round: VACUUM ANALYZE (what autovacuum would do after a big import or sale,
 * and would otherwise start in the middle of whichever round comes next) and a CHECKPOINT (so that no round pays for
 * the previous one's dirty pages). CHECKPOINT needs a superuser or pg_checkpoint; without it only the vacuum runs.
 */
export async function settle(pool: Pool, table = "card_code") {
  await pool.query(`VACUUM (ANALYZE) ${table}`)
  await pool.query("CHECKPOINT").catch(() => undefined)
}

/**
 * The raw baseline claim: one statement through node-pg, autocommit, nothing else. It walks the pool in the same FIFO
 * order as ours, `created_at, id`, the order of the partial index IDX_card_code_claimable_fifo. (Ordered by `id` alone
 * it has no matching partial index: the planner then walks the primary key through every sold code, or sorts the
 * pool's available codes on each claim — a baseline slowed down by its own plan, which would flatter us. That plan is
 * printed for the record.)
 */
export const RAW_CLAIM = `WITH c AS (SELECT id FROM card_code WHERE pool_id = $1 AND status = 'available' AND deleted_at IS NULL
                     ORDER BY created_at, id LIMIT 1 FOR UPDATE SKIP LOCKED)
                   UPDATE card_code cc SET status = 'reserved', cart_id = $2, reserved_at = now(), updated_at = now()
                     FROM c WHERE cc.id = c.id RETURNING cc.id`
export const RAW_CLAIM_BY_ID = RAW_CLAIM.replace("ORDER BY created_at, id", "ORDER BY id")

export type Plan = {
  text: string
  /** Index that the claiming scan (the CTE that picks the codes to lock) reads. */
  claim_index: string
  /** Every scan on card_code in the plan. */
  indexes: string[]
  planning_ms?: number
  execution_ms?: number
}

const scanRe = /(Index Only Scan|Index Scan|Bitmap Index Scan|Seq Scan)(?: Backward)?(?: using "?([^"\s]+)"?)? on "?(\w+)"?/

/** The scans on card_code in a text plan, as "Index Scan X". */
function cardCodeScans(lines: string[]): string[] {
  const found: string[] = []
  for (const line of lines) {
    const m = scanRe.exec(line)
    if (m && (m[3] === "card_code" || m[1] === "Bitmap Index Scan")) found.push(m[2] ? `${m[1]} ${m[2]}` : `${m[1]} ${m[3]}`)
  }
  return [...new Set(found)]
}

/**
 * The scan inside the CTE that chooses the codes to claim: `c1` in ours (the FIFO branch; `c2` is the expiry-first
 * branch, cut off by a one-time filter for a FIFO pool), `c` in the raw statement.
 */
function claimScan(text: string): string {
  const lines = text.split("\n")
  const start = lines.findIndex((l) => /^\s*CTE c1?$/.test(l))
  if (start < 0) return cardCodeScans(lines)[0] ?? "none"
  const indent = lines[start].search(/\S/)
  let end = start + 1
  while (end < lines.length && (lines[end].search(/\S/) > indent || !lines[end].trim())) end++
  return cardCodeScans(lines.slice(start, end))[0] ?? "none"
}

/**
 * EXPLAIN of a statement given as SQL with its parameters. With `analyze`, the statement really runs inside a
 * transaction that is rolled back (claims and audit rows vanish), and the plan carries row counts, buffers and times.
 */
export async function explain(client: PoolClient, sql: string, params: unknown[] = [], analyze = false): Promise<Plan> {
  const options = analyze ? "(ANALYZE, BUFFERS, COSTS OFF, TIMING OFF)" : "(COSTS OFF)"
  await client.query("BEGIN")
  try {
    const { rows } = await client.query(`EXPLAIN ${options} ${sql}`, params)
    const text = rows.map((r: any) => r["QUERY PLAN"]).join("\n")
    const num = (re: RegExp) => {
      const m = re.exec(text)
      return m ? Number(m[1]) : undefined
    }
    return {
      text,
      claim_index: claimScan(text),
      indexes: cardCodeScans(text.split("\n")),
      planning_ms: num(/Planning Time: ([\d.]+) ms/),
      execution_ms: num(/Execution Time: ([\d.]+) ms/),
    }
  } finally {
    await client.query("ROLLBACK")
  }
}

/**
 * The plan of the claim inside our reservation (the database function `card_vault_reserve`, one pool, quantity 1), as
 * PostgreSQL really ran it: auto_explain logs the function's nested statements; the call is rolled back. With
 * `analyze`, the plan carries row counts and buffers, and `execution_ms` is the claim statement's run time.
 */
export async function ourClaimPlan(database: string, poolId: string, analyze = false): Promise<Plan> {
  const call = reservationCall("cart_plan", new Map([[poolId, 1]]), SYSTEM)
  const plans = await nestedPlans(database, call.text, call.values, { analyze, format: "text" })
  const claim = plans.find((p) => /FOR UPDATE SKIP LOCKED/.test(p.query))
  if (!claim) throw new Error("auto_explain logged no plan for the claim inside card_vault_reserve")
  const lines = claim.text.split("\n")
  const scans = cardCodeScans(lines)
  return {
    text: claim.text,
    claim_index: scans[0] ?? "none",
    indexes: scans,
    execution_ms: analyze ? claim.duration_ms : undefined,
  }
}

/**
 * Creates a pool and fills it with `n` generated vouchers through the vault's streaming import (the same path as
 * `medusa-virtual-goods generate`). Returns the pool and the import rate.
 */
export async function fillPool(service: CardVaultModuleService, name: string, n: number) {
  const pool = await service.createCardPools({ name })
  const t0 = process.hrtime.bigint()
  const { batch_id } = await service.startImportBatch({ pool_id: pool.id, source: "generated", mode: "skip_invalid", lines_total: n, actor: SYSTEM })
  const source = openImportSource({ type: "generate", format: {}, count: n })
  const outcome = await service.importStream({ batch_id, lines: source.lines, target_count: source.target_count, actor: SYSTEM })
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9
  if (outcome.status !== "committed" || outcome.code_count !== n) {
    throw new Error(`filling pool "${name}": ${outcome.status}, ${outcome.code_count} of ${n} codes`)
  }
  return { pool_id: pool.id as string, seconds: round2(seconds), codes_per_second: Math.round(n / seconds) }
}

/** Checks that every claimed id is new; throws on a code claimed twice or a claim that found nothing. */
export class ClaimLedger {
  private seen = new Set<string>()
  get size() {
    return this.seen.size
  }
  add(id: string | undefined, what: string) {
    if (!id) throw new Error(`${what}: the claim returned no code (pool too small for the benchmark?)`)
    if (this.seen.has(id)) throw new Error(`${what}: code ${id} was claimed twice`)
    this.seen.add(id)
  }
}

export const fmt = (n: number) => n.toLocaleString("en-US")
