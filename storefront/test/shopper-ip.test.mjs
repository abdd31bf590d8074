import { test } from "node:test"
import assert from "node:assert/strict"
import { shopperIp } from "../shopper-ip.mjs"

test("with no proxy in front the shopper is the socket's peer, whatever X-Forwarded-For a client sends", () => {
  assert.equal(shopperIp(undefined, "203.0.113.9", 0), "203.0.113.9")
  assert.equal(shopperIp("1.2.3.4", "203.0.113.9", 0), "203.0.113.9")
  assert.equal(shopperIp("", "::ffff:203.0.113.9", 0), "203.0.113.9")
})

test("behind n trusted proxies the shopper is the address the outermost one saw; a forged prefix is ignored", () => {
  // The store's proxy (socket peer 10.0.0.2) appended the client it saw, 198.51.100.4; the client forged 1.2.3.4.
  assert.equal(shopperIp("1.2.3.4, 198.51.100.4", "10.0.0.2", 1), "198.51.100.4")
  assert.equal(shopperIp("198.51.100.4", "10.0.0.2", 1), "198.51.100.4")
  // Two proxies: CDN (appends the client) → load balancer (appends the CDN) → storefront.
  assert.equal(shopperIp("1.2.3.4, 198.51.100.4, 172.16.0.9", "10.0.0.2", 2), "198.51.100.4")
  // Fewer entries than hops claimed: the leftmost there is.
  assert.equal(shopperIp("", "10.0.0.2", 3), "10.0.0.2")
})
