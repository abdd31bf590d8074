import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { maskCode } from "../../src/modules/card-vault/utils/crypto"
import { SUPPLIERS_MODULE } from "../../src/modules/suppliers"
import type SuppliersModuleService from "../../src/modules/suppliers/service"
import { createSupplierProductWorkflow, createSupplierWorkflow, restockPoolsFromSuppliers } from "../../src/workflows/suppliers"
import { importRestockCodes } from "../../src/workflows/suppliers/utils/import-restock-codes"
import { cardVaultModule } from "../../src/workflows/virtual-goods/utils/card-vault-module"
import { createCardPoolWorkflow } from "../../src/workflows/virtual-goods/workflows/create-card-pool"
import { medusaStoreAdapter } from "../../src/modules/suppliers/adapters/medusa-store"
import type { SubmitOrderInput, SupplierConnection } from "../../src/modules/suppliers/adapters/types"
import { liftedRateLimits } from "../helpers/env"
import { seedUpstreamOffer, startUpstreamStore, upstreamAdmin as upstreamAdminOf, type UpstreamStore } from "../helpers/upstream-store"

jest.setTimeout(300_000)

// The downstream's suppliers module may reach the upstream on loopback in this test only.
process.env.VIRTUAL_GOODS_ALLOW_PRIVATE_SUPPLIERS = "true"

const UPSTREAM_DB = process.env.SITE_DOCKING_UPSTREAM_DB || "medusa_virtual_goods_test_upstream"

/** The codes imported into the upstream store's pool: what the downstream must receive, exactly. */
const IMPORTED = Array.from({ length: 6 }, (_, i) => `DOCK-${String(i + 1).padStart(4, "0")}-${Math.random().toString(36).slice(2, 10).toUpperCase()}`)

// The upstream boots (database, migrations, admin user, server) while the runner boots the downstream app.
const upstreamStarting = startUpstreamStore({
  database: UPSTREAM_DB,
  // The failure budget of the wholesale surface is spent by the deliberate refusals below.
  env: { VIRTUAL_GOODS_RATE_LIMITS: liftedRateLimits("wholesale") },
})
upstreamStarting.catch(() => undefined) // awaited (and reported) in beforeAll

/**
 * Site-to-site docking: this test's app is the downstream store; a second, real app of this plugin in its own process
 * and database is the upstream. The downstream reaches it through the `medusa_store` adapter with an agent key of the
 * upstream: products at the agent's price, orders exactly once per order number with the codes imported upstream,
 * queries by order number, refusals that are definite failures, and a bad key that is never one.
 */
