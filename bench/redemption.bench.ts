import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import { REDEMPTION_MODULE } from "../src/modules/redemption"
import type RedemptionModuleService from "../src/modules/redemption/service"
import { validateImportEntries } from "../src/modules/card-vault/utils/import-entries"
import { redeemVoucherWorkflow } from "../src/workflows/redemption"
import { cardVaultModule } from "../src/workflows/virtual-goods/utils/card-vault-module"
import { combine, concurrent, fmt, log, peakRssMb, QUICK, rawPool, rotate, Round, SYSTEM, writeResult } from "./support"

jest.setTimeout(3_600_000)

const DB = process.env.BENCH_DB || "vg_bench_redemption"
/** Vouchers each side spreads its redemptions over (concurrent redemptions of one voucher wait for its row). */
const VOUCHERS = 50
const USES = 1_000_000

/** ours / baseline with three significant digits. */
const ratio3 = (ours: number, base: number) => (base > 0 ? Number((ours / base).toPrecision(3)) : 0)

/**
 * Redemptions (核销) per second, three sides in one app booted by Medusa's test runner, each spreading its redemptions
 * over the same number of multi-use vouchers:
 *
 * - Baseline: the raw conditional UPDATE — `UPDATE bench_voucher SET remaining = remaining - 1 WHERE id = $1 AND
 *   remaining >= 1` on a table of its own, through node-pg (as many connections as the module's pool).
 * - Ledger: the redemption module's `redeemVoucher` — the request key looked up, the program read, the voucher's
 *   balance created at first use, and the one statement that takes the use and writes its ledger row.
 * - Workflow: `redeemVoucherWorkflow`, what the counter and partner routes run after resolving the code — the code
 *   checked in the vault (sold, with a program, not expired), the ledger, the `redeemed` event.
 *
 * 1 and 8 concurrent loops, rounds rotating the sides. Checked: every redemption of each side counted exactly once.
 */
