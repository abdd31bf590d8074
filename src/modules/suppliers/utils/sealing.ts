import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from "crypto"
import { MedusaError } from "@medusajs/framework/utils"
import { decodeKey } from "../../../utils/keyring"

/** A JSON value sealed with AES-256-GCM under a key version; the additional data binds it to its row. */
export type SealedValue = { key_version: number; ciphertext: string }

const IV_LENGTH = 12
const TAG_LENGTH = 16

/**
 * Seals the suppliers module's secrets (credentials) and personal data (recipients). Its keys are derived (HKDF-SHA256,
 * info `medusa-virtual-goods/suppliers`) from the configured keyring, so they follow its versions and rotation and
 * never equal the vault's keys.
 */
export class SupplierSealer {
  private readonly keys = new Map<number, Buffer>()
  readonly primaryVersion: number

  constructor(keys: Record<string, string>, primary: number | null) {
    for (const [version, raw] of Object.entries(keys)) {
      const v = Number(version)
      if (!Number.isInteger(v) || v <= 0) {
        throw new MedusaError(MedusaError.Types.INVALID_ARGUMENT, `Encryption key version "${version}" must be a positive integer`)
      }
      const master = decodeKey(raw, `Encryption key version ${v}`)
      this.keys.set(v, Buffer.from(hkdfSync("sha256", master, Buffer.alloc(0), "medusa-virtual-goods/suppliers", 32)))
    }
    if (!this.keys.size) {
      throw new MedusaError(
        MedusaError.Types.INVALID_ARGUMENT,
        "medusa-virtual-goods: no encryption keys configured for the suppliers module (set VIRTUAL_GOODS_ENCRYPTION_KEYS)"
      )
    }
    this.primaryVersion = primary ?? Math.max(...this.keys.keys())
    if (!this.keys.has(this.primaryVersion)) {
      throw new MedusaError(MedusaError.Types.INVALID_ARGUMENT, `Primary encryption key version ${primary} is not in the keyring`)
    }
  }

  /**
   * A keyed fingerprint of a value (HMAC-SHA256 under a key derived from the oldest key in the keyring): equal values
   * give equal fingerprints, and a phone number cannot be recovered from one by trying them all. For comparing request
   * bodies (an idempotent replay) without storing the value.
   */
  fingerprint(value: unknown): string {
    const oldest = Math.min(...this.keys.keys())
    const key = Buffer.from(hkdfSync("sha256", this.keys.get(oldest)!, Buffer.alloc(0), "medusa-virtual-goods/suppliers/fingerprint", 32))
    return createHmac("sha256", key).update(JSON.stringify(value)).digest("hex")
  }

  seal(value: unknown, aad: string): SealedValue {
    const iv = randomBytes(IV_LENGTH)
    const cipher = createCipheriv("aes-256-gcm", this.keys.get(this.primaryVersion)!, iv)
    cipher.setAAD(Buffer.from(aad, "utf8"))
    const plain = Buffer.from(JSON.stringify(value), "utf8")
    const body = Buffer.concat([cipher.update(plain), cipher.final()])
    plain.fill(0)
    return { key_version: this.primaryVersion, ciphertext: Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64") }
  }

  /** Throws a generic error on any failure; the message never holds key or plaintext material. */
  open<T>(sealed: SealedValue, aad: string): T {
    const key = this.keys.get(Number(sealed.key_version))
    if (!key) {
      throw new MedusaError(MedusaError.Types.UNEXPECTED_STATE, `A supplier secret is sealed with key version ${sealed.key_version}, which is not in the keyring`)
    }
    try {
      const raw = Buffer.from(sealed.ciphertext, "base64")
      const decipher = createDecipheriv("aes-256-gcm", key, raw.subarray(0, IV_LENGTH))
      decipher.setAAD(Buffer.from(aad, "utf8"))
      decipher.setAuthTag(raw.subarray(IV_LENGTH, IV_LENGTH + TAG_LENGTH))
      const plain = Buffer.concat([decipher.update(raw.subarray(IV_LENGTH + TAG_LENGTH)), decipher.final()])
      const value = JSON.parse(plain.toString("utf8")) as T
      plain.fill(0)
      return value
    } catch {
      throw new MedusaError(MedusaError.Types.UNEXPECTED_STATE, "A supplier secret failed authentication (tampered, moved to another row, or wrong key)")
    }
  }
}

/** The additional data of a supplier's credentials and of a recipient: a ciphertext opens only on its own row. */
export const credentialsAad = (supplierId: string) => `supplier_credentials|${supplierId}`
export const recipientAad = (recipientId: string) => `supplier_recipient|${recipientId}`

/** What lists show of a recipient's value: its last 3–4 characters, never more than a third. */
export function maskRecipientValue(value: string): string {
  const v = String(value).trim()
  const visible = Math.min(4, Math.floor(v.length / 3))
  return visible > 0 ? `${"*".repeat(Math.min(8, v.length - visible))}${v.slice(-visible)}` : "****"
}
