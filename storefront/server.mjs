// The storefront's HTTP server: Next.js behind a few lines that work out who the shopper is.
//
// The storefront calls the backend from its own server, so the backend would see this server's address for every
// shopper. This server puts the shopper's address in `x-vg-shopper-ip` (overwriting whatever a client sent there)
// and the data layer forwards it to the backend as X-Forwarded-For (the backend believes it from the proxies listed in
// VIRTUAL_GOODS_TRUSTED_PROXIES: this server's address). The shopper's address is the socket's peer, or — with
// STOREFRONT_TRUSTED_PROXY_HOPS=n proxies of your own in front (a load balancer, nginx) — the address the outermost of
// them saw: the n-th entry from the right of X-Forwarded-For. A client cannot choose it by sending X-Forwarded-For.
//
//   PORT (8000), HOSTNAME (0.0.0.0), STOREFRONT_TRUSTED_PROXY_HOPS (0), NODE_ENV=development for `next dev` mode.
import { createServer } from "node:http"
import next from "next"
import { shopperIp } from "./shopper-ip.mjs"

const port = Number(process.env.PORT || 8000)
const hostname = process.env.HOSTNAME || "0.0.0.0"
const hops = Number(process.env.STOREFRONT_TRUSTED_PROXY_HOPS || 0)
if (!Number.isInteger(hops) || hops < 0) {
  console.error(`STOREFRONT_TRUSTED_PROXY_HOPS must be a whole number ≥ 0, got "${process.env.STOREFRONT_TRUSTED_PROXY_HOPS}"`)
  process.exit(1)
}
process.env.NEXT_TELEMETRY_DISABLED = "1"

const app = next({ dev: process.env.NODE_ENV === "development", hostname, port, dir: new URL(".", import.meta.url).pathname })
const handle = app.getRequestHandler()
await app.prepare()
createServer((req, res) => {
  req.headers["x-vg-shopper-ip"] = shopperIp(req.headers["x-forwarded-for"], req.socket.remoteAddress, hops)
  handle(req, res)
}).listen(port, hostname, () => {
  console.log(`storefront ready on http://localhost:${port}`)
})
