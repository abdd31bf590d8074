import type { MedusaContainer } from "@medusajs/framework/types"
import { createProductsWorkflow } from "@medusajs/medusa/core-flows"
import { SUPPLIERS_MODULE } from "../../src/modules/suppliers"
import { GENERIC_HTTP_EXAMPLE_CONFIG } from "../../src/modules/suppliers/adapters/generic-http"
import type SuppliersModuleService from "../../src/modules/suppliers/service"
import type { VirtualStore } from "../../src/scripts/setup-virtual-store"
import { createSupplierProductWorkflow, createSupplierWorkflow } from "../../src/workflows/suppliers"
import { Api, completeCart, prepareCart, storeHeaders } from "./index"
import type { TopupSupplier } from "./topup-supplier"

/**
 * A top-up offer against the fake supplier: a generic-HTTP supplier (credentials sealed first, a short timeout so a
 * silent supplier costs little), a published variant "Mobile top-up 10" at 10 USD in the store's channel, and the
 * supplier's `mobile-10` product (cost 9.9, at most 9.95) fulfilling it, with a phone-number recipient.
 */
export async function createTopUpOffer(container: MedusaContainer, store: VirtualStore, fake: TopupSupplier): Promise<{ supplierId: string; variantId: string }> {
  const sealed = container.resolve<SuppliersModuleService>(SUPPLIERS_MODULE).sealCredentials(null, fake.credentials)
  const { result: supplier } = await createSupplierWorkflow(container).run({
    input: {
      id: sealed.supplier_id,
      name: "Fake top-ups",
      adapter: "generic_http",
      base_url: fake.url,
      config: GENERIC_HTTP_EXAMPLE_CONFIG,
      credentials: sealed.credentials,
      poll_interval_seconds: 1,
      timeout_ms: 2000,
    },
  })
  const { result } = await createProductsWorkflow(container).run({
    input: {
      products: [
        {
          title: "Mobile top-up 10",
          handle: "mobile-topup-10",
          status: "published",
          options: [{ title: "Plan", values: ["10"] }],
          variants: [{ title: "Mobile top-up 10", sku: "TOPUP10", manage_inventory: false, options: { Plan: "10" }, prices: [{ amount: 10, currency_code: "usd" }] }],
          sales_channels: [{ id: store.sales_channel_id }],
        },
      ],
    },
  })
  const variantId = result[0].variants[0].id
  await createSupplierProductWorkflow(container).run({
    input: {
      supplier_id: supplier.id,
      kind: "topup",
      upstream_product_id: "mobile-10",
      name: "Mobile top-up 10 CNY",
      unit_cost: "9.9",
      max_unit_cost: "9.95",
      variant_id: variantId,
      recipient_fields: [{ key: "account", label: "Phone number", pattern: "1[3-9]\\d{9}" }],
    },
  })
  return { supplierId: supplier.id, variantId }
}

/** Buys one top-up through the store API (cart, recipient, payment, completion); answers the order's id. */
export async function placeTopUpOrder(api: Api, store: VirtualStore, variantId: string, phone: string, email = "topup@example.com"): Promise<string> {
  const cart = await prepareCart(api, store, [{ variant_id: variantId, quantity: 1 }], { email })
  await api.post(`/store/virtual-goods/carts/${cart.id}/line-items/${cart.items[0].id}/recipient`, { recipient: { account: phone } }, { headers: storeHeaders(store) })
  const { data } = await completeCart(api, store, cart.id)
  if (data.type !== "order") throw new Error(`the top-up cart did not become an order: ${JSON.stringify(data).slice(0, 300)}`)
  return data.order.id as string
}
