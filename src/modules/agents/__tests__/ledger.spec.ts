import path from "path"
import fc from "fast-check"
import { moduleIntegrationTestRunner } from "@medusajs/test-utils"
import { AGENTS_MODULE } from ".."
import AgentsModuleService, { fromMinor, toMinor } from "../service"
import { agentLedgerPostFunctionBody } from "../sql/agent-ledger-post"

jest.setTimeout(120_000)

const ADMIN = { type: "user" as const, id: "user_1" }

moduleIntegrationTestRunner<AgentsModuleService>({
  moduleName: AGENTS_MODULE,
  resolve: path.join(__dirname, ".."),
  pathToMigrations: path.join(__dirname, "../migrations"),
  testSuite: ({ service, MikroOrmWrapper }) => {
    const sql = async (query: string, params: unknown[] = []) =>
      (await MikroOrmWrapper.getManager().getConnection().execute(query, params)) as any[]

    /** Every transaction's legs sum to zero and every agent balance equals the sum of its entries. */
    const assertLedgerBalanced = async () => {
      const unbalanced = await sql(`select transaction_id from agent_ledger_entry group by transaction_id having sum(amount) <> 0`)
      expect(unbalanced).toEqual([])
      const drift = await sql(
        `select a.id, a.balance, coalesce(sum(e.amount), 0) as entries from agent_account a
           left join agent_ledger_entry e on e.account_id = a.id
          where a.kind = 'agent' group by a.id, a.balance having a.balance <> coalesce(sum(e.amount), 0)`
      )
      expect(drift).toEqual([])
    }

    describe("the agent tree", () => {
      it("the installed agent_ledger_post is the one sql/agent-ledger-post.ts defines", async () => {
      const [fn] = await sql(`select prosrc from pg_proc where proname = 'agent_ledger_post'`)
      expect(fn.prosrc).toBe(agentLedgerPostFunctionBody())
    })

    it("creates agents under existing, unfrozen parents and walks the chain up", async () => {
        const top = await service.createAgentWithAccount({ name: "总代 Guangdong", currency_code: "CNY" })
        const province = await service.createAgentWithAccount({ name: "省代 Shenzhen", parent_id: top.agent_id, currency_code: "cny" })
        const shop = await service.createAgentWithAccount({ name: "门店 Futian", parent_id: province.agent_id, currency_code: "cny" })
        expect(await service.ancestorsOf(shop.agent_id)).toEqual([province.agent_id, top.agent_id])
        expect(await service.ancestorsOf(top.agent_id)).toEqual([])

        const orphan = await service.createAgentWithAccount({ name: "x", parent_id: "agent_missing", currency_code: "cny" }).catch((e) => e)
        expect(orphan.message).toBe("Parent agent with id: agent_missing was not found")
        await service.updateAgents({ id: province.agent_id, status: "frozen" })
        const underFrozen = await service.createAgentWithAccount({ name: "y", parent_id: province.agent_id, currency_code: "cny" }).catch((e) => e)
        expect(underFrozen.message).toBe(`Parent agent ${province.agent_id} is frozen: it cannot take new sub-agents`)
        const badCurrency = await service.createAgentWithAccount({ name: "z", currency_code: "yuan" }).catch((e) => e)
        expect(badCurrency.message).toBe('currency_code must be a 3-letter ISO code, got "yuan"')
        const negativeCredit = await service.createAgentWithAccount({ name: "z", currency_code: "cny", credit_limit: -5 }).catch((e) => e)
        expect(negativeCredit.message).toBe("credit_limit must not be negative")
        // The database refuses an agent that is its own parent.
        const self = await sql(`update agent set parent_id = id where id = ?`, [top.agent_id]).catch((e) => e)
        expect(String(self.message)).toContain("agent_not_own_parent")
      })
    })

    describe("the ledger", () => {
      it("tops up, shows balance, credit and what is available, exactly in decimals", async () => {
        const { agent_id } = await service.createAgentWithAccount({ name: "A", currency_code: "cny", credit_limit: "50.25" })
        await service.topUp({ agent_id, currency_code: "CNY", amount: "100.10", actor: ADMIN })
        await service.topUp({ agent_id, currency_code: "cny", amount: 0.2, actor: ADMIN })
        expect(await service.accountOf(agent_id, "cny")).toEqual(
          expect.objectContaining({ agent_id, currency_code: "cny", balance: "100.3", credit_limit: "50.25", available: "150.55" })
        )
        const entries = await sql(`select kind, amount::text, actor_type, actor_id from agent_ledger_entry where agent_id = ? order by created_at`, [agent_id])
        expect(entries).toEqual([
          { kind: "topup", amount: "100.10", actor_type: "user", actor_id: "user_1" },
          { kind: "topup", amount: "0.2", actor_type: "user", actor_id: "user_1" },
        ])
        for (const [value, message] of [
          ["1e3", 'amount must be a decimal amount with at most 16 digits before and 4 after the point, got "1e3"'],
          ["0.12345", 'amount must be a decimal amount with at most 16 digits before and 4 after the point, got "0.12345"'],
          [Number.NaN, "amount must be a decimal amount with at most 16 digits before and 4 after the point, got null"],
          ["-5", "amount of a top-up must be positive"],
        ] as const) {
          const err = await service.topUp({ agent_id, currency_code: "cny", amount: value as any, actor: ADMIN }).catch((e) => e)
          expect(err.message).toBe(message)
        }
        const noAccount = await service.accountOf(agent_id, "usd").catch((e) => e)
        expect(noAccount.message).toBe(`Agent ${agent_id} has no account in USD`)
        await assertLedgerBalanced()
      })

      it("refuses postings that do not balance, have one leg, mix currencies or name unknown accounts", async () => {
        const a = await service.createAgentWithAccount({ name: "A", currency_code: "cny" })
        const b = await service.createAgentWithAccount({ name: "B", currency_code: "usd" })
        const house = await service.houseAccount("cny")
        const cases: [any[], string][] = [
          [[{ account_id: house, amount: "-10" }, { account_id: a.account_id, amount: "9.99" }], "The legs of a ledger transaction must sum to zero; they sum to -0.01"],
          [[{ account_id: a.account_id, amount: "0" }], "A ledger transaction needs at least two legs"],
          [[{ account_id: house, amount: "-1" }, { account_id: b.account_id, amount: "1" }], "All legs of a ledger transaction must be in one currency"],
          [[{ account_id: house, amount: "-1" }, { account_id: "aacct_missing", amount: "1" }], "Ledger account aacct_missing was not found"],
        ]
        for (const [legs, message] of cases) {
          const err = await service.post({ kind: "adjustment", legs, actor: ADMIN }).catch((e) => e)
          expect(err.message).toBe(message)
        }
        expect(await sql(`select count(*)::int as n from agent_ledger_entry`)).toEqual([{ n: 0 }])
        expect((await service.accountOf(a.agent_id, "cny")).balance).toBe("0")
      })

      it("100 concurrent purchases beyond balance + credit: debits never exceed it, failures leave nothing behind", async () => {
        const { agent_id, account_id } = await service.createAgentWithAccount({ name: "Busy", currency_code: "cny", credit_limit: 50 })
        await service.topUp({ agent_id, currency_code: "cny", amount: 100, actor: ADMIN })
        const house = await service.houseAccount("cny")
        const results = await Promise.allSettled(
          Array.from({ length: 100 }, (_, i) =>
            service.post({
              kind: "purchase",
              legs: [
                { account_id, amount: "-7" },
                { account_id: house, amount: "7" },
              ],
              reference_type: "order",
              reference_id: `order_${i}`,
              actor: { type: "agent", id: agent_id },
            })
          )
        )
        const ok = results.filter((r) => r.status === "fulfilled")
        const failed = results.filter((r) => r.status === "rejected") as PromiseRejectedResult[]
        // 150 available: exactly 21 purchases of 7 fit (147), the 22nd would need 154.
        expect(ok).toHaveLength(21)
        expect(new Set(failed.map((f) => f.reason.message))).toEqual(
          new Set(["Insufficient funds: the posting would take an agent below its balance plus credit limit"])
        )
        expect(await service.accountOf(agent_id, "cny")).toEqual(expect.objectContaining({ balance: "-47", available: "3" }))
        const purchases = await sql(`select count(*)::int as n, count(distinct reference_id)::int as orders from agent_ledger_entry where kind = 'purchase' and account_id = ?`, [account_id])
        expect(purchases).toEqual([{ n: 21, orders: 21 }])
        await assertLedgerBalanced()
      })

      it("commissions up a chain of any depth: each agent earns its child's price minus its own, to the unit (property)", async () => {
        let run = 0
        await fc.assert(
          fc.asyncProperty(
            // Unit prices from the top of the chain down, in 1/100: each child pays at least its parent's price.
            fc.array(fc.integer({ min: 0, max: 50_000 }), { minLength: 1, maxLength: 4 }),
            fc.integer({ min: 1, max: 100_000 }),
            fc.integer({ min: 1, max: 50 }),
            async (steps, base, quantity) => {
              run++
              const prices: string[] = []
              let p = base
              for (const step of steps) {
                p += step
                prices.push(fromMinor(BigInt(p) * 100n))
              }
              // prices[0] is the top's price, prices[n-1] the buyer's.
              const ids: string[] = []
              for (let i = 0; i < prices.length; i++) {
                const { agent_id } = await service.createAgentWithAccount({ name: `P${run}-${i}`, parent_id: ids[i - 1] ?? null, currency_code: "cny" })
                ids.push(agent_id)
              }
              const buyer = ids[ids.length - 1]
              const cost = toMinor(prices[prices.length - 1]) * BigInt(quantity)
              await service.topUp({ agent_id: buyer, currency_code: "cny", amount: fromMinor(cost), actor: ADMIN })
              const before = await Promise.all(ids.map(async (id) => toMinor((await service.accountOf(id, "cny")).balance)))
              const { transaction_id } = await service.postPurchase({
                buyer_agent_id: buyer,
                currency_code: "cny",
                quantity,
                unit_prices: Object.fromEntries(ids.map((id, i) => [id, prices[i]])),
                reference_type: "order",
                reference_id: `order_p${run}`,
                actor: { type: "agent", id: buyer },
              })
              const after = await Promise.all(ids.map(async (id) => toMinor((await service.accountOf(id, "cny")).balance)))
              expect(after[ids.length - 1] - before[ids.length - 1]).toBe(-cost)
              for (let i = 0; i < ids.length - 1; i++) {
                expect(after[i] - before[i]).toBe((toMinor(prices[i + 1]) - toMinor(prices[i])) * BigInt(quantity))
              }
              const [sum] = await sql(`select sum(amount)::text as s, count(*)::int as n from agent_ledger_entry where transaction_id = ?`, [transaction_id])
              expect(toMinor(sum.s)).toBe(0n)
              const [house] = await sql(
                `select coalesce(sum(e.amount), 0)::text as s from agent_ledger_entry e join agent_account a on a.id = e.account_id
                  where e.transaction_id = ? and a.kind = 'house'`,
                [transaction_id]
              )
              // The house keeps what the top of the chain pays.
              expect(toMinor(house.s)).toBe(toMinor(prices[0]) * BigInt(quantity))
            }
          ),
          { numRuns: 25 }
        )
        await assertLedgerBalanced()
      })

      it("a purchase is refused whole below the price floor, without a price, or beyond the buyer's money", async () => {
        const top = await service.createAgentWithAccount({ name: "T", currency_code: "cny" })
        const mid = await service.createAgentWithAccount({ name: "M", parent_id: top.agent_id, currency_code: "cny" })
        const buyer = await service.createAgentWithAccount({ name: "B", parent_id: mid.agent_id, currency_code: "cny", credit_limit: 10 })
        await service.topUp({ agent_id: buyer.agent_id, currency_code: "cny", amount: 100, actor: ADMIN })
        const purchase = (prices: Record<string, string>, quantity = 1) =>
          service
            .postPurchase({ buyer_agent_id: buyer.agent_id, currency_code: "cny", quantity, unit_prices: prices, reference_type: "order", reference_id: "order_x", actor: ADMIN })
            .catch((e) => e)
        const floor = await purchase({ [buyer.agent_id]: "9", [mid.agent_id]: "9.5", [top.agent_id]: "8" })
        expect(floor.message).toBe(`Agent ${buyer.agent_id} would pay 9, less than its parent ${mid.agent_id} pays (9.5): the price floor forbids it`)
        const noPrice = await purchase({ [buyer.agent_id]: "9", [mid.agent_id]: "8" })
        expect(noPrice.message).toBe(`No unit price given for agent ${top.agent_id}`)
        const tooMuch = await purchase({ [buyer.agent_id]: "10", [mid.agent_id]: "9", [top.agent_id]: "8" }, 12)
        expect(tooMuch.message).toBe("Insufficient funds: the posting would take an agent below its balance plus credit limit")
        expect(await sql(`select count(*)::int as n from agent_ledger_entry where kind = 'purchase'`)).toEqual([{ n: 0 }])
        const ok = await purchase({ [buyer.agent_id]: "10", [mid.agent_id]: "9", [top.agent_id]: "8" }, 11)
        expect(ok.legs.map((l) => [l.agent_id, l.amount])).toEqual([
          [buyer.agent_id, "-110"],
          [mid.agent_id, "11"],
          [top.agent_id, "11"],
          [null, "88"],
        ])
        expect((await service.accountOf(buyer.agent_id, "cny")).available).toBe("0")
        await assertLedgerBalanced()
      })

      it("quotas: 50 concurrent orders against a quota of 20 consume exactly 20; a new period starts from zero", async () => {
        const { agent_id } = await service.createAgentWithAccount({ name: "Q", currency_code: "cny" })
        expect(await service.consumeQuota({ agent_id, variant_id: "variant_free", quantity: 1000 })).toEqual({ limited: false })
        await service.setQuota({ agent_id, variant_id: "variant_q", limit: 20 })
        const results = await Promise.allSettled(
          Array.from({ length: 50 }, () => service.consumeQuota({ agent_id, variant_id: "variant_q", quantity: 1 }))
        )
        expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(20)
        const refusals = new Set((results.filter((r) => r.status === "rejected") as PromiseRejectedResult[]).map((r) => r.reason.message))
        expect(refusals).toEqual(new Set([`Quota exceeded: agent ${agent_id} may buy 0 more of variant variant_q, asked for 1`]))
        await service.releaseQuota({ agent_id, variant_id: "variant_q", quantity: 3 })
        const over = await service.consumeQuota({ agent_id, variant_id: "variant_q", quantity: 4 }).catch((e) => e)
        expect(over.message).toBe(`Quota exceeded: agent ${agent_id} may buy 3 more of variant variant_q, asked for 4`)
        expect(await service.consumeQuota({ agent_id, variant_id: "variant_q", quantity: 3 })).toEqual({ limited: true, used: 20, remaining: 0 })

        await service.setQuota({ agent_id, variant_id: "variant_m", limit: 5, period: "month" })
        expect(await service.consumeQuota({ agent_id, variant_id: "variant_m", quantity: 5 })).toEqual({ limited: true, used: 5, remaining: 0 })
        const full = await service.consumeQuota({ agent_id, variant_id: "variant_m", quantity: 1 }).catch((e) => e)
        expect(full.message).toBe(`Quota exceeded: agent ${agent_id} may buy 0 more of variant variant_m this month, asked for 1`)
        // Last month's use does not count this month.
        await sql(`update agent_quota set period_start = period_start - interval '1 month' where variant_id = 'variant_m'`)
        expect(await service.consumeQuota({ agent_id, variant_id: "variant_m", quantity: 2 })).toEqual({ limited: true, used: 2, remaining: 3 })

        const lower = await service.setQuota({ agent_id, variant_id: "variant_m", limit: 1, period: "month" }).catch((e) => e)
        expect(lower.message).toBe(`limit 1 is below what agent ${agent_id} already used of variant variant_m in this period`)
        const bad = await service.setQuota({ agent_id, variant_id: "variant_m", limit: -1 }).catch((e) => e)
        expect(bad.message).toBe("limit must be a non-negative integer, got -1")
        const byHand = await sql(`update agent_quota set used = quota_limit + 1 where variant_id = 'variant_q'`).catch((e) => e)
        expect(String(byHand.message)).toContain("agent_quota_within_limit")
      })

      it("keeps entries append-only and refuses an overdraft even written by hand", async () => {
        const { agent_id, account_id } = await service.createAgentWithAccount({ name: "C", currency_code: "cny", credit_limit: 10 })
        await service.topUp({ agent_id, currency_code: "cny", amount: 5, actor: ADMIN })
        const update = await sql(`update agent_ledger_entry set amount = 500 where agent_id = ?`, [agent_id]).catch((e) => e)
        expect(String(update.message)).toContain("agent_ledger_entry is append-only: UPDATE refused")
        const del = await sql(`delete from agent_ledger_entry where agent_id = ?`, [agent_id]).catch((e) => e)
        expect(String(del.message)).toContain("agent_ledger_entry is append-only: DELETE refused")
        const overdraft = await sql(`update agent_account set balance = -10.01 where id = ?`, [account_id]).catch((e) => e)
        expect(String(overdraft.message)).toContain("agent_account_within_credit")
        expect((await service.accountOf(agent_id, "cny")).balance).toBe("5")
      })
    })

    describe("numeric aliases (dujiao-next ids)", () => {
      it("gives each id one number, the same to requests racing for it, kept and resolved back; per kind", async () => {
        const ids = Array.from({ length: 20 }, (_, i) => `prod_${i}`)
        const raced = await Promise.all(Array.from({ length: 8 }, () => service.numericAliasesOf("product", ids)))
        const first = raced[0]
        expect(first.size).toBe(20)
        for (const other of raced) expect([...other.entries()].sort()).toEqual([...first.entries()].sort())
        expect(new Set(first.values()).size).toBe(20)
        const [row] = await sql(`select count(*)::int as n from agent_numeric_alias where kind = 'product'`)
        expect(row.n).toBe(20)
        // Kept: asked again (with one new id), the old numbers stand.
        const again = await service.numericAliasesOf("product", [...ids, "prod_new"])
        for (const id of ids) expect(again.get(id)).toBe(first.get(id))
        expect(await service.idOfNumericAlias("product", first.get("prod_3")!)).toBe("prod_3")
        // Another kind has its own rows; a number of one kind does not resolve as another.
        const variant = await service.numericAliasesOf("variant", ["prod_3"])
        expect(variant.get("prod_3")).not.toBe(first.get("prod_3"))
        expect(await service.idOfNumericAlias("variant", first.get("prod_3")!)).toBeNull()
        expect(await service.idOfNumericAlias("order", 0)).toBeNull()
      })
    })
  },
})
