import { createHash, createHmac, timingSafeEqual } from "crypto"
import type { MedusaNextFunction, MedusaResponse } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"
import { agentsModule } from "../../workflows/agents/utils/agents-module"
import { agentOf, type AgentRequest } from "./helpers"

/** How far a signed request's timestamp may be from the server's clock. */
export const SIGNATURE_MAX_SKEW_SECONDS = 300

/**
 * What a signed request signs: `METHOD\nPATH\nTIMESTAMP\nsha256hex(body)` — the path without host or query, the
 * timestamp in unix seconds as sent, the body's bytes as sent (empty for none) — as lower-case hex HMAC-SHA256 with
 * the key's signing secret.
 */
export function requestSignature(secret: string, method: string, path: string, timestamp: string, body: Buffer | string): string {
  const digest = createHash("sha256").update(body).digest("hex")
  return createHmac("sha256", secret).update(`${method.toUpperCase()}\n${path}\n${timestamp}\n${digest}`, "utf8").digest("hex")
}

type SignedAgentRequest = AgentRequest & { rawBody?: Buffer | string }

/**
 * Partners' signed requests (the redemption API): besides the key (`Authorization: Bearer vgk_…`, checked before),
 * `X-Signature-Timestamp` (unix seconds, within ±300 s) and `X-Signature` (see `requestSignature`) made with the key's
 * signing secret — shown once when the key is made (`signing_secret`) and again by the admin's
 * `POST …/api-keys/:key_id/dujiao-secret`; never stored, derived from the server key. A request altered on the way,
 * replayed later or sent by whoever saw only the bearer key is refused with a 401 before its body is read.
 */
export async function requireSignedRequest(req: SignedAgentRequest, _res: MedusaResponse, next: MedusaNextFunction) {
  try {
    const principal = agentOf(req)
    const timestamp = (req.get("x-signature-timestamp") ?? "").trim()
    const signature = (req.get("x-signature") ?? "").trim().toLowerCase()
    const unauthorized = (message: string) => new MedusaError(MedusaError.Types.UNAUTHORIZED, message)
    if (!timestamp || !signature) throw unauthorized("This route takes signed requests: send X-Signature-Timestamp and X-Signature")
    if (!/^\d{1,12}$/.test(timestamp) || Math.abs(Math.floor(Date.now() / 1000) - Number(timestamp)) > SIGNATURE_MAX_SKEW_SECONDS) {
      throw unauthorized(`X-Signature-Timestamp must be the current unix time in seconds (within ${SIGNATURE_MAX_SKEW_SECONDS} s)`)
    }
    const secret = agentsModule(req.scope).dujiaoSigningSecret(principal.key_id)
    const body = req.rawBody === undefined ? Buffer.alloc(0) : Buffer.isBuffer(req.rawBody) ? req.rawBody : Buffer.from(req.rawBody, "utf8")
    const path = (req.originalUrl ?? req.url).split("?")[0]
    const expected = Buffer.from(requestSignature(secret, req.method, path, timestamp, body), "hex")
    const given = /^[0-9a-f]{64}$/.test(signature) ? Buffer.from(signature, "hex") : Buffer.alloc(0)
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw unauthorized("Invalid request signature")
    next()
  } catch (e) {
    next(e)
  }
}
