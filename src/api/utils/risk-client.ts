import type { MedusaNextFunction, MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { clientIp } from "./rate-limit"
import { riskModule } from "../../workflows/risk/utils/risk-module"

/**
 * Before a cart is completed: records the real client IP (the socket's peer, or behind trusted proxies the
 * forwarded address) and the device id the storefront sends in `X-Device-Id`, as facts for the risk rules.
 */
export async function recordRiskClient(req: MedusaRequest, _res: MedusaResponse, next: MedusaNextFunction) {
  try {
    const risk = riskModule(req.scope)
    const device = String(req.get("x-device-id") ?? "").trim()
    await risk.recordClient({ cart_id: req.params.id, ip: clientIp(req), device_id: /^[\x21-\x7e]{1,200}$/.test(device) ? device : null })
    next()
  } catch (e) {
    next(e)
  }
}
