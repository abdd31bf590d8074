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
  fillPool,
  fmt,
  goalText,
  log,
  ourClaimPlan,
  peakRssMb,
  QUICK,
  ratio,
  rawPool,
  Round,
  settle,
  SYSTEM,
  writeResult,
} from "./support"

jest.setTimeout(3_600_000)

const key = () => randomBytes(32).toString("base64")
const WORKERS = 16
const SOLD_SHARE = 0.9

/**
 * Growth: how our import and claim costs change as pools grow from 10k to 100k to 1M codes (quick: 10k and 100k), and
 * whether a claim slows down as a pool empties. For each size, two pools of that size are imported (the import rate is
 * measured on both); in one of them 90% of the codes are then sold (delivered to an order, oldest first, as FIFO
 * claims would have sold them) and the table is vacuumed as autovacuum would leave it. Then our claim runs at 16
 * workers on the fresh pool and on the emptied one in alternating rounds; the emptied/fresh ratio must stay near 1.
 */
moduleIntegrationTestRunner<CardVaultModuleService>({
  moduleName: CARD_VAULT_MODULE,
  dbName: process.env.BENCH_DB || "vg_bench_growth",
  resolve: path.join(__dirname, "../src/modules/card-vault"),
  pathToMigrations: path.join(__dirname, "../src/modules/card-vault/migrations"),
  moduleOptions: { keys: { "1": key() }, blind_index_key: key() },
  testSuite: ({ service, MikroOrmWrapper }) => {
    let raw: Pool | undefined
    afterAll(async () => {
      await raw?.end()
    })

    it("growth: import and claim cost by pool size, fresh vs 90% sold", async () => {
      const [{ db }] = (await MikroOrmWrapper.getManager().getConnection().execute("select current_database() as db")) as any[]
      raw = rawPool(db)
      const sizes = QUICK ? [10_000, 100_000] : [10_000, 100_000, 1_000_000]
      const rounds = 3
      const ledger = new ClaimLedger()
      const rows: any[] = []

      for (const size of sizes) {
        const { rows: before } = await raw.query("select count(*)::int as n from card_code")
        await settle(raw)
        const fresh = await fillPool(service, `fresh ${size}`, size)
        await settle(raw)
        const emptied = await fillPool(service, `emptied ${size}`, size)
        log(`import of ${fmt(size)} codes (table held ${fmt(before[0].n)}): ${fmt(fresh.codes_per_second)} and ${fmt(emptied.codes_per_second)} codes/s`)

        // Sell 90% of the second pool, oldest first, then let the table settle as autovacuum would.
        const sold = Math.floor(size * SOLD_SHARE)
        const t0 = Date.now()
        const { rowCount } = await raw.query(
          `UPDATE card_code SET status = 'delivered', cart_id = 'cart_bench_sold', order_id = 'order_bench_sold',
                  reserved_at = now(), delivered_at = now(), updated_at = now()
            WHERE id IN (SELECT id FROM card_code WHERE pool_id = $1 AND status = 'available' ORDER BY created_at, id LIMIT $2)`,
          [emptied.pool_id, sold]
        )
        if (rowCount !== sold) throw new Error(`sold ${rowCount} of ${sold} codes`)
        await settle(raw)
        log(`sold ${fmt(sold)} codes of the second pool and vacuumed in ${((Date.now() - t0) / 1000).toFixed(1)} s`)

        // One claim on each pool, really executed (and rolled back), to show the index read and the work done.
        const plans = {
          fresh: await ourClaimPlan(db, fresh.pool_id, true),
          emptied: await ourClaimPlan(db, emptied.pool_id, true),
        }
        const buffers = (text: string) => {
          const block = text.split("\n").findIndex((l) => /Index Scan using "?IDX_card_code_claimable_fifo/.test(l))
          const m = block >= 0 ? /Buffers: ([^\n]+)/.exec(text.split("\n").slice(block, block + 4).join("\n")) : null
          return m ? m[1] : "n/a"
        }
        log(
          `plan, pool of ${fmt(size)}: fresh reads ${plans.fresh.claim_index} (${buffers(plans.fresh.text)}, ${plans.fresh.execution_ms} ms); ` +
            `90% sold reads ${plans.emptied.claim_index} (${buffers(plans.emptied.text)}, ${plans.emptied.execution_ms} ms)`
        )
        if (size === sizes[sizes.length - 1]) log(`EXPLAIN ANALYZE of our claim on the 90% sold pool of ${fmt(size)}:\n${plans.emptied.text}`)

        // Each side claims (warm-up included) at most half of what the emptied pool has left.
        const perRound = Math.min(QUICK ? 1500 : 4000, Math.floor(((size - sold) / 2 - 5 * WORKERS) / rounds))
        const claims = (poolId: string, tag: string, r: number | string, count: number) =>
          concurrent(WORKERS, count, async (i) => {
            const { reserved_code_ids } = await service.reserveForCart({
              cart_id: `cart_${tag}_${size}_${r}_${i}`,
              items: [{ pool_id: poolId, quantity: 1 }],
              actor: SYSTEM,
            })
            ledger.add(reserved_code_ids[0], `claim on the ${tag} pool`)
          })
        // Untimed warm-up of both pools and all connections, then the alternating rounds.
        await claims(fresh.pool_id, "fresh", "warmup", 5 * WORKERS)
        await claims(emptied.pool_id, "emptied", "warmup", 5 * WORKERS)
        const sides = await alternate<Round>(
          rounds,
          (r) => claims(fresh.pool_id, "fresh", r, perRound),
          (r) => claims(emptied.pool_id, "emptied", r, perRound)
        )
        const f = combine(sides.a)
        const e = combine(sides.b)
        const row = {
          pool_size: size,
          table_rows_before_import: before[0].n,
          import_codes_per_second: { fresh_pool: fresh.codes_per_second, emptied_pool: emptied.codes_per_second, mean: Math.round((fresh.codes_per_second + emptied.codes_per_second) / 2) },
          sold_share: SOLD_SHARE,
          workers: WORKERS,
          claims_per_side: f.ops,
          fresh: f,
          emptied: e,
          ratio_emptied_vs_fresh: ratio(e.per_second, f.per_second),
          plans,
        }
        rows.push(row)
        log(
          `claim at ${WORKERS} workers, pool of ${fmt(size)}: fresh ${fmt(f.per_second)}/s (p99 ${f.p99_ms} ms), 90% sold ${fmt(e.per_second)}/s ` +
            `(p99 ${e.p99_ms} ms): ratio ${row.ratio_emptied_vs_fresh} (${goalText(row.ratio_emptied_vs_fresh, 0.8)})`
        )
      }

      // Every claim returned a new code; the database agrees.
      const { rows: check } = await raw.query(
        `select count(*)::int as n, count(distinct cart_id)::int as carts from card_code where status = 'reserved'`
      )
      if (check[0].n !== ledger.size || check[0].carts !== ledger.size) {
        throw new Error(`${check[0].n} reserved codes in ${check[0].carts} carts in the database, ${ledger.size} claims made`)
      }
      log(`checked: ${fmt(ledger.size)} claims, every code claimed once`)
      log(`peak RSS of this benchmark process (jest, the vault module, imports and claims): ${peakRssMb()} MB`)

      await writeResult({
        area: "growth",
        goal: "claims/s on a 90% sold pool ≥ 0.8x a fresh pool of the same size (the claim must not slow down as a pool empties)",
        rounds,
        rows,
        claims_checked: ledger.size,
        peak_rss_mb: peakRssMb(),
      })
    })
  },
})
