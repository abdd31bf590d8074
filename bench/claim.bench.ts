import { readFileSync } from "fs"
import path from "path"
import { randomBytes } from "crypto"
import { Pool } from "pg"
import { moduleIntegrationTestRunner } from "@medusajs/test-utils"
import { CARD_VAULT_MODULE } from "../src/modules/card-vault"
import type CardVaultModuleService from "../src/modules/card-vault/service"
import {
  alternate,
  ClaimLedger,
  combine,
  concurrent,
  explain,
  fillPool,
  fmt,
  goalText,
  log,
  ourClaimPlan,
  peakRssMb,
  QUICK,
  ratio,
  RAW_CLAIM,
  RAW_CLAIM_BY_ID,
  rawPool,
  Round,
  settle,
  SYSTEM,
  writeResult,
} from "./support"
import { nestedPlans } from "../src/modules/card-vault/__tests__/support/nested-plans"

jest.setTimeout(3_600_000)

const key = () => randomBytes(32).toString("base64")

/** The goal of issue 12: ours at least this share of the raw claim's rate, on a slow day as on a fast one. */
const GOAL = 0.8

type PreviousRaw = { date: string; quick: boolean; per_second: number }

/**
 * The raw baseline's claims/s of the earlier run (bench/results/latest.json, the committed full run), per pool size and
 * worker count, read before this run writes anything. Printed next to this run's figures, it tells a slow machine
 * (the raw claim itself slower than before) from a slow change (only the ratio lower).
 */
function previousRawRates(): Map<string, PreviousRaw> {
  const found = new Map<string, PreviousRaw>()
  try {
    const previous = JSON.parse(readFileSync(path.join(__dirname, "results", "latest.json"), "utf8"))
    const claim = previous?.areas?.claim
    for (const r of claim?.rows ?? []) {
      if (r?.raw?.per_second > 0) {
        found.set(`${r.pool_size}_${r.workers}`, { date: claim.date ?? previous.date, quick: !!claim.quick, per_second: r.raw.per_second })
      }
    }
  } catch {
    // no earlier run (or an unreadable file): nothing to compare with
  }
  return found
}

/**
 * The plan that the claim inside our reservation (one pool, quantity 1) runs with once a connection has served a few
 * reservations: eight calls for eight carts on one connection (rolled back), as auto_explain logs them. After five
 * custom plans PostgreSQL keeps a generic one (parameters in the index condition) if it is not costlier, so the claim
 * is no longer planned on every call; it must still read the partial index of the pool's allocation order.
 */
async function ourCachedClaimPlan(database: string, poolId: string) {
  const calls = 8
  const plans = await nestedPlans(
    database,
    `SELECT card_vault_reserve('cart_plan_' || g, $1::text[], $2::integer[], ARRAY['caudit_plan_' || g], 'system', 'bench', NULL, NULL)
       FROM generate_series(1, ${calls}) g`,
    [[poolId], [1]]
  )
  const claims = plans.filter((p) => /FOR UPDATE SKIP LOCKED/.test(p.query))
  if (claims.length !== calls) throw new Error(`auto_explain logged ${claims.length} claims for ${calls} reservations`)
  const last = claims[claims.length - 1]
  // The scan that picks the codes (not the primary-key lookup of the update, nor the update itself).
  const scans = last.card_code_scans.filter((s) => s !== "card_code_pkey" && s !== "ModifyTable")
  return { call: calls, generic: /\$\d/.test(JSON.stringify(last.plan)), indexes: scans }
}

/** "raw 1,400/s = 0.30x of the 2026-11-23 run's 4,540/s" */
const rawAgainstPrevious = (perSecond: number, previous: PreviousRaw | undefined) =>
  `raw ${fmt(Math.round(perSecond))}/s = ` +
  (previous
    ? `${ratio(perSecond, previous.per_second)}x of the ${previous.date.slice(0, 10)}${previous.quick ? " quick" : ""} run's ${fmt(Math.round(previous.per_second))}/s`
    : "no earlier run at this size and worker count")

/**
 * Claim: our reservation (`reserveForCart` with one pool and quantity 1, exactly what checkout calls: per-cart
 * advisory lock, the conditional `FOR UPDATE SKIP LOCKED` claim and its `reserve` audit row, committed) against one
 * raw SQL claim statement through node-pg, at 1 and 16 concurrent workers, on pools of 10k and 1M codes (quick: 10k and
 * 100k). Each side claims from its own pool of the same size, in alternating rounds. No code may be claimed twice.
 */
