import { ExecArgs } from "@medusajs/framework/types"
import { setupVirtualStore } from "../../src/scripts/setup-virtual-store"
import { createAdminHeaders } from "../helpers"

/**
 * The chaos test's store, run with `medusa exec` before the cluster starts: a region, a publishable key and three
 * virtual products whose pools hold `CHAOS_CODES` codes each ("a,b,c"); an admin user. Prints one line,
 * `CHAOS_SEED=<json>`, with the store's ids and the admin's headers.
 */
export default async function seedChaos({ container }: ExecArgs) {
  const [a, b, c] = (process.env.CHAOS_CODES || "20,30,60").split(",").map(Number)
  const store = await setupVirtualStore(container, {
    name: "Chaos store",
    products: [
      { title: "Streaming month", handle: "chaos-stream", sku: "STREAM", price: 15, codes: a },
      { title: "Game points 500", handle: "chaos-points", sku: "POINTS", price: 10, codes: b },
      { title: "Gift voucher 20", handle: "chaos-voucher", sku: "GIFT", price: 20, codes: c },
    ],
  })
  const admin = await createAdminHeaders(container, "chaos@test.dev")
  process.stdout.write(`CHAOS_SEED=${JSON.stringify({ store, admin: admin.headers })}\n`)
}
