import dns from "dns"
import http from "http"
import type { AddressInfo, LookupFunction } from "net"
import { isPublicAddress, OutboundAddressRefusedError, outboundRequest } from "../outbound-http"

/** A resolver that answers `first` to its first question and `then` to every later one (a rebinding name). */
function rebinding(first: string, then: string) {
  let calls = 0
  const lookup = ((hostname: string, options: dns.LookupOptions, callback: (err: Error | null, address: string | dns.LookupAddress[], family?: number) => void) => {
    const address = calls++ === 0 ? first : then
    if (options.all) callback(null, [{ address, family: 4 }])
    else callback(null, address, 4)
  }) as LookupFunction
  return { lookup, calls: () => calls }
}

const ask = (lookup: LookupFunction, host: string) =>
  new Promise<string>((resolve, reject) => lookup(host, {}, (err, address) => (err ? reject(err) : resolve(String(address)))))

describe("outbound HTTP", () => {
  let server: http.Server
  let port: number
  let hits: { path: string; body: string }[]
  let answer: (res: http.ServerResponse) => void

  beforeEach(async () => {
    hits = []
    answer = (res) => res.writeHead(204).end()
    server = http.createServer((req, res) => {
      let body = ""
      req.on("data", (c) => (body += c))
      req.on("end", () => {
        hits.push({ path: req.url ?? "", body })
        answer(res)
      })
    })
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r))
    port = (server.address() as AddressInfo).port
  })
  afterEach(async () => {
    server.closeAllConnections()
    await new Promise((r) => server.close(r))
  })

  it("refuses a name that rebinds to loopback between the check and the connection: nothing reaches the server", async () => {
    const dnsStub = rebinding("93.184.216.34", "127.0.0.1")
    // The check (as a URL check before sending does it) sees a public address…
    expect(isPublicAddress(await ask(dnsStub.lookup, "hooks.rebind.test"))).toBe(true)
    // …and the connection, resolving again, gets 127.0.0.1: refused at connect time.
    const error = await outboundRequest(`http://hooks.rebind.test:${port}/hook`, { method: "POST", body: "{}", lookup: dnsStub.lookup }).catch((e) => e)
    expect(error).toBeInstanceOf(OutboundAddressRefusedError)
    expect(error.message).toBe("connection to 127.0.0.1 (hooks.rebind.test) refused: not a public address")
    expect(dnsStub.calls()).toBe(2)
    expect(hits).toEqual([])
  })

  it("refuses loopback, private and link-local addresses given literally", async () => {
    for (const host of ["127.0.0.1", "[::1]", "169.254.169.254", "10.0.0.7"]) {
      const error = await outboundRequest(`http://${host}:${port}/`, { timeoutMs: 2000 }).catch((e) => e)
      expect(error).toBeInstanceOf(OutboundAddressRefusedError)
    }
    expect(hits).toEqual([])
  })

  it("reaches loopback when private addresses are allowed (development, tests)", async () => {
    const response = await outboundRequest(`http://127.0.0.1:${port}/hook`, { method: "POST", body: '{"a":1}', headers: { "content-type": "application/json" }, allowPrivateAddresses: true })
    expect(response.status).toBe(204)
    expect(hits).toEqual([{ path: "/hook", body: '{"a":1}' }])
  })

  it("follows no redirect, stops at the deadline, and reads at most maxResponseBytes", async () => {
    answer = (res) => res.writeHead(302, { location: "http://169.254.169.254/" }).end()
    expect((await outboundRequest(`http://127.0.0.1:${port}/`, { allowPrivateAddresses: true })).status).toBe(302)
    expect(hits).toHaveLength(1)

    answer = (res) => res.writeHead(200).end("x".repeat(10_000))
    const long = await outboundRequest(`http://127.0.0.1:${port}/`, { allowPrivateAddresses: true, maxResponseBytes: 100 })
    expect([long.status, long.body.length, long.truncated]).toEqual([200, 100, true])

    answer = () => undefined
    const started = Date.now()
    const late = await outboundRequest(`http://127.0.0.1:${port}/`, { allowPrivateAddresses: true, timeoutMs: 300 }).catch((e) => e)
    expect([late.name, late.code]).toEqual(["TimeoutError", "ETIMEDOUT"])
    expect(Date.now() - started).toBeLessThan(2000)
  })

  it("classifies addresses", () => {
    for (const a of ["93.184.216.34", "2606:4700::1111", "::ffff:8.8.8.8"]) expect(isPublicAddress(a)).toBe(true)
    for (const a of ["127.0.0.1", "::1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1", "fd00::1", "fe80::1", "::ffff:127.0.0.1", "0.0.0.0", "not-an-ip"]) {
      expect(isPublicAddress(a)).toBe(false)
    }
  })
})
