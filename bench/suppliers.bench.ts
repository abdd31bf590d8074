import { randomBytes } from "crypto"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import { MathBN } from "@medusajs/framework/utils"
import { createVirtualStore, explainHttpErrors, waitFor } from "../integration-tests/helpers"
import { createTopUpOffer, placeTopUpOrder } from "../integration-tests/helpers/topups"
import { startTopupSupplier, TopupSupplier } from "../integration-tests/helpers/topup-supplier"
import { validateImportEntries } from "../src/modules/card-vault/utils/import-entries"
import { GENERIC_HTTP_EXAMPLE_CONFIG, genericHttpAdapter } from "../src/modules/suppliers/adapters/generic-http"
import type { SupplierConnection, SupplierOrderRow } from "../src/modules/suppliers/service"
import { createSupplierProductWorkflow, updateSupplierWorkflow } from "../src/workflows/suppliers"
import { importRestockCodes } from "../src/workflows/suppliers/utils/import-restock-codes"
import { advanceSupplierOrder } from "../src/workflows/suppliers/utils/run-supplier-orders"
import { suppliersModule } from "../src/workflows/suppliers/utils/suppliers-module"
import { cardVaultModule } from "../src/workflows/virtual-goods/utils/card-vault-module"
import { createCardPoolWorkflow } from "../src/workflows/virtual-goods/workflows/create-card-pool"
import { importCardCodesWorkflow } from "../src/workflows/virtual-goods/workflows/import-card-codes"
import { combine, concurrent, fmt, log, peakRssMb, QUICK, rotate, Round, SYSTEM, writeResult } from "./support"

jest.setTimeout(3_600_000)

// The fake supplier listens on loopback: the suppliers module may connect there in this benchmark only.
process.env.VIRTUAL_GOODS_ALLOW_PRIVATE_SUPPLIERS = "true"

const DB = process.env.BENCH_DB || "vg_bench_suppliers"
const PHONE = "13800138000"
/** The supplier's request budget for the run: the admin API's maximum (the default, 120 a minute, would be the bottleneck). */
const RATE_LIMIT_PER_MINUTE = 100_000
/** The supplier products' unit cost for restocks, decimal text: the supplier's total is N × this. */
const RESTOCK_UNIT_COST = "7.25"

/** ours / baseline with three significant digits: a top-up through our path is far slower than two bare HTTP calls. */
const ratio3 = (ours: number, base: number) => (base > 0 ? Number((ours / base).toPrecision(3)) : 0)
const round2 = (n: number) => Math.round(n * 100) / 100

