import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { Modules } from "@medusajs/framework/utils"
import {
  completeCart,
  prepareCart,
  storeHeaders,
  waitForDelivery,
} from "../helpers"
import { liftedRateLimits, useEnv } from "../helpers/env"
import { useVirtualStore } from "../helpers/fixtures"

// A real SMTP server on loopback receives what the store sends: the app is configured with our SMTP email provider
// (medusa-config registers it for the `email` channel when VIRTUAL_GOODS_SMTP_HOST is set).
const { startMailCatcher } = require("../../scripts/lib/mail-catcher")
useEnv({
  VIRTUAL_GOODS_SMTP_HOST: "127.0.0.1",
  VIRTUAL_GOODS_MAIL_FROM: '"Test shop" <shop@example.com>',
  VIRTUAL_GOODS_STORE_NAME: "Test shop",
  // This spec tries every string of the notification rows as a token from one address: measure that, not the limiter.
  VIRTUAL_GOODS_RATE_LIMITS: liftedRateLimits("guest_link"),
})
let catcher: any
beforeAll(async () => {
  catcher = await startMailCatcher({ port: 0 })
  process.env.VIRTUAL_GOODS_SMTP_PORT = String(catcher.port)
})
afterAll(async () => {
  await catcher?.close()
})

jest.setTimeout(180_000)

type Mail = { id: string; from: string; to: string[]; subject: string; text: string; html: string; raw: string }

