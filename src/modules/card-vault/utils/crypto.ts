import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from "crypto"
import { MedusaError } from "@medusajs/framework/utils"

const IV_LENGTH = 12
const TAG_LENGTH = 16
const IV_POOL_SIZE = IV_LENGTH * 1024

export type KeyringOptions = {
  /** key version → 32-byte key, base64 or hex encoded */
  keys: Record<string, string>
  /** version used for new ciphertexts; defaults to the highest version */
  primary_key_version?: number | string
  /** 32-byte key for the blind index (HMAC-SHA256), base64 or hex encoded */
  blind_index_key: string
}

export type SealedSecret = { key_version: number; ciphertext: string }

/** What one card code holds: the code and an optional password (card number + password cards). */
export type CardSecret = { code: string; password?: string | null }

export { decodeKey, parseKeyList } from "../../../utils/keyring"
import { decodeKey } from "../../../utils/keyring"

/** Binds a ciphertext to its row: moving it to another row or pool makes decryption fail. */
export function codeAad(codeId: string, poolId: string): string {
  return `card_code|${codeId}|${poolId}`
}

/**
 * AES-256-GCM with a versioned keyring and an HMAC-SHA256 blind index. Holds keys only in memory.
 */
export class CodeCipher {
  private readonly keys = new Map<number, Buffer>()
  readonly primaryVersion: number
  private readonly indexKey: Buffer
  private ivPool = Buffer.alloc(0)
  private ivOffset = 0

  constructor(options: KeyringOptions) {
    const entries = Object.entries(options?.keys ?? {})
    if (!entries.length) {
      throw new MedusaError(
        MedusaError.Types.INVALID_ARGUMENT,
        "medusa-virtual-goods: no encryption keys configured (set VIRTUAL_GOODS_ENCRYPTION_KEYS or the card vault module option `keys`)"
      )
    }
    for (const [version, raw] of entries) {
      const v = Number(version)
      if (!Number.isInteger(v) || v <= 0) {
        throw new MedusaError(
          MedusaError.Types.INVALID_ARGUMENT,
          `Encryption key version "${version}" must be a positive integer`
        )
      }
      this.keys.set(v, decodeKey(raw, `Encryption key version ${v}`))
    }
    const primary =
      options.primary_key_version !== undefined && options.primary_key_version !== ""
        ? Number(options.primary_key_version)
        : Math.max(...this.keys.keys())
    if (!this.keys.has(primary)) {
      throw new MedusaError(
        MedusaError.Types.INVALID_ARGUMENT,
        `Primary encryption key version ${options.primary_key_version} is not in the keyring`
      )
    }
    this.primaryVersion = primary
    if (!options.blind_index_key) {
      throw new MedusaError(
        MedusaError.Types.INVALID_ARGUMENT,
        "medusa-virtual-goods: no blind index key configured (set VIRTUAL_GOODS_BLIND_INDEX_KEY or the module option `blind_index_key`)"
      )
    }
    this.indexKey = decodeKey(options.blind_index_key, "Blind index key")
    for (const key of this.keys.values()) {
      if (timingSafeEqual(key, this.indexKey)) {
        throw new MedusaError(
          MedusaError.Types.INVALID_ARGUMENT,
          "The blind index key must differ from every encryption key"
        )
      }
    }
  }

  get keyVersions(): number[] {
    return [...this.keys.keys()].sort((a, b) => a - b)
  }

  private nextIv(): Buffer {
    if (this.ivOffset + IV_LENGTH > this.ivPool.length) {
      this.ivPool = randomBytes(IV_POOL_SIZE)
      this.ivOffset = 0
    }
    const iv = this.ivPool.subarray(this.ivOffset, this.ivOffset + IV_LENGTH)
    this.ivOffset += IV_LENGTH
    return iv
  }

  encrypt(secret: CardSecret, aad: string): SealedSecret {
    const key = this.keys.get(this.primaryVersion)!
    const iv = this.nextIv()
    const cipher = createCipheriv("aes-256-gcm", key, iv)
    cipher.setAAD(Buffer.from(aad, "utf8"))
    const plain = Buffer.from(JSON.stringify(secret.password ? [secret.code, secret.password] : [secret.code]))
    const body = Buffer.concat([cipher.update(plain), cipher.final()])
    plain.fill(0)
    return {
      key_version: this.primaryVersion,
      ciphertext: Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64"),
    }
  }

  /** Throws a generic error on any failure; the message never contains key or plaintext material. */
  decrypt(sealed: SealedSecret, aad: string): CardSecret {
    const key = this.keys.get(Number(sealed.key_version))
    if (!key) {
      throw new MedusaError(
        MedusaError.Types.UNEXPECTED_STATE,
        `Card code is sealed with key version ${sealed.key_version}, which is not in the keyring`
      )
    }
    try {
      const raw = Buffer.from(sealed.ciphertext, "base64")
      const iv = raw.subarray(0, IV_LENGTH)
      const tag = raw.subarray(IV_LENGTH, IV_LENGTH + TAG_LENGTH)
      const body = raw.subarray(IV_LENGTH + TAG_LENGTH)
      const decipher = createDecipheriv("aes-256-gcm", key, iv)
      decipher.setAAD(Buffer.from(aad, "utf8"))
      decipher.setAuthTag(tag)
      const plain = Buffer.concat([decipher.update(body), decipher.final()])
      const [code, password] = JSON.parse(plain.toString("utf8")) as [string, string?]
      plain.fill(0)
      return { code, password: password ?? null }
    } catch {
      throw new MedusaError(
        MedusaError.Types.UNEXPECTED_STATE,
        "Card code ciphertext failed authentication (tampered, moved to another row, or wrong key)"
      )
    }
  }

  /** Deterministic lookup value for a full code; reveals nothing about it without the index key. */
  blindIndex(code: string): string {
    return createHmac("sha256", this.indexKey).update(normalizeCode(code), "utf8").digest("hex")
  }
}

/** Codes are compared after trimming surrounding whitespace; case is significant. */
export function normalizeCode(code: string): string {
  return String(code).trim()
}

/**
 * What lists show instead of a code: the last 4 characters of long codes, fewer of short ones,
 * never more than a third of the code.
 */
export function maskCode(code: string): string {
  const value = normalizeCode(code)
  const visible = Math.min(4, Math.floor(value.length / 3))
  return visible > 0 ? `****${value.slice(-visible)}` : "****"
}
