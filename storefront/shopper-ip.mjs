/**
 * The shopper's address: the socket's peer, or — with `trustedHops` proxies of the store's own in front — the address
 * the outermost of them saw (the `trustedHops`-th entry from the right of X-Forwarded-For, the socket's peer being
 * the last hop). Entries a client added to X-Forwarded-For before the trusted proxies are never chosen.
 */
export function shopperIp(forwardedFor, socketAddress, trustedHops) {
  const chain = String(forwardedFor ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
  chain.push(socketAddress ?? "")
  const ip = chain[Math.max(0, chain.length - 1 - trustedHops)]
  return ip.startsWith("::ffff:") ? ip.slice(7) : ip
}
