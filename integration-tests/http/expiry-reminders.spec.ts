import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { sendExpiryRemindersWorkflow } from "../../src/workflows/virtual-goods/workflows/send-expiry-reminders"
import { completeCart, prepareCart, waitForDelivery } from "../helpers"
import { useVirtualStore } from "../helpers/fixtures"

jest.setTimeout(180_000)

/**
 * Expiry reminders: a buyer is told once, by email, of codes that expire within `expiry_reminder_days` (3 by default)
 * and that are unused — never revealed, or the merchant's vouchers not used up; masks and dates only.
 */
medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    const { store, admin } = useVirtualStore({ api, getContainer }, { codes: 6 })
    const youku = () => store.products.find((p) => p.handle === "youku-monthly")!
    const db = () => getContainer().resolve(ContainerRegistrationKeys.PG_CONNECTION)
    const reminders = async (orderId: string) =>
      (await getContainer().resolve(Modules.NOTIFICATION).listNotifications({ resource_id: orderId, template: "virtual-goods.expiry-reminder" }, { order: { created_at: "ASC" } })) as any[]
    const run = async () => (await sendExpiryRemindersWorkflow(getContainer()).run({ input: {} })).result

    it("reminds once per unused code about to expire; revealed codes only when they are vouchers not used up", async () => {
      const cart = await prepareCart(api, store, [{ variant_id: youku().variant_id, quantity: 4 }], { email: "expiring@example.com" })
      const { data } = await completeCart(api, store, cart.id)
      const order = data.order
      const { card_codes: codes } = await waitForDelivery(api, getContainer(), admin, order.id, 4)
      const [soon, revealed, voucher, later] = codes as { id: string; mask: string }[]
      // Two days left for three of them; ten for the fourth (outside the lead time).
      await db().raw(`update card_code set expires_at = now() + interval '2 days' where id = any(?)`, [[soon.id, revealed.id, voucher.id]])
      await db().raw(`update card_code set expires_at = now() + interval '10 days' where id = ?`, [later.id])
      await api.post(`/admin/virtual-goods/codes/${revealed.id}/reveal`, { reason: "customer asked on the phone" }, admin)
      const { data: shown } = await api.post(`/admin/virtual-goods/codes/${voucher.id}/reveal`, { reason: "printed as a voucher" }, admin)

      // Only the unrevealed code within the lead time: one email, its mask and date, no code and no link. (Asserted on
      // the emails: the hourly job may take a turn in between; whoever runs it, the outcome is the same.)
      expect((await run()).sent).toBeLessThanOrEqual(1)
      const [first] = await reminders(order.id)
      expect(first).toEqual(expect.objectContaining({ to: "expiring@example.com", channel: "email" }))
      expect(first.data.codes).toEqual([{ id: soon.id, mask: soon.mask, expires_at: expect.any(String) }])
      expect(JSON.stringify(first.data)).not.toMatch(/token|reveal_link/)
      // Once: the next runs find nothing.
      expect(await run()).toEqual({ codes: 0, sent: 0 })
      expect(await reminders(order.id)).toHaveLength(1)

      // The pool becomes the merchant's single-use vouchers: the revealed codes are unused until redeemed. One is
      // redeemed first — used up, it is claimed but not mentioned; the other gets its reminder.
      await api.post(`/admin/virtual-goods/pools/${youku().pool_id}/voucher-program`, { kind: "single_use" }, admin)
      await api.post(`/admin/virtual-goods/vouchers/redeem`, { code: shown.card_code.code }, { headers: { ...admin.headers, "idempotency-key": "used-1" } })
      expect((await run()).sent).toBeLessThanOrEqual(1)
      const all = await reminders(order.id)
      expect(all).toHaveLength(2)
      expect(all[1].data.codes.map((c: any) => c.id)).toEqual([revealed.id])
      const { rows } = await db().raw(`select id from card_code where expiry_reminded_at is not null order by id`)
      expect(rows.map((r: any) => r.id).sort()).toEqual([soon.id, revealed.id, voucher.id].sort())
      expect(await run()).toEqual({ codes: 0, sent: 0 })
    })
  },
})
