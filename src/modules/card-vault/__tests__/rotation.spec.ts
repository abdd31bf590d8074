import { randomBytes } from "crypto"
import path from "path"
import { moduleIntegrationTestRunner } from "@medusajs/test-utils"
import { CARD_VAULT_MODULE } from ".."
import CardVaultModuleService, { SealedCardCode } from "../service"
import { CodeCipher, codeAad, maskCode } from "../utils/crypto"
import { bulkEntityId } from "../utils/ids"

jest.setTimeout(180_000)

const key = () => randomBytes(32).toString("base64")
const k1 = key()
const k2 = key()
const indexKey = key()

/** Seals codes the way a vault whose primary key was version 1 did, before key 2 was added. */
function sealWithOldKey(poolId: string, codes: string[]): SealedCardCode[] {
  const old = new CodeCipher({ keys: { "1": k1 }, blind_index_key: indexKey })
  return codes.map((code, i) => {
    const id = bulkEntityId("ccode")
    const sealed = old.encrypt({ code }, codeAad(id, poolId))
    return {
      id,
      line: i + 1,
      key_version: sealed.key_version,
      ciphertext: sealed.ciphertext,
      blind_index: old.blindIndex(code),
      mask: maskCode(code),
      has_password: false,
      expires_at: null,
    }
  })
}

moduleIntegrationTestRunner<CardVaultModuleService>({
  moduleName: CARD_VAULT_MODULE,
  resolve: path.join(__dirname, ".."),
  pathToMigrations: path.join(__dirname, "../migrations"),
  // Key 2 was added and made primary; key 1 stays until no code uses it.
  moduleOptions: { keys: { "1": k1, "2": k2 }, primary_key_version: 2, blind_index_key: indexKey },
  testSuite: ({ service, MikroOrmWrapper }) => {
    const sql = async (query: string, params: unknown[] = []) =>
      (await MikroOrmWrapper.getManager().getConnection().execute(query, params)) as any[]

    it("re-encrypts every code under the new key while checkouts, deliveries and reveals go on, with no decrypt failure", async () => {
      const pool = await service.createCardPools({ name: "Rotating" })
      const N = 3000
      const plain = Array.from({ length: N }, (_, i) => `ROT-${i}-${randomBytes(6).toString("hex")}`)
      await service.importSealedCodes({ pool_id: pool.id, codes: sealWithOldKey(pool.id, plain), actor: { type: "system" } })
      const byMask = new Set(plain)
      expect(await service.getKeyStatus()).toEqual({
        primary_key_version: 2,
        key_versions: [
          { version: 1, codes: N, in_keyring: true, primary: false },
          { version: 2, codes: 0, in_keyring: true, primary: true },
        ],
      })

      // 12 shoppers buy and reveal codes in a loop while the rotation runs.
      let rotating = true
      const failures: string[] = []
      const revealed = new Map<string, string>()
      const shopper = async (w: number) => {
        for (let i = 0; rotating || i < 3; i++) {
          const cart = `cart_${w}_${i}`
          try {
            await service.reserveForCart({ cart_id: cart, items: [{ pool_id: pool.id, quantity: 2 }] })
            const { code_ids } = await service.deliverOrder({
              order_id: `order_${w}_${i}`,
              cart_id: cart,
              lines: [{ line_item_id: `ordli_${w}_${i}`, pool_id: pool.id, quantity: 2 }],
            })
            for (const c of await service.revealCodes({ code_ids, order_id: `order_${w}_${i}`, actor: { type: "customer", id: `cus_${w}` } })) {
              if (!byMask.has(c.code)) failures.push(`wrong plaintext for ${c.id}`)
              revealed.set(c.id, c.code)
            }
          } catch (e: any) {
            failures.push(e.message)
          }
        }
      }
      const shoppers = Array.from({ length: 12 }, (_, w) => shopper(w))
      const result = await service.rotateKeys({ batch_size: 100, actor: { type: "user", id: "user_ops" } })
      rotating = false
      await Promise.all(shoppers)

      expect(failures).toEqual([])
      expect(revealed.size).toBeGreaterThan(24)
      expect(result).toEqual({ to_version: 2, rotated: N, remaining: 0, from_versions: [1] })
      expect((await service.getKeyStatus()).key_versions).toEqual([
        { version: 1, codes: 0, in_keyring: true, primary: false },
        { version: 2, codes: N, in_keyring: true, primary: true },
      ])
      const [audit] = await sql(`select actor_id, code_count, details from card_audit_log where action = 'key_rotation'`)
      expect(audit).toEqual({ actor_id: "user_ops", code_count: N, details: { to_version: 2, from_versions: [1], rotated: N, remaining: 0 } })

      // Key 1 can now be retired: a keyring with key 2 alone opens every code, and each is the code imported.
      const retired = new CodeCipher({ keys: { "2": k2 }, blind_index_key: indexKey })
      const rows = await sql(`select id, pool_id, key_version, ciphertext from card_code where pool_id = ?`, [pool.id])
      const opened = rows.map((r) => retired.decrypt(r, codeAad(r.id, r.pool_id)).code)
      expect(opened.sort()).toEqual([...plain].sort())
      for (const code of revealed.values()) expect(opened).toContain(code)

      // Nothing left to do: a second run rotates nothing.
      expect(await service.rotateKeys({ actor: { type: "system" } })).toEqual({ to_version: 2, rotated: 0, remaining: 0, from_versions: [] })
    })

    it("refuses to rotate when codes use a key the keyring does not hold, and refuses a bad batch size", async () => {
      const pool = await service.createCardPools({ name: "Lost key" })
      await service.importSealedCodes({ pool_id: pool.id, codes: sealWithOldKey(pool.id, [`LOST-${randomBytes(4).toString("hex")}`]), actor: { type: "system" } })
      await sql(`update card_code set key_version = 7 where pool_id = ?`, [pool.id])
      const err = await service.rotateKeys({ actor: { type: "system" } }).catch((e) => e)
      expect(err.message).toBe("Codes are sealed with key version(s) 7, which the keyring does not hold: add them back before rotating")
      const status = await service.getKeyStatus()
      expect(status.key_versions).toContainEqual({ version: 7, codes: 1, in_keyring: false, primary: false })
      const bad = await service.rotateKeys({ batch_size: 0, actor: { type: "system" } }).catch((e) => e)
      expect(bad.message).toBe("batch_size must be an integer from 1 to 50000, got 0")
    })
  },
})
