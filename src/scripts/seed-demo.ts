import { ExecArgs } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { setupVirtualStore } from "./setup-virtual-store"

/**
 * Demo store for `npm run demo`: two virtual products with pools of demo codes. Safe to run again: it tops the
 * pools up instead of duplicating anything. Prints the ids the demo banner needs.
 */
export default async function seedDemo({ container }: ExecArgs) {
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  const store = await setupVirtualStore(container, {
    name: "Virtual Goods Demo",
    products: [
      { title: "Youku VIP — 1 month", handle: "youku-vip-monthly", sku: "YOUKU", price: 15, codes: 50 },
      { title: "Steam Wallet 50", handle: "steam-wallet-50", sku: "STEAM", price: 50, codes: 30 },
    ],
  })
  logger.info(`Demo store ready: ${store.products.length} virtual products`)
  // Machine-readable lines for scripts/demo.js
  process.stdout.write(`PUBLISHABLE_KEY=${store.publishable_key}\n`)
  process.stdout.write(`DEMO_REGION_ID=${store.region_id}\n`)
  process.stdout.write(`DEMO_VARIANT_ID=${store.products[0].variant_id}\n`)
}
