import { clientIp, DEFAULT_RATE_LIMITS, rateLimitsFromEnv, trustedProxies } from "../rate-limit"

const req = (remoteAddress: string, forwardedFor?: string) => ({
  socket: { remoteAddress },
  connection: { remoteAddress },
  headers: forwardedFor ? { "x-forwarded-for": forwardedFor } : {},
})

describe("client IP", () => {
  it("is the socket's peer when no proxy is trusted: X-Forwarded-For from anyone is ignored", () => {
    const none = trustedProxies("")
    expect(clientIp(req("203.0.113.7", "198.51.100.1"), none)).toBe("203.0.113.7")
    expect(clientIp(req("127.0.0.1", "198.51.100.1, 10.0.0.2"), none)).toBe("127.0.0.1")
    // An IPv4 peer of a dual-stack socket has one spelling.
    expect(clientIp(req("::ffff:203.0.113.7"), none)).toBe("203.0.113.7")
  })

  it("behind trusted proxies, is the nearest address that is not one of them", () => {
    const trust = trustedProxies("loopback, 10.0.0.0/8")
    // client → 10.0.0.2 (trusted) → 127.0.0.1 (trusted) → app
    expect(clientIp(req("127.0.0.1", "198.51.100.1, 10.0.0.2"), trust)).toBe("198.51.100.1")
    // A forged entry to the left of the real client changes nothing: the nearest untrusted address wins.
    expect(clientIp(req("127.0.0.1", "6.6.6.6, 198.51.100.1, 10.0.0.2"), trust)).toBe("198.51.100.1")
    // A peer that is not a trusted proxy is the client, whatever it forwards.
    expect(clientIp(req("203.0.113.7", "198.51.100.1"), trust)).toBe("203.0.113.7")
  })
})

describe("rate limit settings", () => {
  it("defaults, with VIRTUAL_GOODS_RATE_LIMITS merged over them", () => {
    expect(rateLimitsFromEnv("")).toEqual(DEFAULT_RATE_LIMITS)
    const limits = rateLimitsFromEnv(JSON.stringify({ guest_link: { ip: [5, 60] } }))
    expect(limits.guest_link).toEqual({ ...DEFAULT_RATE_LIMITS.guest_link, ip: [5, 60] })
    expect(limits.wholesale).toEqual(DEFAULT_RATE_LIMITS.wholesale)
  })

  it.each([
    ["not json", "VIRTUAL_GOODS_RATE_LIMITS must be JSON, e.g. {\"guest_link\":{\"ip\":[10,60]}}"],
    [JSON.stringify({ checkout: { ip: [1, 1] } }), "VIRTUAL_GOODS_RATE_LIMITS: unknown surface checkout (one of guest_link, reveal, order_lookup, wholesale, code_lookup)"],
    [JSON.stringify({ reveal: { burst: [1, 1] } }), "VIRTUAL_GOODS_RATE_LIMITS.reveal: unknown limit burst"],
    [JSON.stringify({ reveal: { ip: [0, 60] } }), "VIRTUAL_GOODS_RATE_LIMITS.reveal.ip must be [points, seconds] (positive integers)"],
    [JSON.stringify({ reveal: { ip: 10 } }), "VIRTUAL_GOODS_RATE_LIMITS.reveal.ip must be [points, seconds] (positive integers)"],
  ])("refuses %s", (raw, message) => {
    expect(() => rateLimitsFromEnv(raw)).toThrow(message)
  })
})
