import { randomBytes } from "crypto"
import path from "path"
import { moduleIntegrationTestRunner } from "@medusajs/test-utils"
import { CARD_VAULT_MODULE } from ".."
import CardVaultModuleService from "../service"
import { signCheckpoint, checkpointPayload, parseSigningKey } from "../utils/checkpoint-signing"
import { validateImportEntries } from "../utils/import-entries"

jest.setTimeout(120_000)

const key = () => randomBytes(32).toString("base64")
const moduleOptions = { keys: { "1": key() }, blind_index_key: key(), audit_signing_key: key() }

type SqlRow = Record<string, any>

/**
 * The tamper-evident audit log: every row joins a hash chain in the transaction that writes it; verification names
 * the first broken link after a row is edited, deleted or slipped in with the triggers off; a signed checkpoint catches
 * a history rewritten with its chain recomputed.
 */
moduleIntegrationTestRunner<CardVaultModuleService>({
  moduleName: CARD_VAULT_MODULE,
  resolve: path.join(__dirname, ".."),
  pathToMigrations: path.join(__dirname, "../migrations"),
  moduleOptions,
  testSuite: ({ service, MikroOrmWrapper }) => {
    const sql = async (query: string, params: unknown[] = []) =>
      (await MikroOrmWrapper.getManager().getConnection().execute(query, params)) as SqlRow[]
    /** Runs statements as a database administrator could: in one transaction with every trigger switched off. */
    const asAdministrator = (statements: string) =>
      sql(`BEGIN; SET LOCAL session_replication_role = replica; ${statements}; COMMIT;`)

    /** A pool with `n` codes, some reserved by carts and released again: import, reserve and release rows. */
    const activity = async (name: string, n: number) => {
      const pool = await service.createCardPools({ name })
      const codes = Array.from({ length: n }, (_, i) => `${name}-${i}-${randomBytes(6).toString("hex")}`)
      const { entries } = validateImportEntries(codes)
      await service.importSealedCodes({ pool_id: pool.id, codes: service.sealCodes(pool.id, entries), actor: { type: "system" } })
      return pool.id
    }

    it("links every row at commit; 40 writers at once (checkouts' reservations and services' rows) keep every chain valid", async () => {
      const poolId = await activity("chain", 30)
      await Promise.all([
        ...Array.from({ length: 20 }, (_, i) => service.reserveForCart({ cart_id: `cart_${i}`, items: [{ pool_id: poolId, quantity: 1 }] })),
        ...Array.from({ length: 20 }, (_, i) =>
          service.recordAudit({ action: "note", actor: { type: "user", id: `user_${i}` }, order_id: `order_${i}`, reason: `writer ${i}`, details: { i, "ключ": "值" } })
        ),
      ])
      // A transaction that does not commit leaves neither a row nor a link.
      await sql(`BEGIN; INSERT INTO card_audit_log (id, action, actor_type) VALUES ('caudit_rolled_back', 'note', 'system'); ROLLBACK;`)

      const report = await service.verifyAuditChain()
      expect(report).toEqual(expect.objectContaining({ ok: true, problems: [], first_broken: [] }))
      expect(report.rows).toBe(41) // the import, 20 reservations, 20 notes
      expect(report.links).toBe(report.rows)
      expect(report.chains).toBeGreaterThan(1)
      // Every chain counts 1, 2, 3… with each link naming the one before it.
      const gaps = await sql(
        `SELECT chain_id FROM card_audit_link GROUP BY chain_id HAVING max(seq) <> count(*) OR min(seq) <> 1`
      )
      expect(gaps).toEqual([])
      expect(await sql(`SELECT count(*)::int AS n FROM card_audit_log WHERE id = 'caudit_rolled_back'`)).toEqual([{ n: 0 }])
      // Links and checkpoints are append-only like the log.
      await expect(sql(`UPDATE card_audit_link SET hash = 'x'`)).rejects.toThrow(/card_audit_link is append-only: UPDATE refused/)
      await expect(sql(`DELETE FROM card_audit_link`)).rejects.toThrow(/card_audit_link is append-only: DELETE refused/)
    })

    it("names the first broken link when a row is edited, deleted or slipped in with the triggers off", async () => {
      const poolId = await activity("tamper", 5)
      for (let i = 0; i < 6; i++) await service.recordAudit({ action: "note", actor: { type: "system" }, order_id: `order_${i}`, reason: `row ${i}` })
      const links = await sql(`SELECT l.id, l.chain_id, l.seq::int AS seq FROM card_audit_link l JOIN card_audit_log a ON a.id = l.id WHERE a.action = 'note' ORDER BY a.created_at`)
      const [edited, deleted] = [links[1], links[3]]

      await asAdministrator(`UPDATE card_audit_log SET reason = 'nothing to see' WHERE id = '${edited.id}'`)
      await asAdministrator(`DELETE FROM card_audit_log WHERE id = '${deleted.id}'`)
      await asAdministrator(`INSERT INTO card_audit_log (id, action, actor_type, pool_id) VALUES ('caudit_slipped_in', 'reveal', 'user', '${poolId}')`)

      const report = await service.verifyAuditChain()
      expect(report.ok).toBe(false)
      expect(report.problems).toEqual(
        expect.arrayContaining([
          {
            kind: "altered",
            chain_id: edited.chain_id,
            seq: edited.seq,
            audit_id: edited.id,
            checkpoint_id: null,
            message: `chain ${edited.chain_id} link ${edited.seq}: row ${edited.id} was changed after it was written`,
          },
          {
            kind: "missing_row",
            chain_id: deleted.chain_id,
            seq: deleted.seq,
            audit_id: deleted.id,
            checkpoint_id: null,
            message: `chain ${deleted.chain_id} link ${deleted.seq}: row ${deleted.id} was deleted`,
          },
          {
            kind: "unlinked",
            chain_id: null,
            seq: null,
            audit_id: "caudit_slipped_in",
            checkpoint_id: null,
            message: "row caudit_slipped_in is in no chain: it was written with the database's triggers switched off",
          },
        ])
      )
      expect(report.problems).toHaveLength(3)
      // Removing the deleted row's link too breaks the chain at the next link.
      await asAdministrator(`DELETE FROM card_audit_link WHERE id = '${deleted.id}'`)
      const again = await service.verifyAuditChain()
      const next = (await sql(`SELECT seq::int AS seq FROM card_audit_link WHERE chain_id = ? AND seq > ? ORDER BY seq LIMIT 1`, [deleted.chain_id, deleted.seq]))[0]
      if (next) {
        expect(again.problems).toContainEqual(expect.objectContaining({ kind: "broken_link", chain_id: deleted.chain_id, seq: next.seq }))
      } else {
        expect(again.problems).toContainEqual(expect.objectContaining({ kind: "head_mismatch", chain_id: deleted.chain_id }))
      }
    })

    it("a history rewritten with its chain recomputed verifies as a chain, and the signed checkpoint catches it", async () => {
      const poolId = await activity("rewrite", 3)
      await service.recordAudit({ action: "note", actor: { type: "system" }, cart_id: poolId, reason: "before the checkpoint" })
      const checkpoint = await service.createAuditCheckpoint()
      expect(checkpoint).toEqual(expect.objectContaining({ id: expect.stringMatching(/^caudcp_/), key_id: expect.stringMatching(/^[0-9a-f]{16}$/) }))
      expect(JSON.parse(checkpoint.payload).heads.length).toBeGreaterThan(0)
      expect((await service.verifyAuditChain()).checkpoints.verified).toBe(1)

      // The last row of a chain is rewritten, its link and the head recomputed with the database's own function.
      const [head] = await sql(`SELECT c.id AS chain_id, c.seq::int AS seq, l.id FROM card_audit_chain c JOIN card_audit_link l ON l.chain_id = c.id AND l.seq = c.seq ORDER BY c.id LIMIT 1`)
      await asAdministrator(`
        UPDATE card_audit_log SET reason = 'rewritten' WHERE id = '${head.id}';
        UPDATE card_audit_link l SET hash = card_audit_row_hash(a, l.prev_hash) FROM card_audit_log a WHERE a.id = l.id AND l.id = '${head.id}';
        UPDATE card_audit_chain c SET head = l.hash FROM card_audit_link l WHERE l.id = '${head.id}' AND c.id = l.chain_id`)
      const withoutCheckpoints = await service.verifyAuditChain({ trusted_public_key: null })
      expect(withoutCheckpoints.problems.filter((p) => p.kind !== "checkpoint_mismatch")).toEqual([])

      const report = await service.verifyAuditChain()
      expect(report.ok).toBe(false)
      expect(report.first_broken).toEqual([
        {
          kind: "checkpoint_mismatch",
          chain_id: head.chain_id,
          seq: head.seq,
          audit_id: head.id,
          checkpoint_id: checkpoint.id,
          message: `chain ${head.chain_id} link ${head.seq}: differs from what checkpoint ${checkpoint.id} signed (history was rewritten and the chain recomputed)`,
        },
      ])
      // Deleting the stored checkpoint does not help: its exported copy is checked the same way.
      await asAdministrator(`DELETE FROM card_audit_checkpoint`)
      const fromCopy = await service.verifyAuditChain({ extra_checkpoints: [{ id: "exported.json", payload: checkpoint.payload, signature: checkpoint.signature }] })
      expect(fromCopy.first_broken.map((p) => [p.kind, p.checkpoint_id])).toEqual([["checkpoint_mismatch", "exported.json"]])
      // Nor does signing a new checkpoint with another key: only the trusted key's signatures count.
      const heads = await service.getAuditChainHeads()
      const forged = signCheckpoint(checkpointPayload(heads, new Date()), parseSigningKey(key())!)
      const withForged = await service.verifyAuditChain({ extra_checkpoints: [{ id: "forged", ...forged }] })
      expect(withForged.problems).toContainEqual(expect.objectContaining({ kind: "bad_checkpoint", checkpoint_id: "forged" }))
    })
  },
})
