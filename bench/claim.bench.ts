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

jest.setTimeout(3_600_000)

const key = () => randomBytes(32).toString("base64")

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
          plans[size] = { ours, raw: base, raw_order_by_id: byId }
          log(`plan, pool of ${fmt(size)}: our claim reads ${ours.claim_index}, the raw claim ${base.claim_index}`)
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
          const row = { pool_size: size, workers, claims_per_side: base.ops, raw: base, ours, ratio: ratio(ours.per_second, base.per_second) }
          rows.push(row)
          log(
            `claim, pool ${fmt(size)}, ${workers} worker(s): raw ${fmt(base.per_second)}/s (p50 ${base.p50_ms} ms, p99 ${base.p99_ms} ms), ` +
              `ours ${fmt(ours.per_second)}/s (p50 ${ours.p50_ms} ms, p99 ${ours.p99_ms} ms): ratio ${row.ratio} (${goalText(row.ratio, 0.7)})`
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
        goal: "ours ≥ 0.7x raw claims/s",
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