medusaIntegrationTestRunner({
  testSuite: ({ getContainer }) => {
    let upstream: UpstreamStore
    let variantId: string
    const agents: Record<"shop" | "poor", { id: string; key: string }> = { shop: { id: "", key: "" }, poor: { id: "", key: "" } }

    const upstreamAdmin = (method: string, path: string, body?: unknown) => upstreamAdminOf(upstream, method, path, body)

    const conn = (key: string): SupplierConnection => ({
      supplier_id: "sup_upstream",
      base_url: upstream.url,
      credentials: { api_key: key },
      config: {},
      timeout_ms: 15_000,
      allow_private_addresses: true,
      callback_url: null,
    })
    const order = (overrides: Partial<SubmitOrderInput>): SubmitOrderInput => ({
      order_no: "SD-0001",
      product_id: variantId,
      quantity: 2,
      recipient: null,
      max_unit_cost: null,
      ...overrides,
    })
    const ledgerOf = async (agentId: string) =>
      ((await upstreamAdmin("GET", `/admin/virtual-goods/agents/${agentId}/ledger`)).entries as { kind: string; amount: string }[]).map((e) => [e.kind, e.amount])
    const codesOf = (answer: { codes?: { code: string }[] }) => (answer.codes ?? []).map((c) => c.code).sort()

    beforeAll(async () => {
      upstream = await upstreamStarting
      // The upstream store, through its admin API: a product whose variant sells from a pool holding the imported codes,
      // a reseller tier pricing it at 7.25 (10 for everyone else), and two agents.
      const offer = await seedUpstreamOffer(upstream, {
        product: "Upstream voucher",
        variant: "Standard",
        sku: "UPV-STD",
        price: 10,
        agent_price: 7.25,
        codes: IMPORTED,
        agents: { shop: "100", poor: "5" },
      })
      variantId = offer.variant_id
      agents.shop = offer.agents.shop
      agents.poor = offer.agents.poor
    })

    afterAll(async () => {
      await (await upstreamStarting.catch(() => null))?.stop()
    })

    it("ping, balance and products: the agent, its available balance, the variant at the agent's price with its stock", async () => {
      expect(await medusaStoreAdapter.ping(conn(agents.shop.key))).toEqual({ ok: true, detail: `agent Downstream shop (${agents.shop.id})` })
      expect(await medusaStoreAdapter.balance(conn(agents.shop.key))).toEqual({ amount: "100", currency_code: "usd" })
      expect(await medusaStoreAdapter.listProducts(conn(agents.shop.key))).toEqual([
        { id: variantId, name: "Standard (UPV-STD)", kind: "codes", unit_cost: "7.25", currency_code: "usd", stock: 6 },
      ])
    })

    it("an order: the exact codes imported upstream; the same order number again → the same codes, charged once; a query finds it", async () => {
      const since = new Date(Date.now() - 60_000)
      const first = await medusaStoreAdapter.submitOrder(conn(agents.shop.key), order({}))
      expect(first).toEqual(
        expect.objectContaining({ state: "succeeded", reason: null, http_status: 201, total_cost: "14.5", upstream_order_no: expect.stringMatching(/^aord_/) })
      )
      const codes = codesOf(first)
      expect(codes).toHaveLength(2)
      for (const code of codes) expect(IMPORTED).toContain(code)
      expect(first.codes!.every((c) => c.password === null)).toBe(true)
      for (const code of IMPORTED) expect(JSON.stringify(first.answer)).not.toContain(code)

      const again = await medusaStoreAdapter.submitOrder(conn(agents.shop.key), order({}))
      expect(again).toEqual(expect.objectContaining({ state: "succeeded", upstream_order_no: first.upstream_order_no, total_cost: "14.5" }))
      expect(codesOf(again)).toEqual(codes)
      expect(await ledgerOf(agents.shop.id)).toEqual([
        ["purchase", "-14.5"],
        ["topup", "100"],
      ])
      expect(await medusaStoreAdapter.balance(conn(agents.shop.key))).toEqual({ amount: "85.5", currency_code: "usd" })

      const queried = await medusaStoreAdapter.queryOrder(conn(agents.shop.key), "SD-0001")
      expect(queried).toEqual(expect.objectContaining({ state: "succeeded", upstream_order_no: first.upstream_order_no, total_cost: "14.5", http_status: 200 }))
      expect(codesOf(queried)).toEqual(codes)
      expect(await medusaStoreAdapter.queryOrder(conn(agents.shop.key), "SD-NEVER-SENT")).toEqual(expect.objectContaining({ state: "not_found" }))
      expect(await medusaStoreAdapter.listOrders(conn(agents.shop.key), since)).toEqual([{ order_no: "SD-0001", state: "succeeded", total_cost: "14.5" }])
      expect((await medusaStoreAdapter.listProducts(conn(agents.shop.key)))[0].stock).toBe(4)
      expect(await ledgerOf(agents.shop.id)).toHaveLength(2)
    })

    it("refusals are definite failures with nothing charged: insufficient credit, out of stock, an unknown variant", async () => {
      const insufficient = await medusaStoreAdapter.submitOrder(conn(agents.poor.key), order({ order_no: "SD-POOR-1", quantity: 1 }))
      expect(insufficient).toEqual(
        expect.objectContaining({ state: "failed", http_status: 400, reason: "Insufficient funds: the posting would take an agent below its balance plus credit limit" })
      )
      expect(await ledgerOf(agents.poor.id)).toEqual([["topup", "5"]])
      expect(await medusaStoreAdapter.queryOrder(conn(agents.poor.key), "SD-POOR-1")).toEqual(expect.objectContaining({ state: "not_found" }))

      const stock = (await medusaStoreAdapter.listProducts(conn(agents.shop.key)))[0].stock!
      const outOfStock = await medusaStoreAdapter.submitOrder(conn(agents.shop.key), order({ order_no: "SD-0002", quantity: stock + 1 }))
      expect(outOfStock).toEqual(
        expect.objectContaining({ state: "failed", http_status: 400, reason: expect.stringContaining(`Out of stock: `) })
      )
      expect(outOfStock.reason).toContain(`(requested ${stock + 1}, available ${stock})`)
      const unknownVariant = await medusaStoreAdapter.submitOrder(conn(agents.shop.key), order({ order_no: "SD-0003", product_id: "variant_01NOSUCHVARIANT" }))
      expect(unknownVariant).toEqual(
        expect.objectContaining({ state: "failed", http_status: 404, reason: "items[0].variant_id: variant variant_01NOSUCHVARIANT was not found" })
      )
      expect(await medusaStoreAdapter.balance(conn(agents.shop.key))).toEqual({ amount: "85.5", currency_code: "usd" })
    })

    it("a bad key is never a failure: unknown for orders and queries, ping not ok", async () => {
      const bad = conn("vgk_000000000000_wrongsecretwrongsecretwrongsecret")
      const submitted = await medusaStoreAdapter.submitOrder(bad, order({ order_no: "SD-BADKEY" }))
      expect(submitted).toEqual(expect.objectContaining({ state: "unknown", http_status: 401, reason: expect.stringMatching(/^the upstream store refused our API key \(HTTP 401/) }))
      expect(JSON.stringify(submitted)).not.toContain("wrongsecret")
      expect(await medusaStoreAdapter.queryOrder(bad, "SD-0001")).toEqual(expect.objectContaining({ state: "unknown", http_status: 401 }))
      expect(await medusaStoreAdapter.ping(bad)).toEqual({ ok: false, detail: expect.stringMatching(/^the upstream store refused our API key \(HTTP 401\)/) })
    })

    it("restocks a pool from the upstream when it runs low: the codes imported once as a batch with the real unit cost, within the daily cap", async () => {
      const container = getContainer()
      const vault = cardVaultModule(container)
      const suppliers = container.resolve<SuppliersModuleService>(SUPPLIERS_MODULE)
      const { result: pool } = await createCardPoolWorkflow(container).run({ input: { name: "Restocked vouchers" } })
      const sealed = suppliers.sealCredentials(null, { api_key: agents.shop.key })
      await createSupplierWorkflow(container).run({ input: { id: sealed.supplier_id, name: "Upstream store", adapter: "medusa_store", base_url: upstream.url, credentials: sealed.credentials } })
      const { result: product } = await createSupplierProductWorkflow(container).run({
        input: {
          supplier_id: sealed.supplier_id,
          kind: "codes",
          upstream_product_id: variantId,
          name: "Upstream voucher",
          unit_cost: "7.25",
          max_unit_cost: "8",
          currency_code: "usd",
          restock_threshold: 1,
          restock_quantity: 3,
          restock_daily_cap: 3,
          pool_id: pool.id,
        },
      })
      const stockBefore = (await medusaStoreAdapter.listProducts(conn(agents.shop.key)))[0].stock!
      const ledgerBefore = (await ledgerOf(agents.shop.id)).length

      const first = await restockPoolsFromSuppliers(container)
      expect(first).toEqual([expect.objectContaining({ supplier_product_id: product.id, pool_id: pool.id, outcome: "bought", quantity: 3, status: "succeeded" })])
      expect((await vault.getAvailableCounts([pool.id]))[pool.id]).toBe(3)
      const batches = await vault.listCardBatches({ pool_id: pool.id })
      expect(batches).toEqual([expect.objectContaining({ supplier: "Upstream store", cost_per_code: 7.25, currency_code: "usd", code_count: 3 })])
      const masks = (await vault.listCardCodes({ pool_id: pool.id }, { select: ["mask"] })).map((c) => c.mask)
      for (const mask of masks) expect(IMPORTED.map(maskCode)).toContain(mask)
      expect((await medusaStoreAdapter.listProducts(conn(agents.shop.key)))[0].stock).toBe(stockBefore - 3)
      expect((await ledgerOf(agents.shop.id))[0]).toEqual(["purchase", "-21.75"])
      expect(await ledgerOf(agents.shop.id)).toHaveLength(ledgerBefore + 1)
      const order = await suppliers.retrieveSupplierOrderRow(first[0].supplier_order_id!)
      expect(order).toEqual(expect.objectContaining({ kind: "restock", status: "succeeded", cost: "21.75", batch_id: batches[0].id, attempts: 1 }))

      // The same delivery again (a query after a crash between the import and the status): the batch is found, nothing imported twice.
      const again = await medusaStoreAdapter.queryOrder(conn(agents.shop.key), order.id)
      expect(await importRestockCodes(container, order, again)).toEqual({ batch_id: batches[0].id, imported: 3 })
      expect((await vault.getAvailableCounts([pool.id]))[pool.id]).toBe(3)

      // Above its threshold: nothing bought. Below it again but the day's cap is spent: nothing bought.
      expect(await restockPoolsFromSuppliers(container)).toEqual([expect.objectContaining({ outcome: "stocked" })])
      await suppliers.updateSupplierRow("supplier_product", product.id, { restock_threshold: 10 })
      expect(await restockPoolsFromSuppliers(container)).toEqual([expect.objectContaining({ outcome: "capped" })])
      // A price over its maximum: refused before anything is sent, a finding for the admins.
      await suppliers.updateSupplierRow("supplier_product", product.id, { restock_daily_cap: null, unit_cost: "8.5" })
      expect(await restockPoolsFromSuppliers(container)).toEqual([expect.objectContaining({ outcome: "over_price" })])
      expect(await suppliers.listSupplierFindings({ kind: "price_over_limit" })).toHaveLength(1)
      expect((await vault.getAvailableCounts([pool.id]))[pool.id]).toBe(3)
      expect(await ledgerOf(agents.shop.id)).toHaveLength(ledgerBefore + 1)
    })
  },
})
