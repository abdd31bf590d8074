import { MedusaError } from "@medusajs/framework/utils"

/**
 * The keyring's text forms, shared by every module that seals with the keys of VIRTUAL_GOODS_ENCRYPTION_KEYS: the
 * vault (codes) and the suppliers module (credentials, recipients), each deriving keys of its own from them.
 */

const KEY_LENGTH = 32

export function decodeKey(raw: string, label: string): Buffer {
  const value = String(raw ?? "").trim()
  let key: Buffer | undefined
  if (/^[0-9a-fA-F]{64}$/.test(value)) {
    key = Buffer.from(value, "hex")
  } else if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(value)) {
    key = Buffer.from(value.replace(/-/g, "+").replace(/_/g, "/"), "base64")
  }
  if (!key || key.length !== KEY_LENGTH) {
    throw new MedusaError(
      MedusaError.Types.INVALID_ARGUMENT,
      `${label} must be ${KEY_LENGTH} bytes encoded as base64 or 64 hex characters`
    )
  }
  return key
}

/**
 * Parses `1:<key>,2:<key>` (the VIRTUAL_GOODS_ENCRYPTION_KEYS format) into a keyring object.
 */
export function parseKeyList(list: string | undefined): Record<string, string> {
  const keys: Record<string, string> = {}
  for (const part of String(list ?? "").split(",").map((p) => p.trim()).filter(Boolean)) {
    const idx = part.indexOf(":")
    if (idx <= 0) {
      throw new MedusaError(
        MedusaError.Types.INVALID_ARGUMENT,
        `Encryption key list entries must look like "<version>:<key>"`
      )
    }
    keys[part.slice(0, idx).trim()] = part.slice(idx + 1).trim()
  }
  return keys
}