moduleIntegrationTestRunner<CardVaultModuleService>({
  moduleName: CARD_VAULT_MODULE,
  dbName: process.env.BENCH_DB || "vg_bench_claim",
  resolve: path.join(__dirname, "../src/modules/card-vault"),
  pathToMigrations: path.join(__dirname, "../src/modules/card-vault/migrations"),
  moduleOptions: { keys: { "1": key() }, blind_index_key: key() },
  testSuite: ({ service, MikroOrmWrapper }) => {
    let raw: Pool | undefined
    afterAll(async () => {
      await raw?.end()
    })

    it("claim: ours vs one raw statement", async () => {
      const sql = async (q: string) => (await MikroOrmWrapper.getManager().getConnection().execute(q)) as any[]
      const [{ db }] = await sql("select current_database() as db")
      raw = rawPool(db)
      const previousRaw = previousRawRates()
      const sizes = QUICK ? [10_000, 100_000] : [10_000, 1_000_000]
      const rounds = 3
      const ledger = new ClaimLedger()
      const rows: any[] = []
      const plans: Record<string, any> = {}
      const fills: any[] = []

      for (const size of sizes) {
        // One pool per side, the same size, so each side claims from a fresh region of its own.
        const rawFill = await fillPool(service, `raw ${size}`, size)
        const ourFill = await fillPool(service, `ours ${size}`, size)
        fills.push({ pool_size: size, raw_pool: rawFill, our_pool: ourFill })
        log(`pools of ${fmt(size)} codes filled (vault import) at ${fmt(rawFill.codes_per_second)} and ${fmt(ourFill.codes_per_second)} codes/s`)
        await settle(raw)

        // Which index the claims use, with stock planner settings (random_page_cost untouched).
        const client = await raw.connect()
        try {
          const ours = await ourClaimPlan(db, ourFill.pool_id)
          const base = await explain(client, RAW_CLAIM, [rawFill.pool_id, "cart_plan"])
          const byId = await explain(client, RAW_CLAIM_BY_ID, [rawFill.pool_id, "cart_plan"])
          const cached = await ourCachedClaimPlan(db, ourFill.pool_id)
          plans[size] = { ours, ours_cached: cached, raw: base, raw_order_by_id: byId }
          log(
            `plan, pool of ${fmt(size)}: our claim reads ${ours.claim_index}, the raw claim ${base.claim_index}; ` +
              `our claim's plan at the ${cached.call}th call on one connection: ${cached.generic ? "cached generic plan" : "custom plan (planned on every call)"} reading ${cached.indexes.join(", ")}`
          )
          if (size === sizes[sizes.length - 1]) {
            log(`plan of the claim inside our reservation (pool of ${fmt(size)}):\n${ours.text}`)
            log(`for the record, the raw claim ordered by id alone would read: ${byId.claim_index}`)
          }
        } finally {
          client.release()
        }

        // Each side claims at most a third of its pool over all rounds and worker counts.
        const perRound = (workers: number) =>
          Math.min(workers === 1 ? (QUICK ? 300 : 1000) : QUICK ? 1500 : 4000, Math.floor(size / 3 / rounds / 2))
        for (const workers of [1, 16]) {
          const n = perRound(workers)
          const tag = `${size}_${workers}`
          const rawClaims = (r: number | string, count: number) =>
            concurrent(workers, count, async (i) => {
              const { rows: claimed } = await raw!.query(RAW_CLAIM, [rawFill.pool_id, `cart_raw_${tag}_${r}_${i}`])
              ledger.add(claimed[0]?.id, "raw claim")
            })
          const ourClaims = (r: number | string, count: number) =>
            concurrent(workers, count, async (i) => {
              const { reserved_code_ids } = await service.reserveForCart({
                cart_id: `cart_ours_${tag}_${r}_${i}`,
                items: [{ pool_id: ourFill.pool_id, quantity: 1 }],
                actor: SYSTEM,
              })
              if (reserved_code_ids.length !== 1) throw new Error(`our claim returned ${reserved_code_ids.length} codes`)
              ledger.add(reserved_code_ids[0], "our claim")
            })
          // Untimed warm-up: open every connection of both pools, warm caches and the JIT.
          await rawClaims("warmup", 5 * workers)
          await ourClaims("warmup", 5 * workers)
          const sides = await alternate<Round>(rounds, (r) => rawClaims(r, n), (r) => ourClaims(r, n))
          const base = combine(sides.a)
          const ours = combine(sides.b)
          const previous = previousRaw.get(tag)
          const row = {
            pool_size: size,
            workers,
            claims_per_side: base.ops,
            raw: base,
            ours,
            ratio: ratio(ours.per_second, base.per_second),
            // The earlier run's raw baseline at the same size and worker count, and this run's raw rate against it.
            raw_previous: previous ?? null,
            raw_vs_previous: previous ? ratio(base.per_second, previous.per_second) : null,
          }
          rows.push(row)
          log(
            `claim, pool ${fmt(size)}, ${workers} worker(s): raw ${fmt(base.per_second)}/s (p50 ${base.p50_ms} ms, p99 ${base.p99_ms} ms), ` +
              `ours ${fmt(ours.per_second)}/s (p50 ${ours.p50_ms} ms, p99 ${ours.p99_ms} ms): ratio ${row.ratio} ` +
              `(${rawAgainstPrevious(base.per_second, previous)}; ${goalText(row.ratio, GOAL)})`
          )
        }
      }

      // What the database holds must match what the claims returned: one code per cart, each reserved once.
      const [check] = await sql(
        `select count(*)::int as reserved, count(distinct id)::int as ids, count(distinct cart_id)::int as carts
           from card_code where status = 'reserved'`
      )
      const [audits] = await sql(`select coalesce(sum(code_count), 0)::int as n from card_audit_log where action = 'reserve'`)
      const oursClaimed = rows.reduce((s, r) => s + r.ours.ops + 5 * r.workers, 0) // timed claims + warm-ups
      if (check.reserved !== ledger.size || check.ids !== ledger.size || check.carts !== ledger.size) {
        throw new Error(`reserved codes in the database (${JSON.stringify(check)}) do not match the ${ledger.size} claims made`)
      }
      if (audits.n !== oursClaimed) throw new Error(`${audits.n} codes in reserve audit rows, ${oursClaimed} claimed by ours`)
      log(`checked: ${fmt(ledger.size)} claims, every code claimed once, one per cart; ${fmt(audits.n)} audited reservations`)
      log(`peak RSS of this benchmark process (jest, the vault module and both sides): ${peakRssMb()} MB`)

      await writeResult({
        area: "claim",
        goal: `ours ≥ ${GOAL}x raw claims/s`,
        goal_ratio: GOAL,
        rounds,
        rows,
        fills,
        plans,
        claims_checked: ledger.size,
        peak_rss_mb: peakRssMb(),
      })
    })
  },
})
