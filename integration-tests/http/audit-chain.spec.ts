import { mkdtempSync, readdirSync, readFileSync } from "fs"
import http from "http"
import type { AddressInfo } from "net"
import os from "os"
import path from "path"
import { randomBytes } from "crypto"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import type { ExecArgs } from "@medusajs/framework/types"
import verifyAudit from "../../src/scripts/verify-audit"
import { completeCart, prepareCart, settle, waitForDelivery } from "../helpers"
import { useEnv } from "../helpers/env"
import { useVirtualStore } from "../helpers/fixtures"

jest.setTimeout(300_000)

// The checkpoints' destinations: a directory and a receiver on loopback standing in for the operator's archive.
const checkpointDir = mkdtempSync(path.join(os.tmpdir(), "vg-audit-"))
const received: string[] = []
const receiver = http.createServer((req, res) => {
  let body = ""
  req.on("data", (c) => (body += c))
  req.on("end", () => {
    received.push(body)
    res.writeHead(204).end()
  })
})
const receiverReady = new Promise<number>((resolve) => receiver.listen(0, "127.0.0.1", () => resolve((receiver.address() as AddressInfo).port)))
let receiverPort = 0
beforeAll(async () => {
  receiverPort = await receiverReady
  process.env.VIRTUAL_GOODS_AUDIT_CHECKPOINT_URL = `http://127.0.0.1:${receiverPort}/checkpoints`
})
afterAll(() => receiver.close())
useEnv({ VIRTUAL_GOODS_AUDIT_SIGNING_KEY: randomBytes(32).toString("base64"), VIRTUAL_GOODS_AUDIT_CHECKPOINT_DIR: checkpointDir })

/**
 * The audit log's integrity through the admin API and the command: the chains of a real sale verify; a checkpoint is
 * signed and exported (file and webhook); a history rewritten with its chain recomputed — and its stored checkpoints
 * deleted — is still caught by the exported copy, and the command names the link and exits 1.
 */
medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer, dbConnection }) => {
    const { store, admin } = useVirtualStore({ api, getContainer }, { codes: 4 })

    it("a sale's rows verify; a signed, exported checkpoint catches a rewritten history the chains alone no longer show", async () => {
      const cart = await prepareCart(api, store, [{ variant_id: store.products[0].variant_id, quantity: 2 }])
      const order = (await completeCart(api, store, cart.id)).data.order
      await waitForDelivery(api, getContainer(), admin, order.id, 2)

      const { data: fine } = await api.get(`/admin/virtual-goods/audit-logs/verify`, admin)
      expect(fine.audit_chain).toEqual(expect.objectContaining({ ok: true, problems: [], first_broken: [] }))
      expect(fine.audit_chain.rows).toBeGreaterThanOrEqual(3) // import, reserve, deliver at least
      expect(fine.audit_chain.links).toBe(fine.audit_chain.rows)

      const { data: signed } = await api.post(`/admin/virtual-goods/audit-checkpoints`, {}, admin)
      const checkpoint = signed.audit_checkpoint
      // (The hourly job may sign one of its own meanwhile: this test's checkpoint is found by its id.)
      const file = path.join(checkpointDir, readdirSync(checkpointDir).find((n) => n.endsWith(`-${checkpoint.id}.json`))!)
      expect(checkpoint).toEqual({
        id: expect.stringMatching(/^caudcp_/),
        key_id: expect.stringMatching(/^[0-9a-f]{16}$/),
        created_at: expect.any(String),
        exported_to: [file, `http://127.0.0.1:${receiverPort}/checkpoints`],
        export_failures: [],
      })
      const copy = JSON.parse(readFileSync(file, "utf8"))
      expect(copy).toEqual(expect.objectContaining({ id: checkpoint.id, key_id: checkpoint.key_id, signature: expect.any(String) }))
      expect(received.map((b) => JSON.parse(b))).toContainEqual(copy)
      const { data: listed } = await api.get(`/admin/virtual-goods/audit-checkpoints`, admin)
      expect(listed).toEqual(expect.objectContaining({ public_key: expect.stringContaining("BEGIN PUBLIC KEY") }))
      expect(listed.checkpoints).toContainEqual(expect.objectContaining({ id: checkpoint.id, payload: copy.payload }))
      const badLimit = await settle(api.get(`/admin/virtual-goods/audit-checkpoints?limit=0`, admin))
      expect(badLimit.status).toBe(400)

      // Someone with the database rewrites the delivery's row (say, to hide which codes went where), recomputes its
      // link and every later one with the database's own function, moves the head, and deletes the stored checkpoints.
      const [target] = (
        await dbConnection.raw(
          `SELECT a.id, l.chain_id, l.seq::int AS seq FROM card_audit_log a JOIN card_audit_link l ON l.id = a.id WHERE a.action = 'deliver' AND a.order_id = ?`,
          [order.id]
        )
      ).rows
      await dbConnection.raw(`
        BEGIN;
        SET LOCAL session_replication_role = replica;
        UPDATE card_audit_log SET code_ids = '[]'::jsonb WHERE id = '${target.id}';
        DO $$
        DECLARE l record; v_prev text;
        BEGIN
          SELECT prev_hash INTO v_prev FROM card_audit_link WHERE id = '${target.id}';
          FOR l IN SELECT * FROM card_audit_link WHERE chain_id = '${target.chain_id}' AND seq >= ${target.seq} ORDER BY seq LOOP
            UPDATE card_audit_link k SET prev_hash = v_prev, hash = card_audit_row_hash(a, v_prev) FROM card_audit_log a WHERE a.id = k.id AND k.id = l.id
              RETURNING k.hash INTO v_prev;
          END LOOP;
          UPDATE card_audit_chain SET head = v_prev WHERE id = '${target.chain_id}';
        END $$;
        DELETE FROM card_audit_checkpoint;
        COMMIT;`)

      const { data: caught } = await api.get(`/admin/virtual-goods/audit-logs/verify`, admin)
      expect(caught.audit_chain.ok).toBe(false)
      expect(caught.audit_chain.problems.every((p: any) => p.kind === "checkpoint_mismatch")).toBe(true)
      expect(caught.audit_chain.problems).toContainEqual(
        expect.objectContaining({ kind: "checkpoint_mismatch", chain_id: target.chain_id, checkpoint_id: path.basename(file) })
      )
      expect(caught.audit_chain.first_broken).toHaveLength(1)
      expect(caught.audit_chain.first_broken.every((p: any) => p.chain_id === target.chain_id)).toBe(true)

      // The command says the same and exits 1.
      const out: string[] = []
      const write = jest.spyOn(process.stdout, "write").mockImplementation((chunk: any) => {
        out.push(String(chunk))
        return true
      })
      try {
        await verifyAudit({ container: getContainer(), args: [] } as unknown as ExecArgs)
      } finally {
        write.mockRestore()
      }
      expect(process.exitCode).toBe(1)
      process.exitCode = 0
      expect(out.join("")).toContain("The audit log does NOT verify")
      expect(out.join("")).toContain(`checkpoint_mismatch: chain ${target.chain_id} link`)
    })
  },
})
