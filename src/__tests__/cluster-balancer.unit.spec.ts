import http from "http"
import { AddressInfo } from "net"

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createBalancer } = require("../../scripts/lib/cluster") as {
  createBalancer: (cluster: FakeCluster) => { listen: (port: number) => Promise<number>; close: () => Promise<void>; counts: Record<string, number> }
}

type Member = { name: string; port: number; state: "up" | "down" | "starting" }
type FakeCluster = { servers: Member[]; adminServer: Member | null }

/** A loopback server answering with its name and what it saw; `behaviour` may cut the connection instead. */
async function upstream(name: string, behaviour: "answer" | "cut" = "answer") {
  const server = http.createServer((req, res) => {
    let body = ""
    req.on("data", (c) => (body += c))
    req.on("end", () => {
      if (behaviour === "cut") return req.socket.destroy()
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ name, xff: req.headers["x-forwarded-for"], body }))
    })
  })
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r))
  return { server, port: (server.address() as AddressInfo).port }
}

/** A port nothing listens on (a server that died). */
async function deadPort() {
  const { server, port } = await upstream("gone")
  await new Promise((r) => server.close(r))
  return port
}

async function send(port: number, path: string, headers: Record<string, string> = {}, body = "") {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, { method: body ? "POST" : "GET", headers, body: body || undefined })
  return { status: res.status, servedBy: res.headers.get("x-served-by"), data: await res.json() }
}

/** The balancer of `npm run cluster` and the chaos test (scripts/lib/cluster.js), against real loopback servers. */
describe("cluster balancer", () => {
  const closers: (() => Promise<unknown>)[] = []
  afterEach(async () => {
    for (const close of closers.splice(0)) await close()
  })
  const start = async (cluster: FakeCluster) => {
    const balancer = createBalancer(cluster)
    const port = await balancer.listen(0)
    closers.push(() => balancer.close())
    return { balancer, port }
  }
  const serve = async (name: string, behaviour?: "answer" | "cut") => {
    const u = await upstream(name, behaviour)
    closers.push(() => new Promise((r) => u.server.close(r)))
    return { name, port: u.port, state: "up" as const }
  }

  it("spreads requests round robin over the servers that are up, names the server and appends the client to X-Forwarded-For", async () => {
    const servers: Member[] = [await serve("server-1"), await serve("server-2"), await serve("server-3"), { ...(await serve("server-4")), state: "starting" }]
    const { balancer, port } = await start({ servers, adminServer: null })
    const seen = []
    for (let i = 0; i < 6; i++) seen.push((await send(port, "/store/products", { "x-forwarded-for": "203.0.113.7" })).servedBy)
    expect(seen.sort()).toEqual(["server-1", "server-1", "server-2", "server-2", "server-3", "server-3"])
    expect(balancer.counts).toEqual({ "server-1": 2, "server-2": 2, "server-3": 2 })
    const echoed = await send(port, "/store/carts", { "x-forwarded-for": "203.0.113.7", "content-type": "application/json" }, '{"a":1}')
    expect(echoed.data).toEqual({ name: echoed.servedBy, xff: "203.0.113.7, 127.0.0.1", body: '{"a":1}' })
  })

  it("sends a refused request on to the next server and marks the dead one down; 503 when none is up", async () => {
    const dead: Member = { name: "server-1", port: await deadPort(), state: "up" }
    const alive = await serve("server-2")
    const { port } = await start({ servers: [dead, alive], adminServer: null })
    for (let i = 0; i < 3; i++) expect((await send(port, "/health")).servedBy).toBe("server-2")
    expect(dead.state).toBe("down")
    alive.state = "down"
    const none = await send(port, "/health")
    expect([none.status, none.data]).toEqual([503, { type: "unavailable", message: "No API server is up" }])
  })

  it("answers 502 naming the server when it dies while handling the request (the client decides whether to retry)", async () => {
    const cut = await serve("server-1", "cut")
    const { port } = await start({ servers: [cut], adminServer: null })
    const answer = await send(port, "/store/carts/cart_1/complete", { "content-type": "application/json" }, "{}")
    expect(answer.status).toBe(502)
    expect(answer.servedBy).toBe("server-1")
    expect(answer.data).toEqual({ type: "bad_gateway", message: expect.stringMatching(/^The API server server-1 did not answer: /) })
  })

  it("keeps the admin on the server that serves it while it is up", async () => {
    const servers = [await serve("server-1"), await serve("server-2"), await serve("server-3")]
    const { port } = await start({ servers, adminServer: servers[0] })
    for (let i = 0; i < 4; i++) expect((await send(port, "/app/orders")).servedBy).toBe("server-1")
    servers[0].state = "down"
    expect(["server-2", "server-3"]).toContain((await send(port, "/app")).servedBy)
  })
})
