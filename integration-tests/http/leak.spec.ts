import { randomBytes } from "crypto"
import { promises as fs } from "fs"
import os from "os"
import path from "path"
import { Readable } from "stream"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { Modules } from "@medusajs/framework/utils"
import {
  completeCart,
  firstNotification,
  prepareCart,
  registerCustomer,
  storeHeaders,
  waitFor,
  revealTokenFromNotification,
} from "../helpers"
import { useVirtualStore } from "../helpers/fixtures"
import { discardStaged, openImportSource, stageUpload } from "../../src/modules/card-vault/utils/import-sources"

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

const canary = (tag: string) => `${tag}-${randomBytes(9).toString("hex").toUpperCase()}`
const CANARIES = Array.from({ length: 4 }, (_, i) => canary(`CANARY${i}`))
const PASSWORD = `PW-${randomBytes(9).toString("hex")}`
// Codes that arrive in an uploaded file (good, duplicated and malformed lines), and the one a reissue delivers.
const FILE_CANARIES = Array.from({ length: 3 }, (_, i) => canary(`FILECANARY${i}`))
const FILE_PASSWORD = `FPW-${randomBytes(9).toString("hex")}`
const REISSUE_CANARY = canary("REISSUECANARY")
const SECRETS = [...CANARIES, PASSWORD, ...FILE_CANARIES, FILE_PASSWORD, REISSUE_CANARY]

/** The forms a leaked code could take: as is, lower-cased, base64 and hex. */
const forms = (s: string) => [s, s.toLowerCase(), Buffer.from(s).toString("base64"), Buffer.from(s).toString("hex")]

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer, dbConnection }) => {
    const { store, admin } = useVirtualStore({ api, getContainer }, { codes: 0 })

    it("no canary code appears in plain text in the database (workflow executions included) or the logs", async () => {
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
      const notification: any = await firstNotification(getContainer(), order.id)

      const headers = { headers: storeHeaders(store, token) }
      const { data: list } = await api.get(`/store/virtual-goods/orders/${order.id}/codes`, headers)
      const revealed: string[] = []
      const one = await api.post(`/store/virtual-goods/orders/${order.id}/codes/${list.card_codes[0].id}/reveal`, {}, headers)
      revealed.push(one.data.card_code.code)
      const guest = await api.post(
        `/store/virtual-goods/reveal-links/reveal`,
        { token: revealTokenFromNotification(notification) },
        { headers: storeHeaders(store) }
      )
      revealed.push(...guest.data.card_codes.map((c: any) => c.code))
      const byAdmin = await api.post(`/admin/virtual-goods/codes/${list.card_codes[1].id}/reveal`, { reason: "leak test" }, admin)
      revealed.push(byAdmin.data.card_code.code)
      await api.post(`/admin/virtual-goods/codes/search`, { code: CANARIES[2] }, admin)

      // A file upload with good, duplicated and malformed lines, through the streaming import and its report.
      const form = new FormData()
      form.append("mode", "skip_invalid")
      const csv = `code,password\n${FILE_CANARIES[0]},${FILE_PASSWORD}\n${FILE_CANARIES[1]},\n${FILE_CANARIES[1]},\n${FILE_CANARIES[2]}\u0007,\n`
      form.append("file", new Blob([csv]), "leak.csv")
      const upload = await api.post(`/admin/virtual-goods/pools/${store.products[0].pool_id}/import-files`, form, admin)
      const batch = await waitFor(async () => {
        const { data } = await api.get(`/admin/virtual-goods/batches/${upload.data.card_batch.id}`, admin)
        return data.card_batch.status === "committed" ? data.card_batch : null
      })
      expect([batch.code_count, batch.rejected_count]).toEqual([2, 2])
      await api.get(`/admin/virtual-goods/batches/${batch.id}/report`, admin)

      // Void & reissue: the fresh code comes from a new import, and is revealed.
      await api.post(`/admin/virtual-goods/pools/${poolId}/imports`, { codes: [REISSUE_CANARY] }, admin)
      const reissued = await api.post(`/admin/virtual-goods/codes/${list.card_codes[2].id}/reissue`, { reason: "leak test" }, admin)
      const fresh = await api.post(`/admin/virtual-goods/codes/${reissued.data.card_code.id}/reveal`, { reason: "leak test" }, admin)
      expect(fresh.data.card_code.code).toBe(REISSUE_CANARY)

      // An admin resend: one more guest link. Every link issued for the order (purchase, reissue, resend) is a secret
      // too: its token must be nowhere at rest nor in the output.
      await api.post(`/admin/virtual-goods/orders/${order.id}/resend`, { reason: "leak test" }, admin)
      const sent: any[] = await waitFor(async () => {
        const all = await getContainer().resolve(Modules.NOTIFICATION).listNotifications({ resource_id: order.id })
        return all.length >= 3 ? all : null
      })
      const tokens = sent.map((n) => revealTokenFromNotification(n))
      expect(new Set(tokens).size).toBe(3)
      for (const t of tokens) {
        const opened = await api.post(`/store/virtual-goods/reveal-links/lookup`, { token: t }, { headers: storeHeaders(store) })
        expect(opened.data.order_id).toBe(order.id)
      }
      SECRETS.push(...tokens)

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
          for (const secret of SECRETS) {
            if (forms(secret).some((f) => r.includes(f))) hits.push(`${t.table_name}: ${secret.slice(0, 8)}…`)
          }
        }
      }
      expect(rowsScanned).toBeGreaterThan(100)
      expect(hits).toEqual([])

      const logs = output.join("")
      expect(logs.length).toBeGreaterThan(0)
      for (const secret of SECRETS) {
        for (const f of forms(secret)) expect(logs.includes(f)).toBe(false)
      }
    })

    it("an uploaded file waits on disk encrypted with a key held only in memory", async () => {
      const secret = canary("STAGEDCANARY")
      const staged = await stageUpload(Readable.from([Buffer.from(`${secret}\n`)]), "staged.txt")
      const file = path.join(os.tmpdir(), "medusa-virtual-goods-uploads", `${staged.id}.bin`)
      const onDisk = (await fs.readFile(file)).toString("latin1")
      expect(onDisk.length).toBe(secret.length + 1)
      for (const f of forms(secret)) expect(onDisk.includes(f)).toBe(false)
      const lines: any[] = []
      const source = openImportSource({ type: "staged", id: staged.id, format: "txt" })
      for await (const line of source.lines) lines.push(line)
      expect(lines).toEqual([{ line: 1, entry: secret }])
      await discardStaged(staged.id)
      await expect(fs.stat(file)).rejects.toThrow("ENOENT")
    })
  },
})
