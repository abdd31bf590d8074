import { randomBytes } from "crypto"
import path from "path"
import { moduleIntegrationTestRunner } from "@medusajs/test-utils"
import { CARD_VAULT_MODULE } from ".."
import CardVaultModuleService from "../service"
import { validateImportEntries } from "../utils/import-entries"

jest.setTimeout(120_000)

const key = () => randomBytes(32).toString("base64")
const moduleOptions = { keys: { "1": key() }, blind_index_key: key() }

const FROZEN = "These codes are frozen while a payment dispute is open."

type SqlRow = Record<string, unknown>

/**
 * Payment disputes: an order's codes frozen while its payment is disputed (unrevealed ones voided, revealed ones
 * refused by every reveal path), given back when the dispute is won, and counted against their batches.
 */
moduleIntegrationTestRunner<CardVaultModuleService>({
  moduleName: CARD_VAULT_MODULE,
  resolve: path.join(__dirname, ".."),
  pathToMigrations: path.join(__dirname, "../migrations"),
  moduleOptions,
  testSuite: ({ service, MikroOrmWrapper }) => {
    const sql = async (query: string, params: unknown[] = []) =>
      (await MikroOrmWrapper.getManager().getConnection().execute(query, params)) as SqlRow[]

    /** A pool with `n` fresh codes (cost 2 USD each); returns the pool id and the plaintexts. */
    const stockedPool = async (name: string, n: number) => {
      const pool = await service.createCardPools({ name })
      const codes = Array.from({ length: n }, (_, i) => `${name.toUpperCase().replace(/\W/g, "")}-${i}-${randomBytes(6).toString("hex")}`)
      const { entries, errors } = validateImportEntries(codes)
      expect(errors).toEqual([])
      await service.importSealedCodes({
        pool_id: pool.id,
        codes: service.sealCodes(pool.id, entries),
        cost_per_code: "2",
        currency_code: "usd",
        actor: { type: "system" },
      })
      return { pool_id: pool.id, codes }
    }

    /** Delivers `quantity` codes of the pool to an order placed from `cart_id`; returns the code ids. */
    const deliver = async (pool_id: string, order_id: string, cart_id: string, quantity: number) => {
      await service.reserveForCart({ cart_id, items: [{ pool_id, quantity }] })
      const { code_ids } = await service.deliverOrder({ order_id, cart_id, lines: [{ line_item_id: `li_${order_id}`, pool_id, quantity }] })
      return [...code_ids].sort()
    }

    const customer = { type: "customer" as const, id: "cus_1" }

    const conservation = async (poolId: string, imported: number) => {
      const counts = (await service.getStockCounts([poolId]))[poolId]
      expect(counts.available + counts.reserved + counts.delivered + counts.revealed + counts.voided + counts.expired).toBe(imported)
      expect(counts.total).toBe(imported)
      return counts
    }

    const codeRows = (ids: string[]) =>
      sql(
        `select id, status, invalid, reveal_count, void_reason, freeze_reference, frozen_reason, frozen_at is not null as frozen
           from card_code where id in (${ids.map(() => "?").join(", ")}) order by id`,
        ids
      )

    const refusal = async (promise: Promise<unknown>) => {
      const err = await promise.then(
        () => null,
        (e: unknown) => e
      )
      expect(err).toEqual(expect.objectContaining({ type: "not_allowed", message: FROZEN }))
      return err
    }

    describe("freezing an order's codes", () => {
      it("voids delivered codes never revealed, freezes revealed ones, audits both without plaintext, and is idempotent", async () => {
        const { pool_id, codes } = await stockedPool("Dispute", 6)
        const ids = await deliver(pool_id, "order_d", "cart_d", 3)
        const bystander = await deliver(pool_id, "order_b", "cart_b", 1)
        const [revealed] = await service.revealCodes({ code_ids: [ids[1]], order_id: "order_d", actor: customer })
        expect(codes).toContain(revealed.code)
        const before = await conservation(pool_id, 6)
        expect(before).toEqual(expect.objectContaining({ available: 2, delivered: 3, revealed: 1, voided: 0 }))

        const reason = "charge.dispute.created: fraudulent"
        const result = await service.freezeOrderCodes({ order_id: "order_d", reason, reference: "dp_1" })
        expect(result).toEqual({ voided_code_ids: [ids[0], ids[2]], frozen_code_ids: [ids[1]] })

        expect(await codeRows(ids)).toEqual([
          { id: ids[0], status: "voided", invalid: false, reveal_count: 0, void_reason: reason, freeze_reference: "dp_1", frozen_reason: reason, frozen: true },
          { id: ids[1], status: "revealed", invalid: false, reveal_count: 1, void_reason: null, freeze_reference: "dp_1", frozen_reason: reason, frozen: true },
          { id: ids[2], status: "voided", invalid: false, reveal_count: 0, void_reason: reason, freeze_reference: "dp_1", frozen_reason: reason, frozen: true },
        ])
        // Another order's code is untouched.
        expect((await codeRows(bystander))[0]).toEqual(expect.objectContaining({ status: "delivered", frozen: false, freeze_reference: null }))

        // Only delivered → voided changed; conservation holds.
        const after = await conservation(pool_id, 6)
        expect(after).toEqual(expect.objectContaining({ available: 2, reserved: 0, delivered: 1, revealed: 1, voided: 2, expired: 0 }))

        const audit = await sql(
          `select action, actor_type, order_id, code_ids, code_count, reason, details from card_audit_log
            where action in ('void', 'freeze') order by action`
        )
        expect(audit).toEqual([
          { action: "freeze", actor_type: "system", order_id: "order_d", code_ids: [ids[1]], code_count: 1, reason, details: { reference: "dp_1" } },
          {
            action: "void",
            actor_type: "system",
            order_id: "order_d",
            code_ids: [ids[0], ids[2]],
            code_count: 2,
            reason,
            details: { reference: "dp_1", dispute_freeze: true },
          },
        ])
        const everything = JSON.stringify(await sql(`select * from card_audit_log`)) + JSON.stringify(await sql(`select * from card_code`))
        for (const code of codes) expect(everything).not.toContain(code)

        // A second call changes nothing, writes nothing and returns empty lists.
        const audits = async () => (await sql(`select count(*)::int as n from card_audit_log`))[0].n
        const auditCount = await audits()
        expect(await service.freezeOrderCodes({ order_id: "order_d", reason: "again", reference: "dp_1" })).toEqual({
          voided_code_ids: [],
          frozen_code_ids: [],
        })
        expect(await audits()).toBe(auditCount)
        expect(await codeRows(ids)).toEqual(
          expect.arrayContaining([expect.objectContaining({ id: ids[1], frozen_reason: reason, freeze_reference: "dp_1" })])
        )
        expect(await conservation(pool_id, 6)).toEqual(after)

        // The order's delivery run again (a replayed payment event) delivers nothing: voided codes keep their places.
        const lines = [{ line_item_id: "li_order_d", pool_id, quantity: 3 }]
        expect(await service.deliverOrder({ order_id: "order_d", cart_id: "cart_d", lines })).toEqual({ code_ids: [ids[1]], delivered_now: [], short: [], held: { li_order_d: 3 } })
        expect(await conservation(pool_id, 6)).toEqual(after)

        // An order without codes: nothing to do.
        expect(await service.freezeOrderCodes({ order_id: "order_none", reason, reference: "dp_2" })).toEqual({ voided_code_ids: [], frozen_code_ids: [] })
        const bad = await service.freezeOrderCodes({ order_id: "order_d", reason, reference: " " }).catch((e) => e)
        expect([bad.type, bad.message]).toEqual(["invalid_data", "A freeze needs a reference (the dispute's id)"])
      })

      it("every reveal path refuses a frozen order with the message and reveals, spends and records nothing", async () => {
        const { pool_id, codes } = await stockedPool("Frozen", 5)
        const ids = await deliver(pool_id, "order_f", "cart_f", 2)
        const other = await deliver(pool_id, "order_g", "cart_g", 1)
        await service.revealCodes({ code_ids: [ids[0]], order_id: "order_f", actor: customer })
        const link = await service.createRevealLink({ order_id: "order_f" })
        const secret = randomBytes(32).toString("hex")
        await service.createReceipt({ cart_id: "cart_f", secret_hash: service.receiptSecretHash(secret) })
        await service.freezeOrderCodes({ order_id: "order_f", reason: "dispute", reference: "dp_f" })

        const reveals = async () => (await sql(`select count(*)::int as n from card_audit_log where action = 'reveal'`))[0].n
        const revealsBefore = await reveals()
        const errors = [
          // A customer's reveal of one code, of the order; an admin's reveal by code id.
          await refusal(service.revealCodes({ code_ids: [ids[0]], order_id: "order_f", actor: customer })),
          await refusal(service.revealCodes({ order_id: "order_f", actor: customer })),
          await refusal(service.revealCodes({ code_ids: [ids[0]], actor: { type: "user", id: "user_1" }, reason: "support" })),
          // Guest links and receipts: refused before a use is spent.
          await refusal(service.resolveRevealLink({ token: link.token, consume: true })),
          await refusal(service.resolveReceipt({ secret, consume: true })),
          // Wholesale routes reveal by owner: a frozen owner refuses the whole call, other owners' codes included.
          await refusal(service.revealOwnerCodes({ owner_ids: ["order_f"], actor: { type: "agent", id: "agent_1" } })),
          await refusal(service.revealOwnerCodes({ owner_ids: ["order_g", "order_f"], actor: { type: "agent", id: "agent_1" } })),
          // No reissue into a frozen order either.
          await refusal(service.reissueCode({ code_id: ids[0], reason: "does not work", actor: { type: "user", id: "user_1" } })),
        ]
        for (const err of errors) for (const code of codes) expect(JSON.stringify(err)).not.toContain(code)

        expect(await reveals()).toBe(revealsBefore)
        expect(await codeRows([...ids, ...other])).toEqual(
          expect.arrayContaining([
            expect.objectContaining({ id: ids[0], status: "revealed", reveal_count: 1, frozen: true }),
            expect.objectContaining({ id: other[0], status: "delivered", reveal_count: 0, frozen: false }),
          ])
        )
        expect((await service.resolveRevealLink({ token: link.token, consume: false })).uses_left).toBe(link.max_uses)
        expect((await service.resolveReceipt({ secret, consume: false })).uses_left).toBe(link.max_uses)
        // A lookup (masks only, nothing spent) still resolves; the other order reveals as usual.
        const [g] = await service.revealCodes({ order_id: "order_g", actor: customer })
        expect(codes).toContain(g.code)
        await conservation(pool_id, 5)
      })

      it("a reveal racing a freeze either happens before it (the code is frozen) or is refused (the code is voided)", async () => {
        const { pool_id } = await stockedPool("Race", 12)
        const rounds = await Promise.all(
          Array.from({ length: 12 }, async (_, i) => {
            const [id] = await deliver(pool_id, `order_race_${i}`, `cart_race_${i}`, 1)
            return { i, id }
          })
        )
        const outcomes = await Promise.all(
          rounds.map(async ({ i, id }) => {
            // Started in both orders, so that either may take the row first.
            const reveal_ = () => service.revealCodes({ order_id: `order_race_${i}`, actor: customer })
            const freeze_ = () => service.freezeOrderCodes({ order_id: `order_race_${i}`, reason: "dispute", reference: `dp_race_${i}` })
            const [reveal, freeze] =
              i % 2
                ? await Promise.allSettled([reveal_(), freeze_()])
                : await Promise.allSettled([freeze_(), reveal_()]).then(([f, r]) => [r, f] as const)
            if (freeze.status !== "fulfilled") throw freeze.reason
            return { id, reveal, freeze: freeze.value }
          })
        )
        for (const { id, reveal, freeze } of outcomes) {
          if (reveal.status === "fulfilled") {
            expect(reveal.value.map((c) => c.id)).toEqual([id])
            expect(freeze).toEqual({ voided_code_ids: [], frozen_code_ids: [id] })
          } else {
            expect([reveal.reason.type, reveal.reason.message]).toEqual(["not_allowed", FROZEN])
            expect(freeze).toEqual({ voided_code_ids: [id], frozen_code_ids: [] })
          }
        }
        const rows = await sql(`select status, frozen_at is not null as frozen from card_code where pool_id = ? and order_id is not null`, [pool_id])
        expect(rows).toHaveLength(12)
        expect(rows.every((r) => r.frozen === true)).toBe(true)
        await conservation(pool_id, 12)
      })
    })

    describe("lifting a freeze", () => {
      it("makes frozen codes revealable again and lists the voided ones until a reissue replaces each (not as invalid)", async () => {
        const { pool_id, codes } = await stockedPool("Won", 6)
        const ids = await deliver(pool_id, "order_w", "cart_w", 3)
        await service.revealCodes({ code_ids: [ids[2]], order_id: "order_w", actor: customer })
        const frozen = await service.freezeOrderCodes({ order_id: "order_w", reason: "dispute opened", reference: "dp_w" })
        expect(frozen).toEqual({ voided_code_ids: [ids[0], ids[1]], frozen_code_ids: [ids[2]] })

        // Another dispute's outcome lifts nothing.
        expect(await service.unfreezeOrderCodes({ order_id: "order_w", reference: "dp_other", reason: "won" })).toEqual({
          unfrozen_code_ids: [],
          voided_code_ids: [],
        })
        await refusal(service.revealCodes({ order_id: "order_w", actor: customer }))

        const won = await service.unfreezeOrderCodes({ order_id: "order_w", reference: "dp_w", reason: "dispute won" })
        expect(won).toEqual({ unfrozen_code_ids: [ids[2]], voided_code_ids: [ids[0], ids[1]] })
        expect(await codeRows(ids)).toEqual([
          expect.objectContaining({ id: ids[0], status: "voided", frozen: false, frozen_reason: null, freeze_reference: "dp_w" }),
          expect.objectContaining({ id: ids[1], status: "voided", frozen: false, frozen_reason: null, freeze_reference: "dp_w" }),
          expect.objectContaining({ id: ids[2], status: "revealed", frozen: false, frozen_reason: null, freeze_reference: null }),
        ])
        const [unfreezeAudit] = await sql(`select action, order_id, code_ids, reason, details from card_audit_log where action = 'unfreeze'`)
        expect(unfreezeAudit).toEqual({
          action: "unfreeze",
          order_id: "order_w",
          code_ids: ids,
          reason: "dispute won",
          details: { reference: "dp_w", unfrozen: 1, voided_to_replace: 2 },
        })

        // Idempotent: nothing more to lift, the same codes still to replace, no second audit row.
        expect(await service.unfreezeOrderCodes({ order_id: "order_w", reference: "dp_w", reason: "dispute won" })).toEqual({
          unfrozen_code_ids: [],
          voided_code_ids: [ids[0], ids[1]],
        })
        expect((await sql(`select count(*)::int as n from card_audit_log where action = 'unfreeze'`))[0].n).toBe(1)

        // The revealed code reveals again; the voided ones never do.
        const again = await service.revealCodes({ order_id: "order_w", actor: customer })
        expect(again.map((c) => c.id)).toEqual([ids[2]])
        expect(codes).toContain(again[0].code)

        // Reissue replaces a voided code: a fresh code on the same line; the old one stays voided, not invalid.
        const actor = { type: "system" as const }
        const replaced = await service.reissueCode({ code_id: ids[0], reason: "dispute won: replacement", actor })
        expect(replaced).toEqual({
          order_id: "order_w",
          pool_id,
          voided_code_id: ids[0],
          code_id: expect.any(String),
          voided_was_revealed: false,
          freeze_reference: "dp_w",
        })
        const [fresh] = await sql(`select status, order_id, line_item_id, invalid from card_code where id = ?`, [replaced.code_id])
        expect(fresh).toEqual({ status: "delivered", order_id: "order_w", line_item_id: "li_order_w", invalid: false })
        expect(await codeRows([ids[0]])).toEqual([expect.objectContaining({ status: "voided", invalid: false, freeze_reference: null })])
        const [reissueAudit] = await sql(`select code_ids, details from card_audit_log where action = 'reissue'`)
        expect(reissueAudit).toEqual({
          code_ids: [ids[0], replaced.code_id],
          details: { voided_code_id: ids[0], reissued_code_id: replaced.code_id, invalid: false, freeze_reference: "dp_w" },
        })
        expect((await service.unfreezeOrderCodes({ order_id: "order_w", reference: "dp_w", reason: "retry" })).voided_code_ids).toEqual([ids[1]])
        // The line still counts three codes: the replacement took the voided code's place.
        const redelivered = await service.deliverOrder({
          order_id: "order_w",
          cart_id: "cart_w",
          lines: [{ line_item_id: "li_order_w", pool_id, quantity: 3 }],
        })
        expect(redelivered).toEqual({ code_ids: [ids[2], replaced.code_id].sort(), delivered_now: [], short: [], held: { li_order_w: 3 } })
        const twice = await service.reissueCode({ code_id: ids[0], reason: "again", actor }).catch((e) => e)
        expect(twice.message).toBe(`Card code ${ids[0]} is voided: only a delivered or revealed code can be voided and reissued`)

        // Undoing the replacement returns the fresh code to stock and the voided one to the list to replace.
        await service.undoReissue(replaced)
        expect((await sql(`select status from card_code where id = ?`, [replaced.code_id]))[0].status).toBe("available")
        expect((await service.unfreezeOrderCodes({ order_id: "order_w", reference: "dp_w", reason: "retry" })).voided_code_ids).toEqual([ids[0], ids[1]])

        const counts = await conservation(pool_id, 6)
        expect(counts).toEqual(expect.objectContaining({ available: 3, delivered: 0, revealed: 1, voided: 2 }))
        const [batch] = await sql(`select id from card_batch where pool_id = ?`, [pool_id])
        expect((await service.getBatchReports([String(batch.id)]))[String(batch.id)].invalid).toBe(0)
      })
    })

    describe("batch reports", () => {
      it("count revealed codes lost to a dispute against their batch while it is open", async () => {
        const { pool_id } = await stockedPool("Lost", 4)
        const ids = await deliver(pool_id, "order_l", "cart_l", 3)
        await service.revealCodes({ code_ids: [ids[0], ids[1]], order_id: "order_l", actor: customer })
        await service.freezeOrderCodes({ order_id: "order_l", reason: "dispute", reference: "dp_l" })
        const [batch] = await sql(`select id from card_batch where pool_id = ?`, [pool_id])
        const batchId = String(batch.id)
        expect((await service.getBatchReports([batchId]))[batchId]).toEqual({
          counts: { available: 1, reserved: 0, delivered: 0, revealed: 2, voided: 1, expired: 0 },
          sold: 2,
          invalid: 0,
          disputed: 2,
          currency_code: "usd",
          cost_total: "8",
          cost_sold: "4",
          cost_invalid: "0",
        })
        await conservation(pool_id, 4)

        await service.unfreezeOrderCodes({ order_id: "order_l", reference: "dp_l", reason: "won" })
        expect((await service.getBatchReports([batchId]))[batchId]).toEqual(expect.objectContaining({ disputed: 0, sold: 2 }))
      })
    })
  },
})