medusaIntegrationTestRunner({
  dbName: DB,
  testSuite: ({ getContainer, dbConnection }) => {
    it("redemption: the module's ledger and the workflow vs a raw conditional UPDATE", async () => {
      const container: MedusaContainer = getContainer()
      const redemption = container.resolve<RedemptionModuleService>(REDEMPTION_MODULE)
      const vault = cardVaultModule(container)
      const raw = rawPool(DB)
      const perRound = Number(process.env.BENCH_REDEMPTION_PER_ROUND) || (QUICK ? 50 : 600)
      const rounds = QUICK ? 1 : 3

      // Baseline table and rows.
      await raw.query(`CREATE TABLE IF NOT EXISTS bench_voucher (id text PRIMARY KEY, remaining integer NOT NULL CHECK (remaining >= 0))`)
      await raw.query(`TRUNCATE bench_voucher`)
      await raw.query(`INSERT INTO bench_voucher (id, remaining) SELECT 'bv' || g, $1 FROM generate_series(1, $2) g`, [USES, VOUCHERS])

      // Ours: a pool of sold codes (delivered to an order) with a multi-use program.
      const pool = await vault.createCardPools({ name: "Bench vouchers" })
      const { entries } = validateImportEntries(Array.from({ length: VOUCHERS }, (_, i) => `BENCH-VOUCHER-${String(i).padStart(4, "0")}-${Date.now()}`))
      await vault.importSealedCodes({ pool_id: pool.id, codes: vault.sealCodes(pool.id, entries), actor: SYSTEM })
      await dbConnection.raw(`UPDATE card_code SET status = 'delivered', order_id = 'order_bench', delivered_at = now() WHERE pool_id = ?`, [pool.id])
      const codeIds: string[] = (await dbConnection.raw(`SELECT id FROM card_code WHERE pool_id = ? ORDER BY id`, [pool.id])).rows.map((r: { id: string }) => r.id)
      await redemption.setVoucherProgram({ pool_id: pool.id, kind: "multi_use", uses: USES })

      let keys = 0
      const counts = { baseline: 0, ledger: 0, workflow: 0 }
      const baseline = async (i: number) => {
        const { rowCount } = await raw.query(`UPDATE bench_voucher SET remaining = remaining - 1 WHERE id = $1 AND remaining >= 1`, [`bv${(i % VOUCHERS) + 1}`])
        if (rowCount !== 1) throw new Error("baseline: the raw UPDATE took nothing")
        counts.baseline++
      }
      const actor = { channel: "counter" as const, actor_type: "user", actor_id: "user_bench" }
      const ledger = async (i: number) => {
        const key = `ledger-${++keys}`
        const { replayed } = await redemption.redeemVoucher({ code_id: codeIds[i % VOUCHERS], pool_id: pool.id, idempotency_key: key, request_hash: key, ...actor })
        if (replayed) throw new Error("ledger: a fresh key was replayed")
        counts.ledger++
      }
      const workflow = async (i: number) => {
        const key = `workflow-${++keys}`
        const { result } = await redeemVoucherWorkflow(container).run({ input: { code_id: codeIds[i % VOUCHERS], idempotency_key: key, request_hash: key, ...actor } })
        if (result.replayed) throw new Error("workflow: a fresh key was replayed")
        counts.workflow++
      }

      for (let i = 0; i < 20; i++) {
        await baseline(i)
        await ledger(i)
        await workflow(i)
      }
      const warmup = { ...counts }

      const rows: unknown[] = []
      for (const workers of [1, 8]) {
        const [b, l, w] = await rotate<Round>(rounds, [
          () => concurrent(workers, perRound, baseline),
          () => concurrent(workers, perRound, ledger),
          () => concurrent(workers, perRound, workflow),
        ])
        const base = combine(b)
        const led = combine(l)
        const flow = combine(w)
        rows.push({ concurrency: workers, baseline: base, ledger: led, workflow: flow, ratio_ledger: ratio3(led.per_second, base.per_second), ratio_workflow: ratio3(flow.per_second, base.per_second) })
        log(
          `${workers} at a time, ${led.ops} per side: raw conditional UPDATE ${base.per_second}/s (p95 ${base.p95_ms} ms), ledger ${led.per_second}/s ` +
            `(p95 ${led.p95_ms} ms, ratio ${ratio3(led.per_second, base.per_second)}), workflow ${flow.per_second}/s (p95 ${flow.p95_ms} ms, ratio ${ratio3(flow.per_second, base.per_second)})`
        )
      }

      // Exactly once: the balances and the ledger say as many redemptions as were answered.
      const { rows: taken } = await raw.query(`SELECT sum($1::int - remaining)::int AS n FROM bench_voucher`, [USES])
      const { rows: ours } = await dbConnection.raw(`SELECT sum(redeemed_count)::int AS n FROM voucher WHERE pool_id = ?`, [pool.id])
      const { rows: ledgerRows } = await dbConnection.raw(`SELECT count(*)::int AS n FROM voucher_redemption WHERE pool_id = ? AND kind = 'redeem'`, [pool.id])
      if (taken[0].n !== counts.baseline) throw new Error(`baseline: ${taken[0].n} uses taken for ${counts.baseline} answers`)
      if (ours[0].n !== counts.ledger + counts.workflow || ledgerRows[0].n !== ours[0].n) {
        throw new Error(`ours: ${ours[0].n} on the vouchers and ${ledgerRows[0].n} ledger rows for ${counts.ledger + counts.workflow} answers`)
      }
      log(`checked: ${fmt(counts.baseline)} raw and ${fmt(counts.ledger + counts.workflow)} of ours (${warmup.ledger + warmup.workflow} of them warm-up), each counted exactly once`)
      await raw.end()
      await writeResult({
        area: "redemption",
        vouchers: VOUCHERS,
        rounds,
        per_round: perRound,
        rows,
        checks: { baseline: counts.baseline, ledger: counts.ledger, workflow: counts.workflow },
        peak_rss_mb: peakRssMb(),
      })
    })
  },
})
