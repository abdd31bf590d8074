import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { Modules } from "@medusajs/framework/utils"
import { sweepVirtualGoods } from "../../src/jobs/virtual-goods-sweep"
import { completeCart, createAdminHeaders, paymentIdOf, poolCounts, prepareCart, settle, waitFor, waitForDelivery } from "../helpers"
import { useEnv } from "../helpers/env"
import { useVirtualStore } from "../helpers/fixtures"

jest.setTimeout(300_000)
// Four unsold copies per shared code, so a few sales show copies being made again.
useEnv({ VIRTUAL_GOODS_REUSABLE_BUFFER: "4" })

/**
 * Reusable pools (循环卡密): one code — a shared account, a course link — sold to several orders up to its own limit
 * (or without one). Each sale is a copy sealed for itself, so a refund gives back one buyer's copy only, and a
 * withdrawal stops the sales and tells the holders.
 */
medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer, dbConnection }) => {
    const { store, admin } = useVirtualStore({ api, getContainer }, { codes: 4 })
    const youku = () => store.products[0]
    let variantId = ""
    let poolId = ""

    const add = (body: unknown) => settle(api.post(`/admin/virtual-goods/pools/${poolId}/shared-codes`, body, admin))
    const sharedCodes = async () => (await api.get(`/admin/virtual-goods/pools/${poolId}/shared-codes`, admin)).data.shared_codes as any[]
    const buy = async (quantity: number, email: string) => {
      const cart = await prepareCart(api, store, [{ variant_id: variantId, quantity }], { email })
      return settle(completeCart(api, store, cart.id))
    }
    const reveal = async (codeId: string) =>
      (await api.post(`/admin/virtual-goods/codes/${codeId}/reveal`, { reason: "support check of a shared code" }, admin)).data.card_code
    const copiesOf = async (orderId: string) =>
      (await dbConnection.raw(`select id, shared_code_id, status from card_code where order_id = ? order by id`, [orderId])).rows as {
        id: string
        shared_code_id: string
        status: string
      }[]
    /**
     * The conservation invariant restated for a reusable pool: every copy made is in exactly one state (and counted by
     * its batch), no shared code has more copies than its limit or more sales than copies, and no copy is in two orders.
     */
    const conserved = async () => {
      const c = await poolCounts(dbConnection, poolId)
      const copies = Object.values(c).reduce((a, b) => a + b, 0)
      const { rows: made } = await dbConnection.raw(`select coalesce(sum(copies_made), 0)::int as n from card_shared_code where pool_id = ?`, [poolId])
      const { rows: batches } = await dbConnection.raw(`select coalesce(sum(code_count), 0)::int as n from card_batch where pool_id = ?`, [poolId])
      expect([copies, batches[0].n]).toEqual([made[0].n, made[0].n])
      const { rows: over } = await dbConnection.raw(
        `select s.id from card_shared_code s
          where s.pool_id = ? and ((s.sale_limit is not null and s.copies_made > s.sale_limit)
             or s.copies_made <> (select count(*) from card_code c where c.shared_code_id = s.id))`,
        [poolId]
      )
      expect(over).toEqual([])
      // A copy delivered to a second order only after the first order gave it back (its refund lists the copy).
      const { rows: twice } = await dbConnection.raw(
        `with d as (
           select c.id, a.order_id, a.created_at from card_audit_log a, jsonb_array_elements_text(a.code_ids) c(id)
            where a.action = 'deliver' and a.order_id like 'order_%')
         select d1.id from d d1 join d d2 on d2.id = d1.id and d2.order_id <> d1.order_id and d2.created_at > d1.created_at
          where not exists (
            select 1 from card_audit_log r where r.action = 'refund' and r.order_id = d1.order_id
               and r.code_ids @> jsonb_build_array(d1.id) and r.created_at < d2.created_at)`
      )
      expect(twice).toEqual([])
      return c
    }

    // A reusable pool sold by its own variant (made before the runner's snapshot: every test has them).
    beforeAll(async () => {
      const { headers } = await createAdminHeaders(getContainer(), "reusable-setup@test.dev")
      const { data } = await api.post(
        `/admin/products`,
        {
          title: "Course: TypeScript in depth",
          status: "published",
          options: [{ title: "Access", values: ["Shared"] }],
          variants: [{ title: "Shared access", sku: "COURSE-SHARED", manage_inventory: false, options: { Access: "Shared" }, prices: [{ amount: 9, currency_code: "usd" }] }],
          sales_channels: [{ id: store.sales_channel_id }],
        },
        { headers }
      )
      variantId = data.product.variants[0].id
      const pool = await api.post(`/admin/virtual-goods/pools`, { name: "Course links", kind: "reusable" }, { headers })
      poolId = pool.data.card_pool.id
      await api.post(`/admin/virtual-goods/pools/${poolId}/variant`, { variant_id: variantId, stock_location_id: store.stock_location_id }, { headers })
    })

    it("adds shared codes to a reusable pool only, all or nothing, naming the bad lines; the kinds never mix", async () => {
      const { data: pool } = await api.get(`/admin/virtual-goods/pools/${poolId}`, admin)
      expect(pool.card_pool).toEqual(expect.objectContaining({ kind: "reusable", stock: expect.objectContaining({ available: 0 }) }))
      const badKind = await settle(api.post(`/admin/virtual-goods/pools`, { name: "x", kind: "shared" }, admin))
      expect([badKind.status, badKind.data.message]).toEqual([400, expect.stringMatching(/^Invalid request: .*kind/)])

      const refused = await add({
        codes: ["https://course.test/join/AAA", { code: "https://course.test/join/BBB", sale_limit: 0 }, " ", "https://course.test/join/AAA", { code: "x", sale_limit: "many" }],
        sale_limit: 3,
      })
      expect(refused.status).toBe(400)
      expect(refused.data).toEqual({
        type: "invalid_data",
        message:
          "Addition rejected, nothing stored: 4 of 5 lines are invalid (line 2 sale_limit: must be a whole number from 1 to 1000000, or null for unlimited; " +
          "line 3 code: is required; line 4 code: duplicates line 1; line 5 sale_limit: must be a whole number from 1 to 1000000, or null for unlimited)",
        errors: [
          { line: 2, field: "sale_limit", message: "must be a whole number from 1 to 1000000, or null for unlimited" },
          { line: 3, field: "code", message: "is required" },
          { line: 4, field: "code", message: "duplicates line 1" },
          { line: 5, field: "sale_limit", message: "must be a whole number from 1 to 1000000, or null for unlimited" },
        ],
      })
      expect(JSON.stringify(refused.data)).not.toContain("course.test")
      const badLimit = await add({ codes: ["A"], sale_limit: 0 })
      expect([badLimit.status, badLimit.data.message]).toEqual([400, expect.stringMatching(/^Invalid request: .*sale_limit/)])
      expect(await sharedCodes()).toEqual([])

      // A code sold once elsewhere cannot be shared, nor a shared code imported as an exclusive one.
      await api.post(`/admin/virtual-goods/pools/${youku().pool_id}/imports`, { codes: ["YOUKU-SOLD-ONCE-1"] }, admin)
      const taken = await add({ codes: ["YOUKU-SOLD-ONCE-1"] })
      expect([taken.status, taken.data.errors]).toEqual([400, [{ line: 1, field: "code", message: "is already in the vault" }]])
      const exclusiveHere = await settle(api.post(`/admin/virtual-goods/pools/${poolId}/imports`, { codes: ["ONE-OFF-1"] }, admin))
      expect([exclusiveHere.status, exclusiveHere.data.message]).toEqual([
        400,
        `Pool ${poolId} is reusable: add its codes as shared codes (POST /admin/virtual-goods/pools/${poolId}/shared-codes)`,
      ])
      const generated = await settle(api.post(`/admin/virtual-goods/pools/${poolId}/generate`, { count: 5 }, admin))
      expect(generated.status).toBe(400)
      const sharedThere = await settle(api.post(`/admin/virtual-goods/pools/${youku().pool_id}/shared-codes`, { codes: ["SHARED-1"] }, admin))
      expect([sharedThere.status, sharedThere.data.message]).toEqual([
        400,
        `Pool ${youku().pool_id} is exclusive: shared codes go to reusable pools (create one with kind "reusable"); import codes sold once with /imports`,
      ])
      const voucher = await settle(api.post(`/admin/virtual-goods/pools/${poolId}/voucher-program`, { kind: "single_use" }, admin))
      expect([voucher.status, voucher.data.message]).toEqual([
        400,
        `Pool ${poolId} is reusable (its codes are sold to several orders): its codes cannot be redeemable vouchers`,
      ])

      const { data } = await api.post(
        `/admin/virtual-goods/pools/${poolId}/shared-codes`,
        {
          codes: [{ code: "family-plan@stream.test", password: "s3cret-pass", sale_limit: 3 }, "https://course.test/join/AAA"],
          sale_limit: null,
          cost_per_code: "1.5",
          currency_code: "usd",
          supplier: "Course Co",
        },
        admin
      )
      // The limited code has its 3 copies; the unlimited one its buffer of 4.
      expect(data).toEqual(expect.objectContaining({ added: 2, copies: 7, batch_id: expect.any(String) }))
      const byLimit = Object.fromEntries(data.shared_codes.map((s: any) => [String(s.sale_limit), s]))
      expect(byLimit["3"]).toEqual(expect.objectContaining({ status: "active", copies_made: 3, available: 3, sold: 0, remaining: 3, mask: expect.stringContaining("*") }))
      expect(byLimit["null"]).toEqual(expect.objectContaining({ status: "active", copies_made: 4, available: 4, sold: 0, remaining: null }))
      expect(JSON.stringify(data)).not.toMatch(/stream\.test|course\.test|s3cret/)
      // Adding the same code again is refused; so is importing it as an exclusive code into another pool.
      const again = await add({ codes: ["https://course.test/join/AAA"] })
      expect([again.status, again.data.errors]).toEqual([400, [{ line: 1, field: "code", message: "is already in the vault" }]])
      const elsewhere = await settle(api.post(`/admin/virtual-goods/pools/${youku().pool_id}/imports`, { codes: ["https://course.test/join/AAA"] }, admin))
      expect(elsewhere.status).toBe(400)
      // Every copy opens to the same code and password.
      const copies = (await dbConnection.raw(`select id from card_code where shared_code_id = ? order by id`, [byLimit["3"].id])).rows
      const { rows: [{ n: stockBefore }] } = await dbConnection.raw(`select count(*)::int as n from card_code where pool_id = ? and status = 'available'`, [poolId])
      expect(stockBefore).toBe(7)
      expect(copies).toHaveLength(3)
      expect(await conserved()).toEqual(expect.objectContaining({ available: 7 }))
    })

    it("a reusable code at its limit: 8 buyers race for a code that may be sold 3 times → exactly 3 sales, each the same account", async () => {
      await api.post(`/admin/virtual-goods/pools/${poolId}/shared-codes`, { codes: [{ code: "family-plan@stream.test", password: "s3cret-pass" }], sale_limit: 3 }, admin)
      const results = await Promise.all(Array.from({ length: 8 }, (_, i) => buy(1, `racer${i}@example.com`)))
      const won = results.filter((r) => r.status === 200 && r.data.type === "order")
      const lost = results.filter((r) => r.status !== 200 || r.data.type !== "order")
      expect(won).toHaveLength(3)
      expect(lost.map((r) => r.status)).toEqual([400, 400, 400, 400, 400])
      for (const r of lost) expect(r.data.message).toMatch(/Out of stock/)

      const plains = new Set<string>()
      for (const r of won) {
        const { card_codes } = await waitForDelivery(api, getContainer(), admin, r.data.order.id, 1)
        const opened = await reveal(card_codes[0].id)
        plains.add(`${opened.code} / ${opened.password}`)
      }
      expect([...plains]).toEqual(["family-plan@stream.test / s3cret-pass"])
      // Nothing is left to sell, and no top-up makes a fourth copy: the limit is a CHECK in the database too.
      await sweepVirtualGoods(getContainer())
      const [shared] = await sharedCodes()
      expect(shared).toEqual(expect.objectContaining({ sale_limit: 3, copies_made: 3, sold: 3, available: 0, remaining: 0 }))
      const overLimit = await dbConnection.raw(`update card_shared_code set copies_made = 4 where id = ?`, [shared.id]).catch((e: any) => e)
      expect(overLimit.message).toMatch(/card_shared_code_within_limit/)
      expect(await conserved()).toEqual({ available: 0, reserved: 0, delivered: 0, revealed: 3, voided: 0, expired: 0 })
    })

    it("unlimited codes are copied again as they sell; a line takes different codes; a refund gives back one buyer's copy; a withdrawal stops sales and mails the holders", async () => {
      const { data: added } = await api.post(
        `/admin/virtual-goods/pools/${poolId}/shared-codes`,
        { codes: ["https://course.test/join/AAA", "https://course.test/join/BBB"], sale_limit: null },
        admin
      )
      expect(added.copies).toBe(8)

      // A line of two takes one copy of each code.
      const pair = await buy(2, "pair@example.com")
      expect(pair.status).toBe(200)
      await waitForDelivery(api, getContainer(), admin, pair.data.order.id, 2)
      const pairCopies = await copiesOf(pair.data.order.id)
      expect(new Set(pairCopies.map((c) => c.shared_code_id)).size).toBe(2)

      const first = await buy(1, "first@example.com")
      const second = await buy(1, "second@example.com")
      await waitForDelivery(api, getContainer(), admin, first.data.order.id, 1)
      await waitForDelivery(api, getContainer(), admin, second.data.order.id, 1)
      expect((await poolCounts(dbConnection, poolId)).available).toBe(4)
      // The minute sweep makes copies again up to the buffer, without a limit to stop it; sweeps running at once
      // (several servers) make them once.
      await Promise.all([1, 2, 3, 4].map(() => sweepVirtualGoods(getContainer())))
      const afterTopUp = await sharedCodes()
      expect(afterTopUp.map((s) => [s.copies_made, s.available, s.sold]).sort()).toEqual([
        [6, 4, 2],
        [6, 4, 2],
      ])

      // Refunding one buyer gives back that buyer's copy only: the others keep theirs, the code stays on sale.
      const firstCopy = (await copiesOf(first.data.order.id))[0]
      const secondCopy = (await copiesOf(second.data.order.id))[0]
      await reveal(secondCopy.id)
      await api.post(`/admin/payments/${await paymentIdOf(getContainer(), first.data.order.id)}/refund`, {}, admin)
      await waitFor(async () => (await dbConnection.raw(`select status from card_code where id = ?`, [firstCopy.id])).rows[0].status === "available")
      expect((await dbConnection.raw(`select status from card_code where id = ?`, [secondCopy.id])).rows[0].status).toBe("revealed")
      expect((await sharedCodes()).every((s) => s.status === "active")).toBe(true)

      // Withdraw the code the second buyer holds: its unsold copies are voided, the holders are mailed (masks only).
      const target = afterTopUp.find((s) => s.id === secondCopy.shared_code_id)!
      const holders = (
        await dbConnection.raw(
          `select distinct order_id from card_code where shared_code_id = ? and status in ('delivered', 'revealed') and order_id is not null order by order_id`,
          [target.id]
        )
      ).rows.map((r: any) => r.order_id)
      const unsold = (await dbConnection.raw(`select count(*)::int as n from card_code where shared_code_id = ? and status = 'available'`, [target.id])).rows[0].n
      const withdrawn = await api.post(`/admin/virtual-goods/pools/${poolId}/shared-codes/${target.id}/withdraw`, { reason: "account closed by the provider" }, admin)
      expect(withdrawn.data).toEqual({
        shared_code: expect.objectContaining({ id: target.id, status: "withdrawn", withdraw_reason: "account closed by the provider", available: 0, remaining: 0 }),
        voided: unsold,
        holders: holders.length,
        notified: holders.length,
      })
      const sent = await waitFor(async () => {
        const n = await getContainer().resolve(Modules.NOTIFICATION).listNotifications({ template: "virtual-goods.shared-code-withdrawn" })
        return n.length === holders.length ? n : null
      })
      expect(sent.map((n: any) => n.resource_id).sort()).toEqual(holders)
      expect(sent.find((n: any) => n.resource_id === second.data.order.id)!.data).toEqual(
        expect.objectContaining({ reason: "account closed by the provider", codes: [{ id: secondCopy.id, mask: target.mask }] })
      )
      expect(JSON.stringify(sent)).not.toContain("course.test")
      // The holder keeps what was bought; the code is sold no more, the other one still is.
      expect((await dbConnection.raw(`select status from card_code where id = ?`, [secondCopy.id])).rows[0].status).toBe("revealed")
      const later = await buy(2, "later@example.com")
      expect(later.status).toBe(200)
      await waitForDelivery(api, getContainer(), admin, later.data.order.id, 2)
      expect((await copiesOf(later.data.order.id)).every((c) => c.shared_code_id !== target.id)).toBe(true)
      await sweepVirtualGoods(getContainer())
      expect((await sharedCodes()).find((s) => s.id === target.id)).toEqual(expect.objectContaining({ status: "withdrawn", available: 0 }))

      const twice = await settle(api.post(`/admin/virtual-goods/pools/${poolId}/shared-codes/${target.id}/withdraw`, { reason: "again" }, admin))
      expect([twice.status, twice.data.message]).toEqual([400, `Shared code ${target.id} is already withdrawn`])
      const unknown = await settle(api.post(`/admin/virtual-goods/pools/${poolId}/shared-codes/cshare_missing/withdraw`, { reason: "x" }, admin))
      expect([unknown.status, unknown.data.message]).toEqual([404, `Shared code cshare_missing was not found in pool ${poolId}`])
      const noReason = await settle(api.post(`/admin/virtual-goods/pools/${poolId}/shared-codes/${target.id}/withdraw`, {}, admin))
      expect([noReason.status, noReason.data.message]).toEqual([400, expect.stringMatching(/^Invalid request: .*reason/)])
      await conserved()
    })
  },
})
