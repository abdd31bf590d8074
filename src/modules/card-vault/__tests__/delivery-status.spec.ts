import { randomBytes } from "crypto"
import path from "path"
import { moduleIntegrationTestRunner } from "@medusajs/test-utils"
import { CARD_VAULT_MODULE } from ".."
import CardVaultModuleService from "../service"
import { validateImportEntries } from "../utils/import-entries"

jest.setTimeout(120_000)

const key = () => randomBytes(32).toString("base64")

type SqlRow = Record<string, unknown>

/**
 * An order's delivery record: a hold is the state of an order whose delivery did not complete — never of one already
 * delivered (a duplicate run that fails, e.g. on a lock timeout, must not turn a delivered order back into a held one)
 * nor of one whose codes came back.
 */
moduleIntegrationTestRunner<CardVaultModuleService>({
  moduleName: CARD_VAULT_MODULE,
  resolve: path.join(__dirname, ".."),
  pathToMigrations: path.join(__dirname, "../migrations"),
  moduleOptions: { keys: { "1": key() }, blind_index_key: key() },
  testSuite: ({ service, MikroOrmWrapper }) => {
    const sql = async (query: string, params: unknown[] = []) =>
      (await MikroOrmWrapper.getManager().getConnection().execute(query, params)) as SqlRow[]
    const record = async (orderId: string) =>
      (await sql(`select status, last_error, attempts from card_delivery where order_id = ?`, [orderId]))[0]
    const holds = async (orderId: string) =>
      (await sql(`select count(*)::int as n from card_audit_log where action = 'hold' and order_id = ?`, [orderId]))[0].n

    it("a hold after the delivery changes nothing and is not audited; before it, it is recorded and retried", async () => {
      const pool = await service.createCardPools({ name: "Status" })
      const { entries } = validateImportEntries([`STATUS-${randomBytes(6).toString("hex")}`])
      await service.importSealedCodes({ pool_id: pool.id, codes: service.sealCodes(pool.id, entries), actor: { type: "system" } })

      await service.holdDelivery({ order_id: "order_1", reason: "Out of stock: cpool_x (requested 1, available 0)" })
      expect(await record("order_1")).toEqual({ status: "held", last_error: "Out of stock: cpool_x (requested 1, available 0)", attempts: 1 })
      expect(await holds("order_1")).toBe(1)

      await service.reserveForCart({ cart_id: "cart_1", items: [{ pool_id: pool.id, quantity: 1 }] })
      await service.deliverOrder({ order_id: "order_1", cart_id: "cart_1", lines: [{ line_item_id: "li_1", pool_id: pool.id, quantity: 1 }] })
      expect(await record("order_1")).toMatchObject({ status: "delivered" })

      await service.holdDelivery({ order_id: "order_1", reason: "Timed-out acquiring lock." })
      expect(await record("order_1")).toMatchObject({ status: "delivered" })
      expect(await holds("order_1")).toBe(1)
    })
  },
})
