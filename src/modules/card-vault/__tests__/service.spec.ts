import { randomBytes } from "crypto"
import path from "path"
import { moduleIntegrationTestRunner } from "@medusajs/test-utils"
import { CARD_VAULT_MODULE } from ".."
import { nestedPlans } from "./support/nested-plans"
import CardVaultModuleService, { claimStatement, reservationCall } from "../service"
import { cardVaultReserveFunctionBody } from "../sql/card-vault-reserve"
import { claimCte } from "../utils/allocation-sql"
import { validateImportEntries } from "../utils/import-entries"
import { revealLinkKey, revealUrlOf } from "../utils/reveal-link"

jest.setTimeout(120_000)

const key = () => randomBytes(32).toString("base64")
const moduleOptions = { keys: { "1": key() }, blind_index_key: key() }

moduleIntegrationTestRunner<CardVaultModuleService>({
  moduleName: CARD_VAULT_MODULE,
  resolve: path.join(__dirname, ".."),
  pathToMigrations: path.join(__dirname, "../migrations"),
  moduleOptions,
  testSuite: ({ service, MikroOrmWrapper }) => {
    const sql = async (query: string, params: unknown[] = []) =>
      (await MikroOrmWrapper.getManager().getConnection().execute(query, params)) as any[]

    const importCodes = async (poolId: string, codes: string[]) => {
      const { entries, errors } = validateImportEntries(codes)
      expect(errors).toEqual([])
      return service.importSealedCodes({
        pool_id: poolId,
        codes: service.sealCodes(poolId, entries),
        supplier: "ACME",
        cost_per_code: "1.25",
        currency_code: "USD",
        actor: { type: "user", id: "user_1" },
      })
    }

    const conservation = async (poolId: string, imported: number) => {
      const counts = (await service.getStockCounts([poolId]))[poolId]
      const sum =
        counts.available + counts.reserved + counts.delivered + counts.revealed + counts.voided + counts.expired
      expect(sum).toBe(imported)
      expect(counts.total).toBe(imported)
      return counts
    }

    describe("claims under concurrency", () => {
      it("50 parallel claims against 20 codes claim exactly 20 distinct codes; the rest fail cleanly", async () => {
        const pool = await service.createCardPools({ name: "Youku monthly" })
        await importCodes(pool.id, Array.from({ length: 20 }, (_, i) => `YOUKU-${i}-${randomBytes(6).toString("hex")}`))

        const results = await Promise.allSettled(
          Array.from({ length: 50 }, (_, i) =>
            service.reserveForCart({ cart_id: `cart_${i}`, items: [{ pool_id: pool.id, quantity: 1 }] })
          )
        )
        const ok = results.filter((r) => r.status === "fulfilled") as PromiseFulfilledResult<any>[]
        const failed = results.filter((r) => r.status === "rejected") as PromiseRejectedResult[]
        expect(ok).toHaveLength(20)
        expect(failed).toHaveLength(30)
        for (const f of failed) {
          expect(f.reason.type).toBe("not_allowed")
          expect(f.reason.message).toMatch(new RegExp(`^Out of stock: ${pool.id} \\(requested 1, available 0\\)$`))
        }
        const ids = ok.flatMap((r) => r.value.reserved_code_ids)
        expect(new Set(ids).size).toBe(20)

        const rows = await sql(`select cart_id, count(*)::int as n from card_code where pool_id = ? group by cart_id`, [pool.id])
        expect(rows.every((r) => r.n === 1)).toBe(true)
        expect(rows).toHaveLength(20)
        const counts = await conservation(pool.id, 20)
        expect(counts.available).toBe(0)
        expect(counts.reserved).toBe(20)
        const audits = await sql(`select count(*)::int as n from card_audit_log where action = 'reserve'`)
        expect(audits[0].n).toBe(20)
      })

      it("a multi-pool reservation is all or nothing and re-entrant per cart", async () => {
        const a = await service.createCardPools({ name: "A" })
        const b = await service.createCardPools({ name: "B" })
        await importCodes(a.id, ["A-0001-XYZ", "A-0002-XYZ", "A-0003-XYZ"])
        await importCodes(b.id, ["B-0001-XYZ"])

        const err = await service
          .reserveForCart({ cart_id: "cart_x", items: [{ pool_id: a.id, quantity: 2 }, { pool_id: b.id, quantity: 2 }] })
          .catch((e) => e)
        expect(err.message).toBe(`Out of stock: ${b.id} (requested 2, available 1)`)
        expect((await conservation(a.id, 3)).available).toBe(3)
        expect((await conservation(b.id, 1)).available).toBe(1)

        const first = await service.reserveForCart({ cart_id: "cart_y", items: [{ pool_id: a.id, quantity: 2 }] })
        const again = await service.reserveForCart({ cart_id: "cart_y", items: [{ pool_id: a.id, quantity: 2 }] })
        expect(first.reserved_code_ids).toHaveLength(2)
        expect(again.reserved_code_ids).toEqual([])
        expect((await conservation(a.id, 3)).reserved).toBe(2)
        // A retry asking for more than the cart holds reserves only the difference, with its own audit row.
        const more = await service.reserveForCart({ cart_id: "cart_y", items: [{ pool_id: a.id, quantity: 3 }] })
        expect(more.reserved_code_ids).toHaveLength(1)
        expect(more.reserved_code_ids[0]).not.toBe(first.reserved_code_ids[0])
        expect(first.reserved_code_ids).not.toContain(more.reserved_code_ids[0])
        expect((await conservation(a.id, 3)).reserved).toBe(3)
        const audit = await sql(
          `select code_count, code_ids, details from card_audit_log where action = 'reserve' and cart_id = 'cart_y' order by created_at`
        )
        expect(audit.map((r) => [r.code_count, r.details])).toEqual([
          [2, { requested: 2 }],
          [1, { requested: 3 }],
        ])
        expect(audit[1].code_ids).toEqual(more.reserved_code_ids)

        const bad = await service.reserveForCart({ cart_id: "c", items: [{ pool_id: a.id, quantity: NaN }] }).catch((e) => e)
        expect(bad.message).toBe(`Quantity for pool ${a.id} must be a positive integer`)
      })
      it("the installed card_vault_reserve is the one sql/card-vault-reserve.ts defines, with the claim the TypeScript runs", async () => {
        const [fn] = await sql(`select prosrc from pg_proc where proname = 'card_vault_reserve'`)
        expect(fn.prosrc).toBe(cardVaultReserveFunctionBody())
        // One claim text for both: the function's claims are the TypeScript claim with the function's variables.
        for (const order of ["fifo", "expiry_first"] as const) {
          expect(fn.prosrc).toContain(claimCte(order, { pool: "p_pools[i]", limit: "v_need", cart: "p_cart" }))
          expect(claimStatement(order)).toContain(claimCte(order, { pool: "?", limit: "?", cart: "?" }))
        }
        // Statuses come from the state machine, quoted where the SQL compares them.
        expect(fn.prosrc).toContain(`status IN ('reserved', 'delivered', 'revealed')`)
        expect(fn.prosrc).toContain(`SET status = 'reserved'`)
      })
      it("claims through the partial indexes of available codes, even when nearly the whole pool is sold", async () => {
        const pool = await service.createCardPools({ name: "Mostly sold" })
        await importCodes(pool.id, Array.from({ length: 3000 }, (_, i) => `SOLD-${i}-${randomBytes(4).toString("hex")}`))
        await sql(
          `update card_code set status = 'reserved', cart_id = 'cart_sold' where pool_id = ? and id in (select id from card_code where pool_id = ? order by id limit 2950)`,
          [pool.id, pool.id]
        )
        await sql(`update card_code set status = 'delivered', order_id = 'order_sold' where cart_id = 'cart_sold'`)
        await sql(`analyze card_code`)
        const planOf = async (order: "fifo" | "expiry_first") => {
          const [row] = await sql(`explain (format json) ${claimStatement(order)}`, [pool.id, 1, "cart_plan"])
          return JSON.stringify(row["QUERY PLAN"])
        }
        expect(await planOf("fifo")).toContain('"Index Name":"IDX_card_code_claimable_fifo"')
        expect(await planOf("expiry_first")).toContain('"Index Name":"IDX_card_code_claimable"')
        // The checkout's reservation (the function card_vault_reserve): the plans it really runs its claims with, as
        // auto_explain logs them, read only the partial index of the pool's allocation order — for both orders.
        const [{ db }] = await sql(`select current_database() as db`)
        const reservationScans = async () => {
          const call = reservationCall("cart_plan", new Map([[pool.id, 2]]), { type: "system" })
          const plans = await nestedPlans(db, call.text, call.values)
          const claim = plans.find((p) => /FOR UPDATE SKIP LOCKED/.test(p.query))
          expect(claim).toBeDefined()
          return plans.flatMap((p) => p.card_code_scans)
        }
        // Planned repeatedly, as one connection serving many checkouts would (a cached generic plan must not drift).
        for (let i = 0; i < 8; i++) {
          const scans = await reservationScans()
          expect(scans).toContain("IDX_card_code_claimable_fifo")
          expect(scans).not.toContain("Seq Scan")
        }
        await sql(`update card_pool set allocation_order = 'expiry_first' where id = ?`, [pool.id])
        const expiryScans = await reservationScans()
        expect(expiryScans).toContain("IDX_card_code_claimable")
        expect(expiryScans).not.toContain("IDX_card_code_claimable_fifo")
        expect(expiryScans).not.toContain("Seq Scan")
        await sql(`update card_pool set allocation_order = 'fifo' where id = ?`, [pool.id])
        // A checkout's usual line (one code of a pool) is not planned on every call: on one connection, after
        // PostgreSQL's five custom plans, the claim runs a cached generic plan — still on the partial index.
        const calls = 8
        const oneCode = await nestedPlans(
          db,
          `SELECT card_vault_reserve('cart_cached_' || g, $1::text[], $2::integer[], ARRAY['caudit_cached_' || g], 'system', 'test', NULL, NULL)
             FROM generate_series(1, ${calls}) g`,
          [[pool.id], [1]]
        )
        const claims = oneCode.filter((p) => /FOR UPDATE SKIP LOCKED/.test(p.query))
        expect(claims).toHaveLength(calls)
        const last = claims[calls - 1]
        expect(JSON.stringify(last.plan)).toMatch(/\$\d/)
        expect(last.card_code_scans).toContain("IDX_card_code_claimable_fifo")
        expect(last.card_code_scans).not.toContain("Seq Scan")
        const { reserved_code_ids } = await service.reserveForCart({ cart_id: "cart_plan", items: [{ pool_id: pool.id, quantity: 50 }] })
        expect(reserved_code_ids).toHaveLength(50)
      })
    })

    describe("pass-through", () => {
      it("a procurable line keeps what stock had and names what it misses; codes bought for it arrive reserved and complete it; a racing checkout never gets them", async () => {
        const pool = await service.createCardPools({ name: "Bought at delivery" })
        await importCodes(pool.id, ["PT-LOCAL-0001"])
        const lines = [{ line_item_id: "ordli_pt", pool_id: pool.id, quantity: 3 }]
        // Without the flag a shortage fails the whole delivery, as always; nothing moves.
        const refused = await service.deliverOrder({ order_id: "order_pt", cart_id: "cart_pt", lines }).catch((e) => e)
        expect(refused.message).toBe(`Out of stock while delivering order order_pt: line ordli_pt needs 2 more from pool ${pool.id}`)
        expect((await conservation(pool.id, 1)).available).toBe(1)

        const first = await service.deliverOrder({ order_id: "order_pt", cart_id: "cart_pt", lines: lines.map((l) => ({ ...l, procurable: true })) })
        expect(first).toEqual({ code_ids: first.delivered_now, delivered_now: [expect.any(String)], short: [{ line_item_id: "ordli_pt", pool_id: pool.id, missing: 2 }], held: { ordli_pt: 1 } })

        // The two codes bought for the order are stored reserved under its cart: stock stays empty for everyone else.
        const { entries } = validateImportEntries(["PT-BOUGHT-0001", "PT-BOUGHT-0002"])
        const { batch_id } = await service.importSealedCodes({
          pool_id: pool.id,
          codes: service.sealCodes(pool.id, entries),
          supplier: "Upstream",
          cost_per_code: "7.25",
          reserve_for: "cart_pt",
          actor: { type: "system", id: "supplier-order:supo_1" },
        })
        expect((await conservation(pool.id, 3)).available).toBe(0)
        const racing = await service.reserveForCart({ cart_id: "cart_other", items: [{ pool_id: pool.id, quantity: 1 }] }).catch((e) => e)
        expect(racing.message).toBe(`Out of stock: ${pool.id} (requested 1, available 0)`)
        expect(await sql(`select action, cart_id, code_count from card_audit_log where batch_id = ? order by created_at, action`, [batch_id])).toEqual([
          { action: "import", cart_id: null, code_count: 2 },
          { action: "reserve", cart_id: "cart_pt", code_count: 2 },
        ])

        const second = await service.deliverOrder({ order_id: "order_pt", cart_id: "cart_pt", lines: lines.map((l) => ({ ...l, procurable: true })) })
        expect(second.short).toEqual([])
        expect(second.held).toEqual({ ordli_pt: 3 })
        expect(second.delivered_now).toHaveLength(2)
        expect(second.code_ids.sort()).toEqual([...first.code_ids, ...second.delivered_now].sort())
        expect(await conservation(pool.id, 3)).toEqual(expect.objectContaining({ available: 0, reserved: 0, delivered: 3 }))
        // A batch bought for an order that has taken it cannot be reverted.
        await expect(service.revertImport({ batch_id })).rejects.toThrow("some of its codes already left stock")
      })
    })

    describe("lifecycle", () => {
      it("delivers exactly once, reveals with an audit record, restocks unrevealed and voids revealed codes", async () => {
        const pool = await service.createCardPools({ name: "Game points" })
        const codes = ["GP-AAAA-1111", "GP-BBBB-2222", "GP-CCCC-3333", "GP-DDDD-4444"]
        await importCodes(pool.id, codes)
        const { reserved_code_ids } = await service.reserveForCart({
          cart_id: "cart_1",
          items: [{ pool_id: pool.id, quantity: 2 }],
        })
        const lines = [{ line_item_id: "ordli_1", pool_id: pool.id, quantity: 2 }]
        const first = await service.deliverOrder({ order_id: "order_1", cart_id: "cart_1", lines })
        const second = await service.deliverOrder({ order_id: "order_1", cart_id: "cart_1", lines })
        expect(first.code_ids.sort()).toEqual([...reserved_code_ids].sort())
        expect(second.code_ids).toEqual(first.code_ids)
        expect(second.delivered_now).toEqual([])

        const err = await service
          .revealCodes({ code_ids: [first.code_ids[0]], order_id: "order_other", actor: { type: "customer", id: "cus_2" } })
          .catch((e) => e)
        expect(err.type).toBe("not_found")
        expect(err.message).toBe("Card code not found")

        const [revealed] = await service.revealCodes({
          code_ids: [first.code_ids[0]],
          order_id: "order_1",
          actor: { type: "customer", id: "cus_1", ip: "203.0.113.9", user_agent: "jest" },
        })
        expect(codes).toContain(revealed.code)
        expect(revealed.mask).toBe(`****${revealed.code.slice(-4)}`)
        const [log] = await sql(`select * from card_audit_log where action = 'reveal'`)
        expect(log).toEqual(
          expect.objectContaining({ actor_type: "customer", actor_id: "cus_1", ip: "203.0.113.9", user_agent: "jest", order_id: "order_1", code_count: 1 })
        )
        expect(JSON.stringify(log)).not.toContain(revealed.code)

        const back = await service.returnOrderCodes({ order_id: "order_1", cart_id: "cart_1", reason: "refunded" })
        expect(back.voided).toEqual([first.code_ids[0]])
        expect(back.restocked).toEqual([first.code_ids[1]])
        const counts = await conservation(pool.id, 4)
        expect(counts).toEqual(expect.objectContaining({ available: 3, voided: 1, reserved: 0, delivered: 0, revealed: 0 }))
      })

      it("reveals an owner's delivered codes in one audited statement: held codes stay hidden, nothing to reveal writes nothing", async () => {
        const pool = await service.createCardPools({ name: "Wholesale" })
        const codes = ["W-0001-AAAA", "W-0002-BBBB", "W-0003-CCCC", "W-0004-DDDD"]
        await importCodes(pool.id, codes)
        const actor = { type: "agent" as const, id: "agent_1", ip: "198.51.100.7" }
        const { code_ids } = await service.claimForOwner({ key: "wholesale:aord_1", owner_id: "aord_1", items: [{ pool_id: pool.id, quantity: 2 }], hold: false, actor })
        const held = await service.claimForOwner({ key: "wholesale:aord_2", owner_id: "aord_2", items: [{ pool_id: pool.id, quantity: 1 }], hold: true, actor })

        const revealed = await service.revealOwnerCodes({ owner_ids: ["aord_1", "order_not_yet"], actor, reason: "wholesale order aord_1" })
        expect(revealed.map((c) => c.id)).toEqual([...code_ids].sort())
        for (const c of revealed) {
          expect(c).toEqual({ id: expect.any(String), pool_id: pool.id, order_id: "aord_1", mask: expect.stringMatching(/^\*{4}\w+$/), code: expect.any(String), password: null })
          expect(codes).toContain(c.code)
          expect(c.code.endsWith(c.mask.slice(4))).toBe(true)
        }
        const logs = await sql(`select * from card_audit_log where action = 'reveal'`)
        expect(logs).toEqual([
          expect.objectContaining({ actor_type: "agent", actor_id: "agent_1", ip: "198.51.100.7", order_id: "aord_1", pool_id: pool.id, code_ids: [...code_ids].sort(), code_count: 2, reason: "wholesale order aord_1" }),
        ])
        expect(JSON.stringify(logs)).not.toMatch(/W-000/)
        const rows = await sql(`select status, reveal_count from card_code where id in (?, ?)`, code_ids)
        expect(rows).toEqual([{ status: "revealed", reveal_count: 1 }, { status: "revealed", reveal_count: 1 }])

        // A held order's codes (reserved for review) are not revealed; no audit row for an empty reveal.
        expect(await service.revealOwnerCodes({ owner_ids: ["aord_2"], actor })).toEqual([])
        expect(await sql(`select count(*)::int as n from card_audit_log where action = 'reveal'`)).toEqual([{ n: 1 }])
        expect((await sql(`select status from card_code where id = ?`, [held.code_ids[0]]))[0].status).toBe("reserved")
        await expect(service.revealOwnerCodes({ owner_ids: [], actor })).rejects.toThrow("Reveal needs at least one owner id")
        await conservation(pool.id, 4)
      })

      it("delivers from available stock when the reservation was swept, and fails whole when short", async () => {
        const pool = await service.createCardPools({ name: "Vouchers" })
        await importCodes(pool.id, ["V-0001-AAAA", "V-0002-AAAA"])
        const ok = await service.deliverOrder({
          order_id: "order_2",
          cart_id: "cart_2",
          lines: [{ line_item_id: "ordli_2", pool_id: pool.id, quantity: 2 }],
        })
        expect(ok.delivered_now).toHaveLength(2)
        const err = await service
          .deliverOrder({ order_id: "order_3", cart_id: "cart_3", lines: [{ line_item_id: "ordli_3", pool_id: pool.id, quantity: 1 }] })
          .catch((e) => e)
        expect(err.message).toBe(`Out of stock while delivering order order_3: line ordli_3 needs 1 more from pool ${pool.id}`)
        await conservation(pool.id, 2)
      })
    })


    describe("expiry, allocation order and alerts", () => {
      const expireNow = (ids: string[]) => sql(`update card_code set expires_at = now() - interval '1 minute' where id in (?)`, [ids])

      it("never sells an expired code: the job expires available ones, delivery swaps a reserved one that expired", async () => {
        const pool = await service.createCardPools({ name: "Expiring" })
        await importCodes(pool.id, ["EXP-0001-AAAA", "EXP-0002-AAAA", "EXP-0003-AAAA", "EXP-0004-AAAA"])
        const ids = (await sql(`select id from card_code where pool_id = ? order by id`, [pool.id])).map((r) => r.id)
        await expireNow([ids[0]])
        // Before the job runs, a claim already skips the expired code.
        const held = await service.reserveForCart({ cart_id: "cart_e", items: [{ pool_id: pool.id, quantity: 1 }] })
        expect(held.reserved_code_ids).toEqual([ids[1]])
        const job = await service.expireCodes()
        expect(job).toEqual({ expired: 1, by_pool: { [pool.id]: 1 } })
        expect(await service.expireCodes()).toEqual({ expired: 0, by_pool: {} })

        // The reserved code expires while the order is paid: delivery hands out a fresh one instead.
        await expireNow([ids[1]])
        const delivered = await service.deliverOrder({
          order_id: "order_e",
          cart_id: "cart_e",
          lines: [{ line_item_id: "ordli_e", pool_id: pool.id, quantity: 1 }],
        })
        expect(delivered.code_ids).toEqual([ids[2]])
        const rows = await sql(`select id, status from card_code where pool_id = ? order by id`, [pool.id])
        expect(rows.map((r) => r.status)).toEqual(["expired", "expired", "delivered", "available"])
        const audits = await sql(`select code_ids from card_audit_log where action = 'expire'`)
        expect(audits.map((a) => a.code_ids)).toEqual([[ids[0]]])
        await conservation(pool.id, 4)
      })

      it("allocates the oldest import first, or the soonest expiry first when the pool says so", async () => {
        const pool = await service.createCardPools({ name: "Order" })
        const later = validateImportEntries([{ code: "ORD-LATE-0001", expires_at: "2031-01-01" }]).entries
        const sooner = validateImportEntries([{ code: "ORD-SOON-0001", expires_at: "2029-01-01" }]).entries
        const none = validateImportEntries(["ORD-NONE-0001"]).entries
        for (const entries of [later, sooner, none]) {
          await service.importSealedCodes({ pool_id: pool.id, codes: service.sealCodes(pool.id, entries), actor: { type: "system" } })
        }
        const byId = async (ids: string[]) => (await sql(`select mask from card_code where id in (?)`, [ids])).map((r) => r.mask)
        const fifo = await service.reserveForCart({ cart_id: "cart_f", items: [{ pool_id: pool.id, quantity: 1 }] })
        expect(await byId(fifo.reserved_code_ids)).toEqual(["****0001"])
        const fifoRow = await sql(`select expires_at from card_code where id = ?`, [fifo.reserved_code_ids[0]])
        expect(new Date(fifoRow[0].expires_at).toISOString()).toBe("2031-01-01T00:00:00.000Z")
        await service.releaseReservations({ cart_id: "cart_f", reason: "test" })
        await service.updateCardPools({ id: pool.id, allocation_order: "expiry_first" })
        const first = await service.reserveForCart({ cart_id: "cart_g", items: [{ pool_id: pool.id, quantity: 2 }] })
        expect(first.reserved_code_ids).toHaveLength(2)
        // Soonest expiry first; a code without expiry comes last.
        const expiries: (string | null)[] = []
        for (const id of first.reserved_code_ids) {
          const [row] = await sql(`select expires_at from card_code where id = ?`, [id])
          expiries.push(row.expires_at ? new Date(row.expires_at).toISOString() : null)
        }
        expect(expiries.sort()).toEqual(["2029-01-01T00:00:00.000Z", "2031-01-01T00:00:00.000Z"])
      })

      it("raises an alert once per condition and clears it when the condition is gone", async () => {
        const pool = await service.createCardPools({ name: "Alerting" })
        await importCodes(pool.id, ["ALR-0001-AAAA", "ALR-0002-AAAA", "ALR-0003-AAAA"])
        expect(await service.evaluateStockAlerts()).toEqual({ raised: [], cleared: [] })
        await service.updateCardPools({ id: pool.id, low_stock_threshold: 3, expiry_warning_days: 7 })
        const first = await service.evaluateStockAlerts()
        expect(first.raised).toEqual([
          expect.objectContaining({ pool_id: pool.id, pool_name: "Alerting", kind: "low_stock", details: { available: 3, threshold: 3 } }),
        ])
        expect((await service.evaluateStockAlerts()).raised).toEqual([])
        await sql(`update card_code set expires_at = now() + interval '2 days' where pool_id = ?`, [pool.id])
        const expiring = await service.evaluateStockAlerts()
        expect(expiring.raised).toEqual([
          expect.objectContaining({ kind: "near_expiry", details: expect.objectContaining({ expiring: 3, within_days: 7 }) }),
        ])
        await importCodes(pool.id, ["ALR-0004-AAAA"])
        await service.updateCardPools({ id: pool.id, expiry_warning_days: null })
        const cleared = await service.evaluateStockAlerts()
        expect(cleared.raised).toEqual([])
        expect(cleared.cleared).toHaveLength(2)
        const rows = await sql(`select kind, status from card_alert where pool_id = ? order by kind`, [pool.id])
        expect(rows).toEqual([
          { kind: "low_stock", status: "cleared" },
          { kind: "near_expiry", status: "cleared" },
        ])
        await expect(
          sql(`insert into card_alert (id, pool_id, kind, status) values ('a1', ?, 'low_stock', 'active'), ('a2', ?, 'low_stock', 'active')`, [
            pool.id,
            pool.id,
          ])
        ).rejects.toThrow("IDX_card_alert_active_unique")
      })
    })

    describe("void & reissue and batch reports", () => {
      it("voids a delivered code as invalid and delivers a fresh one to the same line, all or nothing", async () => {
        const pool = await service.createCardPools({ name: "Reissue" })
        const { entries } = validateImportEntries(["RE-0001-AAAA", "RE-0002-AAAA", { code: "RE-0003-AAAA", cost: "4.5" } as any])
        await service.importSealedCodes({
          pool_id: pool.id,
          codes: service.sealCodes(pool.id, entries),
          cost_per_code: "2",
          currency_code: "cny",
          actor: { type: "system" },
        })
        await service.reserveForCart({ cart_id: "cart_r", items: [{ pool_id: pool.id, quantity: 1 }] })
        const { code_ids } = await service.deliverOrder({
          order_id: "order_r",
          cart_id: "cart_r",
          lines: [{ line_item_id: "ordli_r", pool_id: pool.id, quantity: 1 }],
        })
        await service.revealCodes({ code_ids, order_id: "order_r", actor: { type: "customer", id: "cus_r" } })
        const actor = { type: "user" as const, id: "user_r" }
        const r = await service.reissueCode({ code_id: code_ids[0], reason: "already used", actor })
        expect(r).toEqual({ order_id: "order_r", pool_id: pool.id, voided_code_id: code_ids[0], code_id: expect.any(String), voided_was_revealed: true })
        const rows = await sql(`select id, status, invalid, order_id, line_item_id, void_reason from card_code where id in (?) order by status`, [
          [code_ids[0], r.code_id],
        ])
        expect(rows).toEqual([
          { id: r.code_id, status: "delivered", invalid: false, order_id: "order_r", line_item_id: "ordli_r", void_reason: null },
          { id: code_ids[0], status: "voided", invalid: true, order_id: "order_r", line_item_id: "ordli_r", void_reason: "already used" },
        ])
        // Delivery of the order still counts one code on the line: a retry delivers nothing new.
        const again = await service.deliverOrder({ order_id: "order_r", cart_id: "cart_r", lines: [{ line_item_id: "ordli_r", pool_id: pool.id, quantity: 1 }] })
        expect(again).toEqual({ code_ids: [r.code_id], delivered_now: [], short: [], held: { ordli_r: 1 } })

        const twice = await service.reissueCode({ code_id: code_ids[0], reason: "again", actor }).catch((e) => e)
        expect(twice.message).toBe(`Card code ${code_ids[0]} is voided: only a delivered or revealed code can be voided and reissued`)

        // The last code is the per-line-cost one; reissue it, then the pool is empty and a reissue changes nothing.
        const r2 = await service.reissueCode({ code_id: r.code_id, reason: "broken", actor })
        const empty = await service.reissueCode({ code_id: r2.code_id, reason: "broken too", actor }).catch((e) => e)
        expect(empty.message).toBe(`Out of stock: pool ${pool.id} has no code to reissue; nothing was voided. Restock the pool and try again.`)
        expect((await sql(`select status from card_code where id = ?`, [r2.code_id]))[0].status).toBe("delivered")

        const [batch] = await sql(`select id from card_batch where pool_id = ?`, [pool.id])
        expect((await service.getBatchReports([batch.id]))[batch.id]).toEqual({
          counts: { available: 0, reserved: 0, delivered: 1, revealed: 0, voided: 2, expired: 0 },
          sold: 1,
          invalid: 2,
          disputed: 0,
          currency_code: "cny",
          cost_total: "8.5",
          cost_sold: "4.5",
          cost_invalid: "4",
        })
        const audit = await sql(`select reason, code_ids, actor_id from card_audit_log where action = 'reissue' order by created_at`)
        expect(audit[0]).toEqual({ reason: "already used", code_ids: [code_ids[0], r.code_id], actor_id: "user_r" })

        // Compensation puts both codes back as they were.
        await service.undoReissue(r2)
        const back = await sql(`select id, status, invalid from card_code where id in (?) order by id`, [[r.code_id, r2.code_id]])
        expect(back).toEqual(
          expect.arrayContaining([
            { id: r.code_id, status: "delivered", invalid: false },
            { id: r2.code_id, status: "available", invalid: false },
          ])
        )
        await conservation(pool.id, 3)
      })
    })

    describe("imports and integrity", () => {
      it("rejects a code that is already stored and keeps nothing of the failed batch", async () => {
        const pool = await service.createCardPools({ name: "Dup" })
        await importCodes(pool.id, ["DUP-0001-ZZZZ"])
        const err = await importCodes(pool.id, ["NEW-0001-ZZZZ", "DUP-0001-ZZZZ"]).catch((e) => e)
        expect(err.type).toBe("duplicate_error")
        expect(err.message).not.toContain("DUP-0001")
        expect((await conservation(pool.id, 1)).available).toBe(1)
        const batches = await sql(`select count(*)::int as n from card_batch where pool_id = ?`, [pool.id])
        expect(batches[0].n).toBe(1)
      })

      it("stores no plaintext and refuses ciphertext moved to another row", async () => {
        const pool = await service.createCardPools({ name: "Leak" })
        const canary = `CANARY-${randomBytes(8).toString("hex")}`
        await importCodes(pool.id, [canary, `${canary}-2`])
        const dump = JSON.stringify(await sql(`select * from card_code`))
        expect(dump).not.toContain(canary)
        const [a, b] = await sql(`select id, ciphertext from card_code where pool_id = ? order by id`, [pool.id])
        await sql(`update card_code set ciphertext = ?, status = 'delivered', order_id = 'o', cart_id = 'c' where id = ?`, [b.ciphertext, a.id])
        const err = await service.revealCodes({ code_ids: [a.id], actor: { type: "user", id: "u" } }).catch((e) => e)
        expect(err.message).toBe("Card code ciphertext failed authentication (tampered, moved to another row, or wrong key)")
        const reveals = await sql(`select count(*)::int as n from card_audit_log where action = 'reveal'`)
        expect(reveals[0].n).toBe(0)
      })

      it("keeps the audit log append-only and ownership consistent with status", async () => {
        const pool = await service.createCardPools({ name: "Audit" })
        await importCodes(pool.id, ["AUD-0001-QQQQ"])
        await expect(sql(`update card_audit_log set reason = 'x'`)).rejects.toThrow("card_audit_log is append-only")
        await expect(sql(`delete from card_audit_log`)).rejects.toThrow("card_audit_log is append-only")
        await expect(sql(`update card_code set status = 'delivered' where pool_id = ?`, [pool.id])).rejects.toThrow(
          "card_code_owner_check"
        )
      })

      it("guest links are limited-use and unknown or used-up links look the same", async () => {
        const link = await service.createRevealLink({ order_id: "order_9" })
        const limit = link.max_uses
        for (let i = 0; i < limit; i++) {
          const r = await service.resolveRevealLink({ token: link.token, consume: true })
          expect(r).toEqual({ link_id: link.id, order_id: "order_9", uses_left: limit - i - 1, expires_at: link.expires_at })
        }
        const used = await service.resolveRevealLink({ token: link.token, consume: true }).catch((e) => e)
        const unknown = await service.resolveRevealLink({ token: "nope", consume: false }).catch((e) => e)
        expect([used.type, used.message]).toEqual(["not_found", "Reveal link is invalid or has expired"])
        expect([unknown.type, unknown.message]).toEqual([used.type, used.message])
        const rows = await sql(`select * from card_reveal_link`)
        expect(JSON.stringify(rows)).not.toContain(link.token)
      })

      it("a guest link's token is derived from its id with the link key: what a notification carries opens nothing", async () => {
        const link = await service.createRevealLink({ order_id: "order_10" })
        expect(link.token).toMatch(/^[A-Za-z0-9_-]{43}$/)
        expect(link.link).toEqual({
          id: link.id,
          url_template: "http://localhost:8000/virtual-goods/reveal/{token}",
          expires_at: link.expires_at.toISOString(),
          max_uses: link.max_uses,
        })
        expect(JSON.stringify(link.link)).not.toContain(link.token)
        // A provider renders the working link from the data and the key; the link id itself is not a token.
        expect(revealUrlOf({ reveal_link: link.link }, revealLinkKey({ blind_index_key: moduleOptions.blind_index_key }, {}))).toBe(`http://localhost:8000/virtual-goods/reveal/${link.token}`)
        expect(await service.resolveRevealLink({ token: link.token, consume: false })).toEqual(expect.objectContaining({ link_id: link.id }))
        await expect(service.resolveRevealLink({ token: link.id, consume: false })).rejects.toThrow("Reveal link is invalid or has expired")
        // Another key derives another token, which opens nothing.
        const otherKey = revealLinkKey({ link_key: Buffer.alloc(32, 7).toString("base64") })
        const forged = revealUrlOf({ reveal_link: link.link }, otherKey)!.split("/").pop()!
        await expect(service.resolveRevealLink({ token: forged, consume: false })).rejects.toThrow("Reveal link is invalid or has expired")
      })
    })
  },
})
