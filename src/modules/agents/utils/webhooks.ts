import { createHmac } from "crypto"
import { lookup } from "dns/promises"
import { isIP } from "net"
import { isPublicAddress } from "../../../utils/outbound-http"

/**
 * Whether an IP address is loopback, private or otherwise not a public internet address: the ranges of the outbound
 * client, which refuses them again when it connects.
 */
export function isPrivateAddress(address: string): boolean {
  return !isPublicAddress(address)
}

/**
 * Checks a webhook URL: http(s) only, no credentials in it, and — unless private addresses are allowed (development)
 * — https and a host whose every address is public (an IP literal, or every address its name resolves to now).
 * Returns the reason it is refused, or null. Checked when the URL is set and again before every send.
 */
export async function webhookUrlProblem(
  raw: string,
  options: { allowPrivate: boolean; resolve?: (host: string) => Promise<string[]> }
): Promise<string | null> {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return "it is not an absolute URL"
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return `its scheme ${url.protocol} is not http(s)`
  if (url.username || url.password) return "it contains credentials"
  if (options.allowPrivate) return null
  if (url.protocol !== "https:") return "it must use https"
  const host = url.hostname.replace(/^\[|\]$/g, "")
  let addresses: string[]
  if (isIP(host)) addresses = [host]
  else {
    try {
      addresses = await (options.resolve ?? resolveAll)(host)
    } catch {
      return `its host ${host} does not resolve`
    }
  }
  if (!addresses.length) return `its host ${host} does not resolve`
  const bad = addresses.find(isPrivateAddress)
  return bad ? `its host ${host} is a private or loopback address (${bad})` : null
}

async function resolveAll(host: string): Promise<string[]> {
  return (await lookup(host, { all: true, verbatim: true })).map((a) => a.address)
}

/** The signature an agent checks: `v1=` HMAC-SHA256 (hex) of `<timestamp>.<body>` under its webhook secret. */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`
}

/** Delay before attempt `attempt + 1` after `attempt` failures: 30 s doubling, at most 6 hours. */
export function webhookBackoffSeconds(attempt: number): number {
  return Math.min(30 * 2 ** Math.max(0, attempt - 1), 6 * 3600)
}
