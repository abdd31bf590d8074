import dns from "dns"
import http from "http"
import https from "https"
import { BlockList, isIP, Socket, type LookupFunction, type TcpNetConnectOpts } from "net"
import type { Duplex } from "stream"

/**
 * The one way this plugin makes HTTP requests to addresses it does not control (agents' webhooks, suppliers): node's
 * http/https with an agent that checks the address it CONNECTS to — every address a name resolves to at connect time,
 * and an IP literal — so a name that answers a public address to an earlier check and a private one to the request
 * (DNS rebinding) reaches nothing. No redirects are followed, the whole exchange has a deadline, and at most
 * `maxResponseBytes` of the answer are read.
 */

/** Addresses an outbound request may not connect to: loopback, private, link-local, shared, reserved and multicast. */
const NOT_PUBLIC = new BlockList()
for (const [net, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const) {
  NOT_PUBLIC.addSubnet(net, prefix, "ipv4")
}
for (const [net, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
  ["64:ff9b::", 96],
] as const) {
  NOT_PUBLIC.addSubnet(net, prefix, "ipv6")
}

/** Whether an IP address is a public internet address (an IPv4-mapped IPv6 address counts as its IPv4 address). */
export function isPublicAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)
  if (mapped) return isPublicAddress(mapped[1])
  const family = isIP(address)
  if (family === 4) return !NOT_PUBLIC.check(address, "ipv4")
  if (family === 6) return !NOT_PUBLIC.check(address, "ipv6")
  return false
}

/** A connection refused because its address is not public; `code` is `EADDRNOTPUBLIC`. */
export class OutboundAddressRefusedError extends Error {
  readonly code = "EADDRNOTPUBLIC"
  constructor(readonly address: string, readonly host?: string) {
    super(`connection to ${address}${host && host !== address ? ` (${host})` : ""} refused: not a public address`)
    this.name = "OutboundAddressRefusedError"
  }
}

/** The request took longer than its deadline; `code` is `ETIMEDOUT`. */
export class OutboundTimeoutError extends Error {
  readonly code = "ETIMEDOUT"
  constructor(readonly timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`)
    this.name = "TimeoutError"
  }
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void

/** A `lookup` that answers only public addresses (all of them, when asked for all) and refuses any other. */
function publicOnlyLookup(resolve: LookupFunction): LookupFunction {
  const lookup = (hostname: string, options: dns.LookupOptions, callback: LookupCallback) => {
    resolve(hostname, options, ((err: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => {
      if (err) return callback(err, address, family)
      const addresses = Array.isArray(address) ? address.map((a) => a.address) : [address]
      const refused = addresses.find((a) => !isPublicAddress(a))
      if (refused !== undefined) return callback(new OutboundAddressRefusedError(refused, hostname), address, family)
      callback(null, address, family)
    }) as Parameters<LookupFunction>[2])
  }
  return lookup as LookupFunction
}

type ConnectionCallback = (err: Error | null, socket: Duplex) => void

/** Checks an address given literally, and resolves a name only through `publicOnlyLookup`, at connect time. */
function guardConnection(options: TcpNetConnectOpts): TcpNetConnectOpts | OutboundAddressRefusedError {
  const host = options.host?.replace(/^\[|\]$/g, "")
  if (host && isIP(host) && !isPublicAddress(host)) return new OutboundAddressRefusedError(host)
  return { ...options, lookup: publicOnlyLookup(options.lookup ?? (dns.lookup as LookupFunction)) }
}

/** Refuses a connection the way an agent reports a failed one: through the callback (the request fails with it). */
function refuse(error: Error, callback?: ConnectionCallback): Socket | undefined {
  const socket = new Socket()
  if (!callback) return socket.destroy(error)
  process.nextTick(() => callback(error, socket))
  return undefined
}

class PublicOnlyHttpAgent extends http.Agent {
  createConnection(options: TcpNetConnectOpts, callback?: ConnectionCallback): Duplex | null | undefined {
    const guarded = guardConnection(options)
    if (guarded instanceof Error) return refuse(guarded, callback)
    return super.createConnection(guarded, callback)
  }
}

class PublicOnlyHttpsAgent extends https.Agent {
  createConnection(options: TcpNetConnectOpts, callback?: ConnectionCallback): Duplex | null | undefined {
    const guarded = guardConnection(options)
    if (guarded instanceof Error) return refuse(guarded, callback)
    return super.createConnection(guarded, callback)
  }
}

export type OutboundRequest = {
  method?: string
  headers?: Record<string, string>
  body?: string | Buffer
  /** Deadline for the whole exchange (connect, send, answer, body). Default 10000 ms. */
  timeoutMs?: number
  /** At most this much of the answer's body is read (then the connection is closed). Default 1 MiB. */
  maxResponseBytes?: number
  /** Connect to loopback and private addresses too (development and tests only). Default false. */
  allowPrivateAddresses?: boolean
  /** Resolves host names (default: the system resolver); its answers are checked at connect time like any other. */
  lookup?: LookupFunction
}

export type OutboundResponse = {
  status: number
  headers: http.IncomingHttpHeaders
  /** The body as read, at most `maxResponseBytes`. */
  body: Buffer
  /** The answer was longer than `maxResponseBytes`: `body` is its beginning. */
  truncated: boolean
}

/** Sends one request through the guarded agents (no redirects followed, no connection kept). */
export function outboundRequest(url: string, request: OutboundRequest = {}): Promise<OutboundResponse> {
  const target = new URL(url)
  if (target.protocol !== "https:" && target.protocol !== "http:") {
    return Promise.reject(new Error(`outbound requests are http(s) only, not ${target.protocol}`))
  }
  const timeoutMs = request.timeoutMs ?? 10_000
  const maxBytes = request.maxResponseBytes ?? 1024 * 1024
  const secure = target.protocol === "https:"
  const agent = request.allowPrivateAddresses
    ? new (secure ? https.Agent : http.Agent)({ keepAlive: false })
    : new (secure ? PublicOnlyHttpsAgent : PublicOnlyHttpAgent)({ keepAlive: false })
  const send = secure ? https.request : http.request
  return new Promise<OutboundResponse>((resolve, reject) => {
    let settled = false
    const finish = (error: Error | null, response?: OutboundResponse) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      agent.destroy()
      if (error) reject(error)
      else resolve(response!)
    }
    const req = send(target, { method: request.method ?? "GET", headers: request.headers, agent, lookup: request.lookup }, (res) => {
      const chunks: Buffer[] = []
      let size = 0
      let truncated = false
      const done = () => finish(null, { status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), truncated })
      res.on("data", (chunk: Buffer) => {
        if (truncated) return
        const room = maxBytes - size
        if (chunk.length > room) {
          chunks.push(chunk.subarray(0, room))
          size = maxBytes
          truncated = true
          done()
          res.destroy()
          return
        }
        chunks.push(chunk)
        size += chunk.length
      })
      res.on("end", done)
      res.on("error", (e) => finish(e))
    })
    const timer = setTimeout(() => {
      const error = new OutboundTimeoutError(timeoutMs)
      finish(error)
      req.destroy(error)
    }, timeoutMs)
    req.on("error", (e) => finish(e))
    req.end(request.body)
  })
}