/** The guest link of a message, as the shopper clicks it: from the HTML button, the same in the text part. */
function linkOf(mail: Mail): { url: string; token: string } {
  const href = mail.html.match(/href="(http:\/\/localhost:8000\/virtual-goods\/reveal\/[^"]+)"/)
  if (!href) throw new Error(`no reveal link in the email "${mail.subject}"`)
  const url = href[1].replace(/&amp;/g, "&")
  expect(mail.text).toContain(url)
  return { url, token: decodeURIComponent(url.split("/").pop() as string) }
}

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer, dbConnection }) => {
    const { store, admin } = useVirtualStore({ api, getContainer }, { codes: 20 })
    const issued: { token: string; why: string }[] = []

    const buy = async (email: string, quantity: number, locale?: string) => {
      const cart = await prepareCart(api, store, [{ variant_id: store.products[0].variant_id, quantity }], { email, locale })
      const order = (await completeCart(api, store, cart.id)).data.order
      const codes = await waitForDelivery(api, getContainer(), admin, order.id, quantity)
      return { order, codes: codes.card_codes as { id: string; mask: string }[] }
    }

    it("the delivery email arrives over SMTP with masks and a working link, never a code", async () => {
      const { order, codes } = await buy("guest-en@example.com", 2)
      const mail: Mail = await catcher.waitFor((m: Mail) => m.to.includes("guest-en@example.com"))
      expect(mail.subject).toBe(`Your codes for order #${order.display_id} are ready`)
      expect(mail.from).toBe('"Test shop" <shop@example.com>')
      for (const c of codes) {
        expect(mail.text).toContain(c.mask)
        expect(mail.html).toContain(c.mask)
      }
      expect(mail.text).toMatch(/works until .+ UTC, at most 5 times/)
      const { token } = linkOf(mail)
      issued.push({ token, why: "delivery" })

      // The link opens the order (uses left, expiry) and reveals exactly the order's codes.
      const headers = { headers: storeHeaders(store) }
      const { data: lookup } = await api.post(`/store/virtual-goods/reveal-links/lookup`, { token }, headers)
      expect(lookup).toEqual({
        order_id: order.id,
        uses_left: 5,
        expires_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        card_codes: expect.arrayContaining(codes.map((c) => expect.objectContaining({ id: c.id, mask: c.mask }))),
      })
      const { data: revealed } = await api.post(`/store/virtual-goods/reveal-links/reveal`, { token }, headers)
      expect(revealed.uses_left).toBe(4)
      const plain = revealed.card_codes.map((c: any) => c.code as string)
      expect(plain).toHaveLength(2)
      for (const code of plain) {
        expect(mail.raw).not.toContain(code)
        expect(mail.text).not.toContain(code)
      }
    })

    it("an order placed in Chinese gets its email in Simplified Chinese", async () => {
      const { order, codes } = await buy("guest-zh@example.com", 1, "zh-CN")
      const mail: Mail = await catcher.waitFor((m: Mail) => m.to.includes("guest-zh@example.com"))
      expect(mail.subject).toBe(`您的订单 #${order.display_id} 卡密已发放`)
      expect(mail.text).toContain("查看卡密")
      expect(mail.text).toContain(codes[0].mask)
      expect(mail.html).toContain('lang="zh-CN"')
      issued.push({ token: linkOf(mail).token, why: "delivery (zh)" })
    })

    it("order lookup for guests: email + order number mail a fresh link to the order's address, once per window; the answer never tells", async () => {
      const { order } = await buy("Lookup.Guest@example.com", 1)
      const to = (m: Mail, address: string) => m.to.some((t) => t.toLowerCase() === address)
      const delivered: Mail = await catcher.waitFor((m: Mail) => to(m, "lookup.guest@example.com"))
      const headers = { headers: storeHeaders(store) }
      const ask = (body: unknown) => api.post(`/store/virtual-goods/order-lookup`, body, headers).catch((e: any) => e.response)

      // Wrong email, unknown number: the same 202 as a match, and no email.
      const answers = [
        await ask({ email: "someone.else@example.com", order_number: order.display_id }),
        await ask({ email: "lookup.guest@example.com", order_number: order.display_id + 1000 }),
      ]
      const match = await ask({ email: "LOOKUP.guest@example.com ", order_number: `#${order.display_id}` })
      for (const a of [...answers, match]) expect([a.status, a.data, a.headers["cache-control"]]).toEqual([202, { requested: true }, "no-store"])
      const mail: Mail = await catcher.waitFor((m: Mail) => to(m, "lookup.guest@example.com") && m.id !== delivered.id)
      expect(mail.subject).toBe(`A new link to your codes for order #${order.display_id}`)
      const { token } = linkOf(mail)
      expect(token).not.toBe(linkOf(delivered).token)
      const { data: opened } = await api.post(`/store/virtual-goods/reveal-links/lookup`, { token }, headers)
      expect([opened.order_id, opened.uses_left]).toEqual([order.id, 5])

      // A second lookup within the window answers the same and sends nothing more.
      expect((await ask({ email: "lookup.guest@example.com", order_number: order.display_id })).status).toBe(202)
      await new Promise((r) => setTimeout(r, 1500))
      expect(catcher.messages.filter((m: Mail) => to(m, "lookup.guest@example.com"))).toHaveLength(2)
      expect(catcher.messages.filter((m: Mail) => to(m, "someone.else@example.com"))).toHaveLength(0)

      // Bad input: 400 naming the field.
      const bad = await ask({ email: "not-an-email", order_number: "abc" })
      expect(bad.status).toBe(400)
      expect(bad.data.message).toContain("email")
      expect(bad.data.message).toContain("order_number")
    })

    it("a resend and a reissue each mail a fresh working link; nothing at rest opens any link: no live token in any table, nothing in the notification rows works as one", async () => {
      // (Each test starts from an emptied database: this one issues links in two languages, resends and reissues.)
      const zh = await buy("guest-zh2@example.com", 1, "zh-CN")
      issued.length = 0
      issued.push({ token: linkOf(await catcher.waitFor((m: Mail) => m.to.includes("guest-zh2@example.com"))).token, why: "delivery (zh)" })
      const { order, codes } = await buy("guest-after@example.com", 2)
      const first: Mail = await catcher.waitFor((m: Mail) => m.to.includes("guest-after@example.com"))
      issued.push({ token: linkOf(first).token, why: "delivery" })

      await api.post(`/admin/virtual-goods/orders/${order.id}/resend`, { reason: "lost email" }, admin)
      const resent: Mail = await catcher.waitFor((m: Mail) => m.to.includes("guest-after@example.com") && m.id !== first.id)
      expect(resent.subject).toBe(`Your codes for order #${order.display_id} (sent again)`)
      issued.push({ token: linkOf(resent).token, why: "resend" })

      const { data: reissued } = await api.post(`/admin/virtual-goods/codes/${codes[0].id}/reissue`, { reason: "customer says it does not work" }, admin)
      const third: Mail = await catcher.waitFor(
        (m: Mail) => m.to.includes("guest-after@example.com") && m.id !== first.id && m.id !== resent.id
      )
      expect(third.subject).toBe(`A code of order #${order.display_id} was replaced`)
      expect(third.text).toContain(reissued.card_code.mask)
      issued.push({ token: linkOf(third).token, why: "reissue" })

      const tokens = issued.map((i) => i.token)
      expect(new Set(tokens).size).toBe(tokens.length)
      for (const t of issued.slice(-3)) {
        const res = await api.post(`/store/virtual-goods/reveal-links/lookup`, { token: t.token }, { headers: storeHeaders(store) })
        expect([t.why, res.status, res.data.order_id]).toEqual([t.why, 200, order.id])
      }
      expect(zh.order.id).not.toBe(order.id)

      const { rows: tables } = await dbConnection.raw(
        `select table_schema, table_name from information_schema.tables
          where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')`
      )
      const hits: string[] = []
      let rowsScanned = 0
      for (const t of tables) {
        const { rows } = await dbConnection.raw(`select t::text as r from "${t.table_schema}"."${t.table_name}" t`)
        rowsScanned += rows.length
        for (const { r } of rows) {
          for (const { token, why } of issued) {
            if (r.includes(token) || r.includes(encodeURIComponent(token))) hits.push(`${t.table_name}: the ${why} link's token`)
          }
        }
      }
      expect(rowsScanned).toBeGreaterThan(100)
      expect(hits).toEqual([])

      // Every string in Medusa's notification rows that could be a token (or a URL ending in one) is tried: none opens.
      const notifications = await getContainer().resolve(Modules.NOTIFICATION).listNotifications({}, { take: 1000 })
      const emails = notifications.filter((n: any) => n.channel === "email")
      expect(emails.length).toBe(4)
      const candidates = new Set<string>()
      for (const n of emails) {
        for (const m of JSON.stringify(n).matchAll(/[A-Za-z0-9_-]{20,}/g)) candidates.add(m[0])
        expect(n.data).not.toHaveProperty("reveal_url")
        expect(n.data).toEqual(expect.objectContaining({ reveal_link: expect.objectContaining({ id: expect.stringMatching(/^crlink_/) }) }))
      }
      expect(candidates.size).toBeGreaterThan(10)
      expect(issued).toHaveLength(4)
      for (const token of candidates) {
        const res = await api.post(`/store/virtual-goods/reveal-links/lookup`, { token }, { headers: storeHeaders(store) }).catch((e: any) => e.response)
        expect([token, res.status]).toEqual([token, 404])
      }
    })
  },
})