/** `count` distinct random codes (letters and digits, 20 characters), generated before any clock starts. */
function randomCodes(count: number, prefix: string): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}${i.toString(36).toUpperCase()}-${randomBytes(8).toString("hex").toUpperCase()}`)
}

/**
 * Suppliers, two measures in one app booted by Medusa's test runner (in-memory event bus and workflow engine), against
 * the fake top-up supplier on loopback (integration-tests/helpers/topup-supplier.ts, the generic HTTP protocol).
 *
 * 1. Top-ups submitted and settled. Baseline: the generic adapter alone, no database — `genericHttpAdapter.submitOrder`
 *    straight to the fake (answer `processing` → accepted), then `queryOrder` (→ succeeded), the two calls any top-up
 *    takes with this supplier. Ours: a supplier order created with the module's `createSupplierOrdersOnce` for a
 *    synthetic top-up line of a real paid order (placed through the store API beforehand: cart, recipient, payment,
 *    completion), then `advanceSupplierOrder` until it is final, as the job and the order events drive it — the
 *    payment read, the claim, the price guard, the sealed recipient opened, the gateway (connection, rate limit,
 *    health), the answer applied and audited, the `settled` event. 1 and 4 concurrent loops, alternating rounds.
 *    The customers' emails (sent from the `settled` event after the clock) are waited for between rounds, untimed.
 *    Checked: every order of both sides credited exactly once by the fake, one recharge request per order number, ours
 *    all `succeeded` with one email each.
 * 2. Restock imports. Baseline: the vault's own import of N codes into a fresh pool — validate, `sealCodes`,
 *    `importCardCodesWorkflow` with the supplier, unit cost and currency (what the admin import route does). Ours:
 *    `importRestockCodes` for a restock supplier order delivering the same number of codes into a fresh pool (the
 *    reference lookup, validate, the supplier read, sealing, the unit cost, the import with its unique batch
 *    reference). N = 100 and 1,000 (quick: 10 and 50), alternating rounds. Checked: each pool holds exactly its N
 *    available codes in one batch; ours with the supplier's name and the real unit cost; a repeat finds the batch.
 */
medusaIntegrationTestRunner({
  dbName: DB,
  testSuite: ({ api, getContainer, dbConnection }) => {
    let fake: TopupSupplier | undefined
    afterAll(async () => {
      await fake?.stop()
    })

    it("suppliers: top-ups through our path vs the adapter alone; restock imports vs the vault's import", async () => {
      explainHttpErrors(api)
      const container: MedusaContainer = getContainer()
      const suppliers = suppliersModule(container)
      const vault = cardVaultModule(container)
      fake = await startTopupSupplier({ balance: "100000000.00" })

      // ---------------------------------------------------------------------------------------------------------------
      // Top-ups
      // ---------------------------------------------------------------------------------------------------------------
      const levels = [1, 4]
      const rounds = QUICK ? 1 : 3
      const perRound = Number(process.env.BENCH_SUPPLIERS_PER_ROUND) || (QUICK ? 5 : 40)
      const warmup = 3
      const realOrders = 2

      const t0 = Date.now()
      const store = await createVirtualStore(container, 1)
      const { supplierId, variantId } = await createTopUpOffer(container, store, fake)
      // A poll interval far beyond the run keeps the every-minute job from querying the orders this run drives itself.
      await updateSupplierWorkflow(container).run({ input: { id: supplierId, rate_limit_per_minute: RATE_LIMIT_PER_MINUTE, poll_interval_seconds: 3600 } })
      const paid: SupplierOrderRow[] = []
      for (let i = 0; i < realOrders; i++) {
        const orderId = await placeTopUpOrder(api, store, variantId, PHONE, `bench-topup-${i}@example.com`)
        // The order's own top-up line: created and submitted by `order.placed`, settled here.
        const row = await waitFor(async () => {
          const [o] = await suppliers.listSupplierOrders({ order_id: orderId }, { select: ["id", "status"] })
          return o && o.status !== "pending" && o.status !== "submitting" ? o : null
        }, 60_000)
        const status = await advanceSupplierOrder(container, row.id)
        if (status !== "succeeded") throw new Error(`the top-up of real order ${orderId} ended ${status}`)
        paid.push(await suppliers.retrieveSupplierOrderRow(row.id))
      }
      log(
        `top-ups: the fake supplier on loopback, a top-up offer (rate limit ${fmt(RATE_LIMIT_PER_MINUTE)}/min), ${realOrders} real paid orders ` +
          `placed through the store API and their top-ups settled, in ${((Date.now() - t0) / 1000).toFixed(1)} s`
      )

      const conn: SupplierConnection = {
        supplier_id: supplierId,
        base_url: fake.url,
        credentials: fake.credentials,
        config: GENERIC_HTTP_EXAMPLE_CONFIG,
        timeout_ms: 2000,
        allow_private_addresses: true,
        callback_url: null,
      }
      const baselineNos: string[] = []
      const oursIds: string[] = []

      const baseline = async (tag: string, i: number) => {
        const orderNo = `BENCH-${tag}-${i}`
        const submitted = await genericHttpAdapter.submitOrder(conn, { order_no: orderNo, product_id: "mobile-10", quantity: 1, recipient: { account: PHONE }, max_unit_cost: "9.95" })
        if (submitted.state !== "accepted") throw new Error(`baseline ${orderNo}: submitted → ${submitted.state} (${submitted.reason ?? ""})`)
        const settled = await genericHttpAdapter.queryOrder(conn, orderNo)
        if (settled.state !== "succeeded") throw new Error(`baseline ${orderNo}: queried → ${settled.state} (${settled.reason ?? ""})`)
        baselineNos.push(orderNo)
      }
      const ours = async (tag: string, i: number) => {
        const order = paid[i % paid.length]
        const [created] = await suppliers.createSupplierOrdersOnce([
          {
            supplier_id: order.supplier_id,
            supplier_product_id: order.supplier_product_id,
            kind: "topup",
            upstream_product_id: order.upstream_product_id,
            quantity: 1,
            order_id: order.order_id,
            line_item_id: `bench_line_${tag}_${i}`,
            recipient_id: order.recipient_id,
            recipient_masked: order.recipient_masked,
            amount: "10",
            currency_code: "usd",
            max_unit_cost: order.max_unit_cost,
          },
        ])
        if (!created.created) throw new Error(`supplier order for line bench_line_${tag}_${i} already existed`)
        let status = "pending"
        for (let step = 0; step < 3 && status !== "succeeded"; step++) status = await advanceSupplierOrder(container, created.id)
        if (status !== "succeeded") throw new Error(`supplier order ${created.id}: ${status} after three advances`)
        oursIds.push(created.id)
      }
      const emailsSent = async () =>
        Number((await dbConnection.raw(`select count(*)::int as n from notification where template = 'virtual-goods.topup-succeeded'`)).rows[0].n)
      /** Waits (untimed) until every settled top-up of ours has its email: the `settled` event's work is done. */
      const drainEmails = async () => {
        const started = Date.now()
        const expected = oursIds.length + paid.length
        await waitFor(async () => (await emailsSent()) >= expected, 120_000).catch(async () => {
          throw new Error(`top-up emails: ${await emailsSent()} sent, ${expected} expected`)
        })
        return (Date.now() - started) / 1000
      }

      for (let i = 0; i < warmup; i++) {
        await baseline("warmup", i)
        await ours("warmup", i)
      }
      await drainEmails()

      const topupRows: any[] = []
      let emailDrain = 0
      for (const workers of levels) {
        const tag = (side: string, r: number) => `${side}${workers}x${r}`
        const [base, mine] = await rotate<Round>(rounds, [
          (r) => concurrent(workers, perRound, (i) => baseline(tag("b", r), i)),
          async (r) => {
            const round = await concurrent(workers, perRound, (i) => ours(tag("o", r), i))
            emailDrain = Math.max(emailDrain, await drainEmails())
            return round
          },
        ])
        const b = combine(base)
        const o = combine(mine)
        const row = { concurrency: workers, orders_per_side: o.ops, baseline: b, ours: o, ratio: ratio3(o.per_second, b.per_second) }
        topupRows.push(row)
        log(
          `top-ups, ${workers} at a time, ${o.ops} per side: adapter alone (submit + query, no database) ${b.per_second} orders/s ` +
            `(p50 ${b.p50_ms} ms, p95 ${b.p95_ms} ms), ours (supplier order created for a paid line, advanced to succeeded) ${o.per_second} orders/s ` +
            `(p50 ${o.p50_ms} ms, p95 ${o.p95_ms} ms): ratio ${row.ratio}`
        )
      }

      // Exactly once at the supplier: every order number of both sides credited once, sent once; ours all succeeded.
      const recharges = new Map<string, number>()
      for (const r of fake.requestsTo("/api/recharge")) recharges.set(r.params.order_no, (recharges.get(r.params.order_no) ?? 0) + 1)
      const allNos = [...baselineNos, ...oursIds, ...paid.map((p) => p.id)]
      const wrong = allNos.filter((no) => fake!.creditedCount(no) !== 1 || recharges.get(no) !== 1)
      if (wrong.length || new Set(allNos).size !== allNos.length) {
        throw new Error(`fake supplier: ${wrong.length} of ${allNos.length} order numbers not credited exactly once with one recharge request: ${wrong.slice(0, 5).join(", ")}`)
      }
      if (fake.totalCredited() !== allNos.length) throw new Error(`fake supplier: ${fake.totalCredited()} credits for ${allNos.length} orders`)
      const { rows: states } = await dbConnection.raw(
        `select status, count(*)::int as n, sum(attempts)::int as attempts from supplier_order where kind = 'topup' and deleted_at is null group by status`
      )
      const succeeded = states.find((s: { status: string }) => s.status === "succeeded")
      if (states.length !== 1 || succeeded?.n !== oursIds.length + paid.length || succeeded?.attempts !== succeeded?.n) {
        throw new Error(`supplier orders by status: ${JSON.stringify(states)}; ${oursIds.length + paid.length} succeeded with one attempt each expected`)
      }
      const { rows: emails } = await dbConnection.raw(
        `select count(*)::int as n, count(distinct idempotency_key)::int as keys from notification where template = 'virtual-goods.topup-succeeded'`
      )
      if (emails[0].n !== oursIds.length + paid.length || emails[0].keys !== emails[0].n) {
        throw new Error(`top-up emails: ${emails[0].n} sent (${emails[0].keys} distinct), ${oursIds.length + paid.length} expected`)
      }
      const requestsPerOrder = round2(fake.requests.filter((r) => oursIds.includes(r.params.order_no)).length / oursIds.length)
      log(
        `checked: ${fmt(allNos.length)} order numbers (${fmt(baselineNos.length)} baseline, ${fmt(oursIds.length)} ours, ${paid.length} real) each credited ` +
          `exactly once by the fake with one recharge request; ours all succeeded with one attempt and one email (the emails caught up at most ` +
          `${round2(emailDrain)} s after a round); ${requestsPerOrder} requests to the supplier per order of ours`
      )

      // ---------------------------------------------------------------------------------------------------------------
      // Restock imports
      // ---------------------------------------------------------------------------------------------------------------
      const sizes = QUICK ? [10, 50] : [100, 1000]
      const restockRows: any[] = []
      const supplierName = (await suppliers.retrieveSupplier(supplierId, { select: ["name"] })).name as string
      let poolSeq = 0
      const freshPool = async (label: string) => (await createCardPoolWorkflow(container).run({ input: { name: `Bench ${label} ${++poolSeq}` } })).result.id as string
      const checkPool = async (poolId: string, n: number, what: string) => {
        const available = (await vault.getAvailableCounts([poolId]))[poolId] ?? 0
        const batches = await vault.listCardBatches({ pool_id: poolId }, { select: ["id", "code_count", "supplier", "cost_per_code", "currency_code", "status"] })
        if (available !== n || batches.length !== 1 || Number(batches[0].code_count) !== n) {
          throw new Error(`${what}: pool ${poolId} holds ${available} available codes in ${batches.length} batch(es), ${n} imported`)
        }
        return batches[0]
      }
      let lastOurs: { order: SupplierOrderRow; codes: string[]; batch_id: string } | null = null

      for (const n of sizes) {
        const timed = async (fn: () => Promise<unknown>): Promise<Round> => {
          const started = process.hrtime.bigint()
          await fn()
          const seconds = Number(process.hrtime.bigint() - started) / 1e9
          return { latencies: [seconds * 1000], seconds }
        }
        const vaultImport = async (r: number) => {
          const poolId = await freshPool("vault import")
          const codes = randomCodes(n, `BV${n}R${r}`)
          const round = await timed(async () => {
            const { entries, errors } = validateImportEntries(codes.map((code) => ({ code })))
            if (errors.length) throw new Error(`baseline codes: ${errors.length} invalid`)
            await importCardCodesWorkflow(container).run({
              input: { pool_id: poolId, codes: vault.sealCodes(poolId, entries), supplier: supplierName, cost_per_code: RESTOCK_UNIT_COST, currency_code: "usd", actor: SYSTEM },
            })
          })
          await checkPool(poolId, n, "vault import")
          return round
        }
        const restockImport = async (r: number) => {
          const poolId = await freshPool("restock")
          const { result: product } = await createSupplierProductWorkflow(container).run({
            input: { supplier_id: supplierId, kind: "codes", upstream_product_id: `voucher-${poolId}`, name: "Bench voucher", unit_cost: RESTOCK_UNIT_COST, currency_code: "usd", pool_id: poolId },
          })
          const orderId = await suppliers.createRestockOrder({
            supplier_id: supplierId,
            supplier_product_id: product.id,
            kind: "restock",
            upstream_product_id: `voucher-${poolId}`,
            quantity: n,
            pool_id: poolId,
            currency_code: "usd",
          })
          if (!orderId) throw new Error(`pool ${poolId}: a restock order is already open`)
          const order = await suppliers.retrieveSupplierOrderRow(orderId)
          const codes = randomCodes(n, `RS${n}R${r}`)
          const total = MathBN.mult(RESTOCK_UNIT_COST, n).toString()
          let batchId = ""
          const round = await timed(async () => {
            const imported = await importRestockCodes(container, order, { codes: codes.map((code) => ({ code })), total_cost: total })
            batchId = imported.batch_id
            if (imported.imported !== n) throw new Error(`restock ${orderId}: ${imported.imported} of ${n} codes imported`)
          })
          const batch = await checkPool(poolId, n, "restock import")
          if (batch.id !== batchId || batch.supplier !== supplierName || batch.cost_per_code == null || !MathBN.eq(MathBN.convert(batch.cost_per_code), RESTOCK_UNIT_COST) || batch.currency_code !== "usd") {
            throw new Error(`restock ${orderId}: batch ${JSON.stringify(batch)}`)
          }
          // Not left pending for the every-minute job to submit to the fake: its delivery was the import above.
          await suppliers.softDeleteSupplierOrders([orderId])
          lastOurs = { order, codes, batch_id: batchId }
          return round
        }
        await vaultImport(-1)
        await restockImport(-1)
        const [base, mine] = await rotate<Round>(rounds, [vaultImport, restockImport])
        // Codes over the summed wall time of the rounds, unrounded: a round of 100 codes takes a few hundredths of a second.
        const side = (rs: Round[]) => {
          const seconds = rs.reduce((sum, x) => sum + x.seconds, 0)
          return { seconds: round2(seconds), codes_per_second: Math.round((n * rs.length) / seconds), rounds: rs.map((x) => Math.round(n / x.seconds)) }
        }
        const row = { codes: n, rounds, baseline: side(base), ours: side(mine), ratio: 0 }
        row.ratio = round2(row.ours.codes_per_second / row.baseline.codes_per_second)
        restockRows.push(row)
        log(
          `restock import of ${fmt(n)} codes, ${rounds} round(s) each: vault import (validate, seal, importCardCodesWorkflow) ${fmt(row.baseline.codes_per_second)} codes/s ` +
            `(rounds ${row.baseline.rounds.map(fmt).join(", ")}), ours (importRestockCodes) ${fmt(row.ours.codes_per_second)} codes/s ` +
            `(rounds ${row.ours.rounds.map(fmt).join(", ")}): ratio ${row.ratio}`
        )
      }
      // A repeat of the last delivery (a query after a crash) finds its batch and imports nothing.
      const last = lastOurs as { order: SupplierOrderRow; codes: string[]; batch_id: string } | null
      if (!last) throw new Error("no restock import ran")
      const again = await importRestockCodes(container, last.order, { codes: last.codes.map((code) => ({ code })), total_cost: null })
      if (again.batch_id !== last.batch_id) throw new Error(`a repeated delivery answered batch ${again.batch_id}, not ${last.batch_id}`)
      await checkPool(last.order.pool_id!, last.codes.length, "repeated restock")
      log(`checked: every pool holds exactly its codes in one batch (ours with the supplier's name and the unit cost ${RESTOCK_UNIT_COST}); a repeated delivery found its batch`)
      log(`peak RSS of this benchmark process (the Medusa app, the fake supplier, both sides): ${peakRssMb()} MB`)

      await writeResult({
        area: "suppliers",
        topups: {
          ours_mode: `synthetic top-up lines of ${realOrders} real paid orders (placed through the store API): supplier orders created with createSupplierOrdersOnce, advanced to succeeded with advanceSupplierOrder`,
          baseline_mode: "genericHttpAdapter.submitOrder then queryOrder straight to the fake supplier, no database",
          rate_limit_per_minute: RATE_LIMIT_PER_MINUTE,
          rounds,
          warmup_per_side: warmup,
          rows: topupRows,
          requests_per_order_ours: requestsPerOrder,
          email_drain_max_seconds: round2(emailDrain),
          checks: { baseline_orders: baselineNos.length, ours_orders: oursIds.length, real_orders: paid.length, credited_once: allNos.length },
        },
        restock: { unit_cost: RESTOCK_UNIT_COST, rounds, rows: restockRows },
        peak_rss_mb: peakRssMb(),
      })
    })
  },
})
