import type { Context } from "@medusajs/framework/types"
import { generateEntityId, InjectManager, MedusaContext, MedusaError } from "@medusajs/framework/utils"
import { codeAad, maskCode } from "../utils/crypto"
import { bulkEntityId } from "../utils/ids"
import { ImportEntry } from "../utils/import-entries"
import { VaultSqlService, LOOKUP_CHUNK, type Knex } from "../utils/sql"
import type { CardActor, SealedCardCode } from "../types"

/**
 * Keys and sealing: encrypts codes for storage (ciphertext, blind index, mask), looks codes up by blind index, reports
 * which key versions hold codes, and re-encrypts them under the primary key (rotation).
 */
export default class KeyringService extends VaultSqlService {
  /**
   * Encrypts validated entries for `poolId`. Pure computation: nothing is stored. The result carries ids,
   * ciphertexts, blind indexes and masks, never plaintext, so it may pass through workflows.
   */
  sealCodes(poolId: string, entries: ImportEntry[]): SealedCardCode[] {
    return entries.map((entry) => {
      const id = bulkEntityId("ccode")
      const sealed = this.cipher_.encrypt({ code: entry.code, password: entry.password }, codeAad(id, poolId))
      return {
        id,
        line: entry.line,
        key_version: sealed.key_version,
        ciphertext: sealed.ciphertext,
        blind_index: this.cipher_.blindIndex(entry.code),
        mask: maskCode(entry.code),
        has_password: !!entry.password,
        expires_at: entry.expires_at,
        cost: entry.cost ?? null,
      }
    })
  }

  /** Blind index of a full code, for lookups. */
  blindIndexOf(code: string): string {
    return this.cipher_.blindIndex(code)
  }

  /** Which of the given blind indexes are already stored. */
  @InjectManager()
  async findExistingBlindIndexes(blindIndexes: string[], @MedusaContext() ctx: Context = {}): Promise<Set<string>> {
    const knex = this.knex_(ctx)
    const found = new Set<string>()
    for (let i = 0; i < blindIndexes.length; i += LOOKUP_CHUNK) {
      // One array parameter: the statement is the same whatever the chunk size.
      const { rows } = await knex.raw(
        "SELECT blind_index FROM card_code WHERE blind_index = ANY(?::text[]) AND deleted_at IS NULL",
        [blindIndexes.slice(i, i + LOOKUP_CHUNK)]
      )
      rows.forEach((r: { blind_index: string }) => found.add(r.blind_index))
    }
    return found
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Key rotation
  // ---------------------------------------------------------------------------------------------------------------

  /** Codes per key version, and which versions the keyring holds (a version with codes must not be removed). */
  @InjectManager()
  async getKeyStatus(@MedusaContext() ctx: Context = {}): Promise<{
    primary_key_version: number
    key_versions: { version: number; codes: number; in_keyring: boolean; primary: boolean }[]
  }> {
    const knex = this.knex_(ctx)
    const rows: { key_version: number; n: string }[] = await knex("card_code").select("key_version", knex.raw("count(*) AS n")).groupBy("key_version")
    const counts = new Map<number, number>(rows.map((r) => [Number(r.key_version), Number(r.n)]))
    const versions = new Set<number>([...this.cipher_.keyVersions, ...counts.keys()])
    return {
      primary_key_version: this.cipher_.primaryVersion,
      key_versions: [...versions]
        .sort((a, b) => a - b)
        .map((version) => ({
          version,
          codes: counts.get(version) ?? 0,
          in_keyring: this.cipher_.keyVersions.includes(version),
          primary: version === this.cipher_.primaryVersion,
        })),
    }
  }

  /**
   * Re-encrypts every code sealed with another key under the primary key, online: `batch_size` rows per short
   * transaction, taken with `FOR UPDATE SKIP LOCKED` so checkouts, deliveries and reveals go on (a reveal waiting for
   * a row reads the new ciphertext and key version once the batch commits). Rows busy at the time are retried until
   * none is left or `max_wait_ms` passes. Old keys stay in the keyring throughout, so nothing fails to decrypt;
   * once `remaining` is 0 the retired key can be removed from the configuration. Audited.
   */
  @InjectManager()
  async rotateKeys(
    input: { batch_size?: number; max_wait_ms?: number; actor: CardActor; on_progress?: (rotated: number) => void },
    @MedusaContext() ctx: Context = {}
  ): Promise<{ to_version: number; rotated: number; remaining: number; from_versions: number[] }> {
    const knex = this.knex_(ctx)
    const batchSize = input.batch_size ?? 1000
    if (!Number.isInteger(batchSize) || batchSize <= 0 || batchSize > 50_000) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, `batch_size must be an integer from 1 to 50000, got ${input.batch_size}`)
    }
    const to = this.cipher_.primaryVersion
    const before = await this.getKeyStatus(ctx)
    const fromVersions = before.key_versions.filter((k) => k.version !== to && k.codes > 0).map((k) => k.version)
    const missing = fromVersions.filter((v) => !this.cipher_.keyVersions.includes(v))
    if (missing.length) {
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        `Codes are sealed with key version(s) ${missing.join(", ")}, which the keyring does not hold: add them back before rotating`
      )
    }
    let rotated = 0
    const deadline = Date.now() + (input.max_wait_ms ?? 60_000)
    while (true) {
      let after = ""
      // One pass in id order (keyset pagination), skipping rows that are locked right now.
      while (true) {
        const n = await knex.transaction(async (trx: Knex) => {
          const { rows } = await trx.raw(
            `SELECT id, pool_id, key_version, ciphertext FROM card_code
              WHERE key_version <> ? AND id > ? ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED`,
            [to, after, batchSize]
          )
          if (!rows.length) return { count: 0, last: null as string | null }
          const ids: string[] = []
          const texts: string[] = []
          for (const r of rows) {
            const aad = codeAad(r.id, r.pool_id)
            const sealed = this.cipher_.encrypt(this.cipher_.decrypt({ key_version: r.key_version, ciphertext: r.ciphertext }, aad), aad)
            ids.push(r.id)
            texts.push(sealed.ciphertext)
          }
          await trx.raw(
            `UPDATE card_code c SET key_version = ?, ciphertext = v.ciphertext
               FROM unnest(?::text[], ?::text[]) AS v(id, ciphertext) WHERE c.id = v.id`,
            [to, ids, texts]
          )
          return { count: rows.length, last: rows[rows.length - 1].id as string }
        })
        if (!n.count) break
        rotated += n.count
        after = n.last!
        input.on_progress?.(rotated)
      }
      const [{ n }] = await knex("card_code").whereNot("key_version", to).count({ n: "*" })
      const remaining = Number(n)
      if (remaining === 0 || Date.now() > deadline) {
        await knex("card_audit_log").insert({
          id: generateEntityId(undefined, "caudit"),
          action: "key_rotation",
          actor_type: input.actor.type,
          actor_id: input.actor.id ?? null,
          ip: input.actor.ip ?? null,
          user_agent: input.actor.user_agent ?? null,
          code_count: rotated,
          details: JSON.stringify({ to_version: to, from_versions: fromVersions, rotated, remaining }),
        })
        return { to_version: to, rotated, remaining, from_versions: fromVersions }
      }
      // Rows were busy (a checkout held them): try them again shortly.
      await new Promise((r) => setTimeout(r, 100))
    }
  }
}

