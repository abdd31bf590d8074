import path from "path"
import fc from "fast-check"
import { moduleIntegrationTestRunner } from "@medusajs/test-utils"
import { MathBN } from "@medusajs/framework/utils"
import { REDEMPTION_MODULE } from ".."
import RedemptionModuleService, { type RedeemVoucherInput } from "../service"

jest.setTimeout(180_000)

moduleIntegrationTestRunner<RedemptionModuleService>({
  moduleName: REDEMPTION_MODULE,
  resolve: path.join(__dirname, ".."),
  pathToMigrations: path.join(__dirname, "../migrations"),
  testSuite: ({ service, MikroOrmWrapper }) => {
    /** Rows of a raw query, typed by the caller (numeric columns arrive as text). */
    const sql = async <R = Record<string, unknown>>(query: string, params: unknown[] = []) =>
      (await MikroOrmWrapper.getManager().getConnection().execute(query, params)) as R[]
    type VoucherRow = { remaining_value: string | null; remaining_uses: number | null; redeemed_count: number }

    let n = 0
    const counter = (code_id: string, pool_id: string, extra: Partial<RedeemVoucherInput> = {}): RedeemVoucherInput => {
      n++
      return { code_id, pool_id, channel: "counter", actor_type: "user", actor_id: "user_1", idempotency_key: `key-${n}`, request_hash: `hash-${n}`, ...extra }
    }
    const settle = <T>(p: Promise<T>) => p.then((v) => ({ ok: true as const, v }), (e: Error) => ({ ok: false as const, e }))

    /** The voucher's balance equals its face value (or uses) minus what its live redemptions took; never negative. */
    const assertLedger = async (codeId: string, start: { value?: string; uses?: number }) => {
      const [voucher] = await sql<VoucherRow>(`select remaining_value, remaining_uses, redeemed_count from voucher where code_id = ?`, [codeId])
      const live = await sql<{ uses: number; amount: string | null }>(`select uses, amount from voucher_redemption where code_id = ? and kind = 'redeem' and rolled_back_at is null`, [codeId])
      const rollbacks = await sql<{ n: number }>(`select count(*)::int as n from voucher_redemption where code_id = ? and kind = 'rollback'`, [codeId])
      const redeemed = await sql<{ n: number }>(`select count(*)::int as n from voucher_redemption where code_id = ? and kind = 'redeem' and rolled_back_at is not null`, [codeId])
      expect(rollbacks[0].n).toBe(redeemed[0].n)
      expect(Number(voucher.redeemed_count)).toBe(live.length)
      if (start.value !== undefined) {
        const taken = MathBN.sum(0, ...live.map((r) => r.amount ?? 0))
        expect(MathBN.convert(voucher.remaining_value ?? 0).toString()).toBe(MathBN.sub(start.value, taken).toString())
        expect(MathBN.gte(voucher.remaining_value ?? 0, 0)).toBe(true)
      } else {
        expect(voucher.remaining_uses).toBe(start.uses! - live.length)
        expect(voucher.remaining_uses ?? 0).toBeGreaterThanOrEqual(0)
      }
      return voucher
    }

    describe("programs", () => {
      it("checks each kind's settings, naming the field; updating keeps one program per pool", async () => {
        const refused = async (input: Parameters<typeof service.setVoucherProgram>[0]) => (await service.setVoucherProgram(input).catch((e) => e)).message
        expect(await refused({ pool_id: "cpool_a", kind: "stored_value", currency_code: "usd" })).toBe("face_value: a stored-value voucher needs its face value")
        expect(await refused({ pool_id: "cpool_a", kind: "stored_value", face_value: "50" })).toBe("currency_code: a stored-value voucher needs its currency")
        expect(await refused({ pool_id: "cpool_a", kind: "multi_use" })).toBe("uses: a multi-use voucher needs its number of uses")
        expect(await refused({ pool_id: "cpool_a", kind: "single_use", uses: 2 })).toBe("uses: only a multi-use voucher has them (this program is single_use)")
        expect(await refused({ pool_id: "cpool_a", kind: "single_use", face_value: "5" })).toBe("face_value: only a stored-value voucher has one (this program is single_use)")
        const first = await service.setVoucherProgram({ pool_id: "cpool_a", kind: "single_use" })
        const second = await service.setVoucherProgram({ pool_id: "cpool_a", kind: "stored_value", face_value: "50.00", currency_code: "USD", rollback_window_seconds: 60 })
        expect(second).toEqual({ id: first.id, pool_id: "cpool_a", kind: "stored_value", uses: null, face_value: "50", currency_code: "usd", rollback_window_seconds: 60, status: "active" })
        expect(await sql(`select count(*)::int as n from voucher_program`)).toEqual([{ n: 1 }])
        // The database refuses inconsistent settings even when written around the service.
        await expect(sql(`update voucher_program set face_value = null where id = ?`, [first.id])).rejects.toThrow(/voucher_program_kind_settings/)
      })
    })

    describe("single and multi use", () => {
      it("validation changes nothing; a redemption takes the use once per key; a replay answers the same; another request under the key is refused", async () => {
        await service.setVoucherProgram({ pool_id: "cpool_s", kind: "single_use" })
        const before = await service.voucherState({ code_id: "ccode_s1", pool_id: "cpool_s" })
        expect(before).toEqual(expect.objectContaining({ kind: "single_use", status: "redeemable", remaining_uses: 1, redeemed_count: 0, first_redeemed_at: null }))
        expect(await sql(`select count(*)::int as n from voucher`)).toEqual([{ n: 0 }])
        expect(await service.voucherState({ code_id: "ccode_x", pool_id: "cpool_none" })).toBeNull()

        const input = counter("ccode_s1", "cpool_s")
        const first = await service.redeemVoucher(input)
        expect(first).toEqual({ replayed: false, redemption: expect.objectContaining({ kind: "redeem", uses: 1, amount: null, remaining_uses_after: 0, channel: "counter", actor_id: "user_1" }) })
        expect(await service.redeemVoucher(input)).toEqual({ replayed: true, redemption: first.redemption })
        const misuse = await service.redeemVoucher({ ...input, request_hash: "another" }).catch((e) => e)
        expect([misuse.type, misuse.message]).toEqual(["duplicate_error", "Idempotency-Key was already used for another redemption request"])
        expect((await service.redeemVoucher(counter("ccode_s1", "cpool_s")).catch((e) => e)).message).toBe("Voucher is used up")
        expect(await service.voucherState({ code_id: "ccode_s1", pool_id: "cpool_s" })).toEqual(expect.objectContaining({ status: "used_up", remaining_uses: 0, redeemed_count: 1 }))
        // The same key under another counter account is that account's own request.
        expect((await service.redeemVoucher({ ...input, actor_id: "user_2" }).catch((e) => e)).message).toBe("Voucher is used up")
        const amount = await service.redeemVoucher(counter("ccode_s2", "cpool_s", { amount: "5" })).catch((e) => e)
        expect(amount.message).toBe("amount: only a stored-value voucher is redeemed by amount (this one is single_use)")
        await assertLedger("ccode_s1", { uses: 1 })
      })

      it("twenty counters at once on one single-use voucher: exactly one wins; ten on a three-use voucher: exactly three", async () => {
        await service.setVoucherProgram({ pool_id: "cpool_race", kind: "single_use" })
        const once = await Promise.all(Array.from({ length: 20 }, () => settle(service.redeemVoucher(counter("ccode_once", "cpool_race")))))
        expect(once.filter((r) => r.ok)).toHaveLength(1)
        expect(new Set(once.flatMap((r) => (r.ok ? [] : [r.e.message])))).toEqual(new Set(["Voucher is used up"]))
        await assertLedger("ccode_once", { uses: 1 })

        await service.setVoucherProgram({ pool_id: "cpool_three", kind: "multi_use", uses: 3 })
        const three = await Promise.all(Array.from({ length: 10 }, () => settle(service.redeemVoucher(counter("ccode_three", "cpool_three")))))
        expect(three.filter((r) => r.ok)).toHaveLength(3)
        expect(three.flatMap((r) => (r.ok ? [r.v.redemption.remaining_uses_after] : [])).sort()).toEqual([0, 1, 2])
        await assertLedger("ccode_three", { uses: 3 })
      })

      it("one request key sent five times at once makes one redemption, and every answer is it", async () => {
        await service.setVoucherProgram({ pool_id: "cpool_key", kind: "multi_use", uses: 10 })
        const input = counter("ccode_key", "cpool_key")
        const answers = await Promise.all(Array.from({ length: 5 }, () => service.redeemVoucher(input)))
        expect(new Set(answers.map((a) => a.redemption.id)).size).toBe(1)
        expect(answers.filter((a) => !a.replayed)).toHaveLength(1)
        await assertLedger("ccode_key", { uses: 10 })
        expect(await sql(`select remaining_uses from voucher where code_id = 'ccode_key'`)).toEqual([{ remaining_uses: 9 }])
      })
    })

    describe("stored value", () => {
      it("partial redemptions racing never overdraw: what succeeded sums to at most the face value, the balance is the rest", async () => {
        await service.setVoucherProgram({ pool_id: "cpool_sv", kind: "stored_value", face_value: "100", currency_code: "cny" })
        const amounts = ["12.50", "30", "7.25", "40", "25", "0.01", "19.99", "33.33", "8", "15"]
        const results = await Promise.all(amounts.map((amount) => settle(service.redeemVoucher(counter("ccode_sv", "cpool_sv", { amount })))))
        const taken = MathBN.sum(0, ...results.flatMap((r, i) => (r.ok ? [amounts[i]] : [])))
        expect(MathBN.lte(taken, 100)).toBe(true)
        for (const r of results) if (!r.ok) expect(r.e.message).toMatch(/^amount: [\d.]+ is more than the voucher's balance of [\d.]+ CNY$/)
        const voucher = await assertLedger("ccode_sv", { value: "100" })
        expect(MathBN.convert(voucher.remaining_value ?? 0).toString()).toBe(MathBN.sub(100, taken).toString())
        // Each ledger row says what was left after it, and those are exactly the successive balances.
        const rows = await sql<{ remaining_value_after: string }>(`select remaining_value_after from voucher_redemption where code_id = 'ccode_sv' order by remaining_value_after desc`)
        let left = MathBN.convert(100)
        const sorted = results.flatMap((r) => (r.ok ? [r.v.redemption] : [])).sort((a, b) => (MathBN.gt(a.remaining_value_after!, b.remaining_value_after!) ? -1 : 1))
        for (const r of sorted) {
          left = MathBN.sub(left, r.amount!)
          expect(MathBN.eq(r.remaining_value_after!, left)).toBe(true)
        }
        expect(rows).toHaveLength(sorted.length)
        const bad = await service.redeemVoucher(counter("ccode_sv", "cpool_sv", { amount: "-1" })).catch((e) => e)
        expect(bad.message).toBe("amount: must be a positive decimal such as 12.50")
        expect((await service.redeemVoucher(counter("ccode_sv", "cpool_sv")).catch((e) => e)).message).toBe(
          "amount: a stored-value voucher is redeemed by amount; give how much to take"
        )
        // The CHECK constraint is the last guard: no statement can leave a negative balance.
        await expect(sql(`update voucher set remaining_value = -1 where code_id = 'ccode_sv'`)).rejects.toThrow(/check/)
      })

      it("property: any sequence of redemptions and rollbacks keeps balance = face value − live redemptions ≥ 0", async () => {
        await service.setVoucherProgram({ pool_id: "cpool_prop", kind: "stored_value", face_value: "50", currency_code: "usd", rollback_window_seconds: 3600 })
        let run = 0
        await fc.assert(
          fc.asyncProperty(
            fc.array(
              fc.oneof(
                fc.record({ op: fc.constant("redeem" as const), cents: fc.integer({ min: 1, max: 2500 }) }),
                fc.record({ op: fc.constant("rollback" as const), pick: fc.nat() })
              ),
              { minLength: 1, maxLength: 15 }
            ),
            async (ops) => {
              const code = `ccode_prop_${run++}`
              const made: string[] = []
              for (const o of ops) {
                if (o.op === "redeem") {
                  const r = await settle(service.redeemVoucher(counter(code, "cpool_prop", { amount: MathBN.div(o.cents, 100).toString() })))
                  if (r.ok) made.push(r.v.redemption.id)
                } else if (made.length) {
                  await settle(service.rollbackRedemption({ redemption_id: made[o.pick % made.length], reason: "property", channel: "counter", actor_type: "user", actor_id: "user_1" }))
                }
              }
              if (made.length) await assertLedger(code, { value: "50" })
            }
          ),
          { numRuns: 25 }
        )
      })
    })

    describe("rollback", () => {
      it("gives a redemption back once, within its window, with a reason; racing rollbacks give it back once", async () => {
        await service.setVoucherProgram({ pool_id: "cpool_rb", kind: "stored_value", face_value: "20", currency_code: "usd", rollback_window_seconds: 600 })
        const { redemption } = await service.redeemVoucher(counter("ccode_rb", "cpool_rb", { amount: "15" }))
        const by = { channel: "counter" as const, actor_type: "user", actor_id: "user_2" }
        const racing = await Promise.all(Array.from({ length: 6 }, () => settle(service.rollbackRedemption({ redemption_id: redemption.id, reason: "wrong item", ...by }))))
        expect(racing.filter((r) => r.ok)).toHaveLength(1)
        const back = racing.find((r) => r.ok)!
        expect(back.ok && back.v).toEqual(expect.objectContaining({ kind: "rollback", reverses_id: redemption.id, amount: "15", remaining_value_after: "20", reason: "wrong item", actor_id: "user_2" }))
        for (const r of racing) if (!r.ok) expect(r.e.message).toBe(`Redemption ${redemption.id} is already rolled back`)
        await assertLedger("ccode_rb", { value: "20" })
        const history = await service.voucherHistory("ccode_rb")
        expect(history.map((h) => [h.kind, h.amount, h.remaining_value_after])).toEqual([
          ["redeem", "15", "5"],
          ["rollback", "15", "20"],
        ])
        const rollbackOfRollback = await service.rollbackRedemption({ redemption_id: history[1].id, reason: "x", ...by }).catch((e) => e)
        expect(rollbackOfRollback.type).toBe("not_found")

        // Past the window: refused, nothing changes.
        await service.setVoucherProgram({ pool_id: "cpool_rb", kind: "stored_value", face_value: "20", currency_code: "usd", rollback_window_seconds: 0 })
        const late = await service.redeemVoucher(counter("ccode_rb", "cpool_rb", { amount: "3" }))
        const refused = await service.rollbackRedemption({ redemption_id: late.redemption.id, reason: "too late", ...by }).catch((e) => e)
        expect(refused.message).toMatch(new RegExp(`^Redemption ${late.redemption.id} can no longer be rolled back: its program allows 0 seconds`))
        expect(await service.voucherState({ code_id: "ccode_rb", pool_id: "cpool_rb" })).toEqual(expect.objectContaining({ remaining_value: "17", redeemed_count: 1 }))
      })
    })
  },
})
