import { createHmac } from "crypto"
import { MedusaError } from "@medusajs/framework/utils"
import { decodeKey } from "./crypto"

/**
 * Guest reveal links that leave nothing usable at rest.
 *
 * A link's token is not random and stored: it is derived from the link's id with the link key
 * (`HMAC-SHA256(link_key, "card_reveal_link|" + id)`, base64url, 43 characters). The vault stores only a hash of the
 * token (to find the link) and the notification it sends carries only the link's id and the URL template
 * (`data.reveal_link`), so neither our tables nor Medusa's `notification` table, workflow executions or logs hold
 * anything that opens a link. The notification provider that sends the message derives the token again with the same
 * key, in memory, at the moment it renders the link (`revealUrlOf`).
 *
 * The link key is the `link_key` option / `VIRTUAL_GOODS_LINK_KEY` (32 bytes, base64 or hex); without it, a key is
 * derived from the blind index key (`VIRTUAL_GOODS_BLIND_INDEX_KEY`), so a store that sets the vault's keys needs
 * nothing more. Changing the key invalidates every live link (shoppers ask for a fresh one by order lookup).
 */

/** Environment variables the link key is read from when no option is given, in order. */
export const REVEAL_LINK_KEY_ENV = "VIRTUAL_GOODS_LINK_KEY"
export const BLIND_INDEX_KEY_ENV = "VIRTUAL_GOODS_BLIND_INDEX_KEY"

/** What a notification carries about its guest link: everything but the token. */
export type RevealLinkData = {
  /** The link's id (`crlink_…`): the token is derived from it with the link key. */
  id: string
  /** Where the link points, `{token}` to be replaced (the vault's `reveal_url` option). */
  url_template: string
  expires_at: string
  max_uses: number
}

/**
 * The link key from options, falling back to the environment: `link_key`, else one derived from `blind_index_key`.
 * Throws INVALID_ARGUMENT when neither is set or a key is malformed.
 */
export function revealLinkKey(
  options: { link_key?: string | null; blind_index_key?: string | null } = {},
  env: Record<string, string | undefined> = process.env
): Buffer {
  const linkKey = options.link_key || env[REVEAL_LINK_KEY_ENV]
  if (linkKey) return decodeKey(linkKey, "Reveal link key")
  const indexKey = options.blind_index_key || env[BLIND_INDEX_KEY_ENV]
  if (!indexKey) {
    throw new MedusaError(
      MedusaError.Types.INVALID_ARGUMENT,
      `medusa-virtual-goods: no key for guest reveal links (set ${REVEAL_LINK_KEY_ENV} or ${BLIND_INDEX_KEY_ENV}, or the option link_key)`
    )
  }
  return createHmac("sha256", decodeKey(indexKey, "Blind index key")).update("medusa-virtual-goods/reveal-link-key/v1").digest()
}

/** The token of a link: derived from its id, never stored. */
export function revealLinkToken(key: Buffer, linkId: string): string {
  return createHmac("sha256", key).update(`card_reveal_link|${linkId}`).digest("base64url")
}

/** The link's URL: the template with the token in place of `{token}`. */
export function revealLinkUrl(template: string, token: string): string {
  return template.replace("{token}", encodeURIComponent(token))
}

/** The `reveal_link` of a notification's data, when it has a well-formed one. */
export function revealLinkOf(data: unknown): RevealLinkData | null {
  const link = data && typeof data === "object" ? (data as { reveal_link?: unknown }).reveal_link : undefined
  if (!link || typeof link !== "object") return null
  const { id, url_template, expires_at, max_uses } = link as Record<string, unknown>
  if (typeof id !== "string" || typeof url_template !== "string" || !url_template.includes("{token}")) return null
  return { id, url_template, expires_at: String(expires_at ?? ""), max_uses: Number(max_uses) }
}

/**
 * The working guest link of a notification (its `data.reveal_link`), rendered in memory with the link key; null when
 * the notification has no link. For notification providers: ours calls it, and a host's own provider (SendGrid,
 * Resend, …) calls it the same way to put the link in its message.
 */
export function revealUrlOf(data: unknown, key: Buffer): string | null {
  const link = revealLinkOf(data)
  return link ? revealLinkUrl(link.url_template, revealLinkToken(key, link.id)) : null
}
