import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from "crypto"
import { MedusaError } from "@medusajs/framework/utils"

/** One chain's head as a checkpoint signs it. */
export type SignedHead = { chain_id: string; seq: number; hash: string }

/** What a checkpoint signs: its time and every chain's head, as canonical JSON (heads sorted by chain). */
export type CheckpointPayload = { v: 1; created_at: string; heads: SignedHead[] }

/** A checkpoint as it is stored and exported: the exact signed text, its Ed25519 signature and the public key. */
export type SignedCheckpoint = { payload: string; signature: string; key_id: string; public_key: string }

// PKCS#8 wrapping of a raw 32-byte Ed25519 seed (RFC 8410).
const ED25519_PKCS8_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex")

/**
 * The checkpoint signing key from the module option or `VIRTUAL_GOODS_AUDIT_SIGNING_KEY`: an Ed25519 private key as PEM
 * (PKCS#8), or its 32-byte seed in base64. It lives outside the database, so rewriting the log and its chains cannot
 * produce a checkpoint that verifies. Null when none is configured.
 */
export function parseSigningKey(value: string | undefined | null): KeyObject | null {
  const text = (value ?? "").trim()
  if (!text) return null
  try {
    if (text.includes("BEGIN")) {
      const key = createPrivateKey(text.replace(/\\n/g, "\n"))
      if (key.asymmetricKeyType !== "ed25519") throw new Error("not an Ed25519 key")
      return key
    }
    const seed = Buffer.from(text, "base64")
    if (seed.length !== 32) throw new Error(`a base64 seed must be 32 bytes, got ${seed.length}`)
    return createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]), format: "der", type: "pkcs8" })
  } catch (e) {
    throw new MedusaError(
      MedusaError.Types.INVALID_ARGUMENT,
      `Option audit_signing_key (VIRTUAL_GOODS_AUDIT_SIGNING_KEY) must be an Ed25519 private key (PEM) or its 32-byte seed in base64: ${e instanceof Error ? e.message : String(e)}`
    )
  }
}

/** A public key as exported with checkpoints: SPKI PEM. */
export function publicKeyPem(privateKey: KeyObject): string {
  return createPublicKey(privateKey).export({ format: "pem", type: "spki" }).toString()
}

/** A key's short id: the first 16 hex characters of SHA-256 over its SPKI DER. */
export function keyIdOf(publicPem: string): string {
  const der = createPublicKey(publicPem).export({ format: "der", type: "spki" })
  return createHash("sha256").update(der).digest("hex").slice(0, 16)
}

/** The canonical text of a checkpoint over `heads` at `at`. */
export function checkpointPayload(heads: SignedHead[], at: Date): string {
  const sorted = [...heads].sort((a, b) => (a.chain_id < b.chain_id ? -1 : a.chain_id > b.chain_id ? 1 : 0))
  const payload: CheckpointPayload = {
    v: 1,
    created_at: at.toISOString(),
    heads: sorted.map((h) => ({ chain_id: h.chain_id, seq: Number(h.seq), hash: h.hash })),
  }
  return JSON.stringify(payload)
}

export function signCheckpoint(payload: string, privateKey: KeyObject): SignedCheckpoint {
  const public_key = publicKeyPem(privateKey)
  return {
    payload,
    signature: sign(null, Buffer.from(payload, "utf8"), privateKey).toString("base64"),
    key_id: keyIdOf(public_key),
    public_key,
  }
}

/**
 * Whether `checkpoint` was signed by `trustedPublicKey` (SPKI PEM) — never by the key the checkpoint carries, which
 * whoever rewrote it could have replaced — and its payload parses. Answers the payload, or why not.
 */
export function verifyCheckpoint(
  checkpoint: Pick<SignedCheckpoint, "payload" | "signature">,
  trustedPublicKey: string
): { payload: CheckpointPayload; error?: undefined } | { error: string; payload?: undefined } {
  let ok = false
  try {
    ok = verify(null, Buffer.from(checkpoint.payload, "utf8"), createPublicKey(trustedPublicKey), Buffer.from(checkpoint.signature, "base64"))
  } catch {
    ok = false
  }
  if (!ok) return { error: "signature does not verify with the trusted public key" }
  try {
    const payload = JSON.parse(checkpoint.payload) as CheckpointPayload
    if (payload.v !== 1 || !Array.isArray(payload.heads)) return { error: "payload is not a version 1 checkpoint" }
    return { payload }
  } catch {
    return { error: "payload is not JSON" }
  }
}
