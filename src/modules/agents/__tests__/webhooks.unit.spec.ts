import { createHmac } from "crypto"
import fc from "fast-check"
import { isPrivateAddress, signWebhook, webhookBackoffSeconds, webhookUrlProblem } from "../utils/webhooks"

const strict = { allowPrivate: false, resolve: async (host: string) => (host === "hooks.example.com" ? ["93.184.216.34"] : host === "internal.example.com" ? ["93.184.216.34", "10.0.0.7"] : []) }

describe("webhook URLs", () => {
  it.each([
    ["https://hooks.example.com/vg", null],
    ["https://93.184.216.34/vg", null],
    ["http://hooks.example.com/vg", "it must use https"],
    ["ftp://hooks.example.com/vg", "its scheme ftp: is not http(s)"],
    ["not a url", "it is not an absolute URL"],
    ["https://user:pw@hooks.example.com/", "it contains credentials"],
    ["https://127.0.0.1/", "its host 127.0.0.1 is a private or loopback address (127.0.0.1)"],
    ["https://10.1.2.3/", "its host 10.1.2.3 is a private or loopback address (10.1.2.3)"],
    ["https://169.254.169.254/latest/meta-data", "its host 169.254.169.254 is a private or loopback address (169.254.169.254)"],
    ["https://[::1]/", "its host ::1 is a private or loopback address (::1)"],
    ["https://[::ffff:192.168.1.1]/", "its host ::ffff:c0a8:101 is a private or loopback address (::ffff:c0a8:101)"],
    ["https://[fd00::1]/", "its host fd00::1 is a private or loopback address (fd00::1)"],
    ["https://internal.example.com/", "its host internal.example.com is a private or loopback address (10.0.0.7)"],
    ["https://nowhere.example.com/", "its host nowhere.example.com does not resolve"],
  ])("%s → %s", async (url, problem) => {
    expect(await webhookUrlProblem(url, strict)).toBe(problem)
  })

  it("allows private addresses and plain http only when told to (development)", async () => {
    expect(await webhookUrlProblem("http://127.0.0.1:9999/hook", { allowPrivate: true })).toBeNull()
    expect(await webhookUrlProblem("ftp://127.0.0.1/", { allowPrivate: true })).toBe("its scheme ftp: is not http(s)")
  })

  it("classifies every address of the private IPv4 ranges as private, and public ones as public", () => {
    const octet = fc.integer({ min: 0, max: 255 })
    fc.assert(
      fc.property(octet, octet, octet, (b, c, d) => {
        expect(isPrivateAddress(`10.${b}.${c}.${d}`)).toBe(true)
        expect(isPrivateAddress(`127.${b}.${c}.${d}`)).toBe(true)
        expect(isPrivateAddress(`192.168.${c}.${d}`)).toBe(true)
        expect(isPrivateAddress(`172.${16 + (b % 16)}.${c}.${d}`)).toBe(true)
        expect(isPrivateAddress(`::ffff:10.${b}.${c}.${d}`)).toBe(true)
        expect(isPrivateAddress(`8.${b}.${c}.${d}`)).toBe(false)
      })
    )
    expect(isPrivateAddress("not-an-ip")).toBe(true)
  })
})

describe("webhook signatures and retries", () => {
  it("signs timestamp.body with HMAC-SHA256 so the agent can check it", () => {
    const body = JSON.stringify({ id: "awhd_1", event: "agent_order.completed", data: { total: "40.5" } })
    const expected = createHmac("sha256", "whsec_test").update(`1700000000.${body}`).digest("hex")
    expect(signWebhook("whsec_test", 1700000000, body)).toBe(`v1=${expected}`)
    expect(signWebhook("whsec_test", 1700000001, body)).not.toBe(`v1=${expected}`)
    expect(signWebhook("whsec_other", 1700000000, body)).not.toBe(`v1=${expected}`)
  })

  it("backs off 30 s doubling, never beyond 6 hours", () => {
    expect([1, 2, 3, 4, 5].map(webhookBackoffSeconds)).toEqual([30, 60, 120, 240, 480])
    expect(webhookBackoffSeconds(20)).toBe(6 * 3600)
  })
})
