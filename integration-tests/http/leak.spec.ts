import { randomBytes } from "crypto"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { Modules } from "@medusajs/framework/utils"
import {
  completeCart,
  createAdminHeaders,
  createVirtualStore,
  explainHttpErrors,
  prepareCart,
  registerCustomer,
  storeHeaders,
  waitFor,
} from "../helpers"
import type { VirtualStore } from "../../src/scripts/setup-virtual-store"

jest.setTimeout(180_000)

// Everything the process writes is kept and searched for canaries at the end.
const output: string[] = []
for (const stream of [process.stdout, process.stderr]) {
  const write = stream.write.bind(stream)
  ;(stream as any).write = (chunk: any, ...rest: any[]) => {
    output.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"))
    return write(chunk, ...rest)
  }
}

const CANARIES = Array.from({ length: 4 }, (_, i) => `CANARY${i}-${randomBytes(9).toString("hex").toUpperCase()}`)
const PASSWORD = `PW-${randomBytes(9).toString("hex")}`

/** The forms a leaked code could take: as is, lower-cased, base64 and hex. */
const forms = (s: string) => [s, s.toLowerCase(), Buffer.from(s).toString("base64"), Buffer.from(s).toString("hex")]

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer, dbConnection }) => {
    let store: VirtualStore

    beforeAll(async () => {
      explainHttpErrors(api)
      store = await createVirtualStore(getContainer(), 0)
    })

    it("no canary code appears in plain text in the database (workflow executions included) or the logs", async () => {
      const admin = await createAdminHeaders(getContainer())
      const poolId = store.products[1].pool_id
      const variantId = store.products[1].variant_id
      await api.post(
        `/admin/virtual-goods/pools/${poolId}/imports`,
        { codes: [...CANARIES.slice(0, 3), { code: CANARIES[3], password: PASSWORD }], supplier: "Leak test" },
        admin
      )
      // A duplicate import and a malformed one go through the error paths with the canaries in the body.
      await api.post(`/admin/virtual-goods/pools/${poolId}/imports`, { codes: [CANARIES[0], CANARIES[0]] }, admin).catch((e: any) => e)
      await api.post(`/admin/virtual-goods/pools/${poolId}/imports`, { codes: [CANARIES[1]] }, admin).catch((e: any) => e)

      const { token } = await registerCustomer(api, store, "leak@example.com")
      const cart = await prepareCart(api, store, [{ variant_id: variantId, quantity: 4 }], { email: "leak@example.com", token })
      const order = (await completeCart(api, store, cart.id, token)).data.order
      const notification: any = await waitFor(async () => {
        const [n] = await getContainer().resolve(Modules.NOTIFICATION).listNotifications({ resource_id: order.id })
        return n
      })

      const headers = { headers: storeHeaders(store, token) }
      const { data: list } = await api.get(`/store/virtual-goods/orders/${order.id}/codes`, headers)
      const revealed: string[] = []
      const one = await api.post(`/store/virtual-goods/orders/${order.id}/codes/${list.card_codes[0].id}/reveal`, {}, headers)
      revealed.push(one.data.card_code.code)
      const guest = await api.post(
        `/store/virtual-goods/reveal-links/reveal`,
        { token: notification.data.reveal_url.split("/").pop() },
        { headers: storeHeaders(store) }
      )
      revealed.push(...guest.data.card_codes.map((c: any) => c.code))
      const byAdmin = await api.post(`/admin/virtual-goods/codes/${list.card_codes[1].id}/reveal`, { reason: "leak test" }, admin)
      revealed.push(byAdmin.data.card_code.code)
      await api.get(`/admin/virtual-goods/codes?code=${CANARIES[2]}`, admin)

      // The canaries really went all the way through.
      expect(new Set(revealed)).toEqual(new Set(CANARIES))
      expect(guest.data.card_codes.find((c: any) => c.code === CANARIES[3]).password).toBe(PASSWORD)

      const { rows: tables } = await dbConnection.raw(
        `select table_schema, table_name from information_schema.tables
          where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')`
      )
      expect(tables.map((t: any) => t.table_name)).toEqual(expect.arrayContaining(["card_code", "card_audit_log", "notification", "workflow_execution"]))
      let rowsScanned = 0
      const hits: string[] = []
      for (const t of tables) {
        const { rows } = await dbConnection.raw(`select t::text as r from "${t.table_schema}"."${t.table_name}" t`)
        rowsScanned += rows.length
        for (const { r } of rows) {
          for (const secret of [...CANARIES, PASSWORD]) {
            if (forms(secret).some((f) => r.includes(f))) hits.push(`${t.table_name}: ${secret.slice(0, 8)}…`)
          }
        }
      }
      expect(rowsScanned).toBeGreaterThan(100)
      expect(hits).toEqual([])

      const logs = output.join("")
      expect(logs.length).toBeGreaterThan(0)
      for (const secret of [...CANARIES, PASSWORD]) {
        for (const f of forms(secret)) expect(logs.includes(f)).toBe(false)
      }
    })
  },
})
