import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { createCustomerGroupsWorkflow, createPriceListsWorkflow } from "@medusajs/medusa/core-flows"
import { Modules } from "@medusajs/framework/utils"
import path from "path"
import { createVirtualStore, listRoutes, asAgent } from "../helpers"
import { useAdmin } from "../helpers/fixtures"
import { AGENTS_MODULE } from "../../src/modules/agents"
import type AgentsModuleService from "../../src/modules/agents/service"

jest.setTimeout(180_000)

/**
 * Resellers through the admin API and the wholesale API's keys: an agent tree, top-ups recorded in the ledger, keys
 * shown once and stored as hashes, refused when wrong, expired or revoked (at once), scopes checked at creation.
 */
medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer, dbConnection }) => {
    const admin = useAdmin({ api, getContainer })
    const status = (p: Promise<any>) => p.then((r) => r.status).catch((e: any) => e.response?.status)

    it("builds an agent tree, tops up balances and lists the ledger", async () => {
      const { data: top } = await api.post(`/admin/virtual-goods/agents`, { name: "总代 Guangdong", currency_code: "CNY", credit_limit: "500" }, admin)
      expect(top.agent).toEqual(
        expect.objectContaining({
          id: expect.stringMatching(/^agent_/),
          name: "总代 Guangdong",
          parent_id: null,
          status: "active",
          accounts: [expect.objectContaining({ currency_code: "cny", balance: "0", credit_limit: "500", available: "500" })],
        })
      )
      const { data: sub } = await api.post(`/admin/virtual-goods/agents`, { name: "省代 Shenzhen", parent_id: top.agent.id, currency_code: "cny" }, admin)
      expect(sub.agent.parent_id).toBe(top.agent.id)

      const { data: topped } = await api.post(`/admin/virtual-goods/agents/${sub.agent.id}/topups`, { currency_code: "cny", amount: "1200.50", note: "bank transfer 0042" }, admin)
      expect(topped.transaction_id).toMatch(/^atxn_/)
      expect(topped.agent.accounts[0]).toEqual(expect.objectContaining({ balance: "1200.5", available: "1200.5" }))
      const { data: ledger } = await api.get(`/admin/virtual-goods/agents/${sub.agent.id}/ledger`, admin)
      expect(ledger.entries).toEqual([
        expect.objectContaining({ kind: "topup", amount: "1200.5", currency_code: "cny", note: "bank transfer 0042", actor_type: "user", transaction_id: topped.transaction_id }),
      ])
      const { rows } = await dbConnection.raw(`select sum(amount)::text as total from agent_ledger_entry where transaction_id = ?`, [topped.transaction_id])
      expect(rows[0].total).toBe("0.00")

      const { data: list } = await api.get(`/admin/virtual-goods/agents`, admin)
      expect(list.agents.map((a: any) => [a.name, a.parent_id])).toEqual([
        ["总代 Guangdong", null],
        ["省代 Shenzhen", top.agent.id],
      ])

      const bad = await api.post(`/admin/virtual-goods/agents/${sub.agent.id}/topups`, { currency_code: "cny", amount: "-5" }, admin).catch((e: any) => e.response)
      expect(bad.status).toBe(400)
      expect(bad.data.message).toContain("amount must be a positive decimal amount with at most 4 decimal places")
      const missing = await api.post(`/admin/virtual-goods/agents/agent_missing/topups`, { currency_code: "cny", amount: "5" }, admin).catch((e: any) => e.response)
      expect(missing.status).toBe(404)
      const orphan = await api.post(`/admin/virtual-goods/agents`, { name: "x", parent_id: "agent_missing", currency_code: "cny" }, admin).catch((e: any) => e.response)
      expect([orphan.status, orphan.data.message]).toEqual([404, "Parent agent with id: agent_missing was not found"])
    })

    it("links an agent to a Medusa customer, one agent per customer", async () => {
      const customer = await getContainer().resolve(Modules.CUSTOMER).createCustomers({ email: "agent.shop@example.com", first_name: "Li" })
      const { data } = await api.post(`/admin/virtual-goods/agents`, { name: "门店 Nanshan", currency_code: "cny", customer_id: customer.id }, admin)
      expect(data.agent.customer).toEqual({ id: customer.id, email: "agent.shop@example.com" })
      const twice = await api.post(`/admin/virtual-goods/agents`, { name: "again", currency_code: "cny", customer_id: customer.id }, admin).catch((e: any) => e.response)
      expect([twice.status, twice.data.message]).toEqual([400, `Customer ${customer.id} is already agent ${data.agent.id}`])
      const unknown = await api.post(`/admin/virtual-goods/agents`, { name: "x", currency_code: "cny", customer_id: "cus_missing" }, admin).catch((e: any) => e.response)
      expect([unknown.status, unknown.data.message]).toEqual([404, "Customer with id: cus_missing was not found"])
      const { data: list } = await api.get(`/admin/virtual-goods/agents`, admin)
      expect(list.agents.filter((a: any) => a.customer?.id === customer.id)).toHaveLength(1)
    })

    it("shows a key once, stores only its hash, and refuses it when wrong, expired or revoked", async () => {
      const { data } = await api.post(`/admin/virtual-goods/agents`, { name: "门店 Futian", currency_code: "cny" }, admin)
      const agentId = data.agent.id
      const created = await api.post(`/admin/virtual-goods/agents/${agentId}/api-keys`, { name: "shop system", scopes: ["catalog:read", "orders:write"] }, admin)
      expect(created.status).toBe(201)
      const { key, api_key } = created.data
      expect(key).toMatch(/^vgk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/)
      expect(api_key).toEqual(expect.objectContaining({ agent_id: agentId, name: "shop system", prefix: key.slice(4, 16), scopes: ["catalog:read", "orders:write"], revoked_at: null, last_used_at: null }))
      expect(JSON.stringify(api_key)).not.toContain(key.slice(17))
      const { rows: stored } = await dbConnection.raw(`select * from agent_api_key where id = ?`, [api_key.id])
      expect(JSON.stringify(stored)).not.toContain(key.slice(17))
      const { data: keys } = await api.get(`/admin/virtual-goods/agents/${agentId}/api-keys`, admin)
      expect(JSON.stringify(keys)).not.toMatch(/secret_hash|vgk_/)

      const { data: me } = await api.get(`/wholesale/me`, asAgent(key))
      expect(me).toEqual({ agent: expect.objectContaining({ id: agentId, name: "门店 Futian" }), scopes: ["catalog:read", "orders:write"] })
      expect((await api.get(`/wholesale/me`, { headers: { "x-api-key": key } })).status).toBe(200)
      const { data: after } = await api.get(`/admin/virtual-goods/agents/${agentId}/api-keys`, admin)
      expect(after.api_keys[0].last_used_at).not.toBeNull()

      const wrongSecret = key.slice(0, -1) + (key.endsWith("A") ? "B" : "A")
      expect(await status(api.get(`/wholesale/me`, asAgent(wrongSecret)))).toBe(401)
      expect(await status(api.get(`/wholesale/me`, asAgent("vgk_000000000000_" + "A".repeat(43))))).toBe(401)
      expect(await status(api.get(`/wholesale/me`, asAgent("not-a-key")))).toBe(401)

      const { data: revoked } = await api.delete(`/admin/virtual-goods/agents/${agentId}/api-keys/${api_key.id}`, admin)
      expect(revoked.api_key.revoked_at).not.toBeNull()
      const refused = await api.get(`/wholesale/me`, asAgent(key)).catch((e: any) => e.response)
      expect([refused.status, refused.data.message]).toEqual([401, "Invalid, expired or revoked API key"])

      const soon = await api.post(`/admin/virtual-goods/agents/${agentId}/api-keys`, { name: "short", scopes: ["orders:read"], expires_at: new Date(Date.now() + 60_000).toISOString() }, admin)
      expect((await api.get(`/wholesale/me`, asAgent(soon.data.key))).status).toBe(200)
      await dbConnection.raw(`update agent_api_key set expires_at = now() - interval '1 second' where id = ?`, [soon.data.api_key.id])
      expect(await status(api.get(`/wholesale/me`, asAgent(soon.data.key)))).toBe(401)

      const unknownScope = await api.post(`/admin/virtual-goods/agents/${agentId}/api-keys`, { name: "x", scopes: ["orders:write", "admin"] }, admin).catch((e: any) => e.response)
      expect([unknownScope.status, unknownScope.data.message]).toEqual([400, "scopes must be one or more of catalog:read, orders:read, orders:write, vouchers:redeem; unknown: admin"])
      const past = await api.post(`/admin/virtual-goods/agents/${agentId}/api-keys`, { name: "x", scopes: ["orders:read"], expires_at: "2020-01-01T00:00:00Z" }, admin).catch((e: any) => e.response)
      expect([past.status, past.data.message]).toEqual([400, "expires_at must be in the future"])
    })

    it("statements reconcile with the ledger: opening + entries = closing = balance, commissions per agent, as JSON and CSV", async () => {
      const create = async (body: any) => (await api.post(`/admin/virtual-goods/agents`, { currency_code: "cny", ...body }, admin)).data.agent.id as string
      const top = await create({ name: "Top" })
      const mid = await create({ name: "Mid", parent_id: top })
      const shop = await create({ name: "Shop", parent_id: mid, credit_limit: "100" })
      await api.post(`/admin/virtual-goods/agents/${shop}/topups`, { currency_code: "cny", amount: "500" }, admin)
      const ledger = getContainer().resolve(AGENTS_MODULE) as AgentsModuleService
      const prices = { [shop]: "45.5", [mid]: "42", [top]: "40" }
      for (const [i, quantity] of [3, 10].entries()) {
        await ledger.postPurchase({ buyer_agent_id: shop, currency_code: "cny", quantity, unit_prices: prices, reference_type: "order", reference_id: `order_s${i}`, actor: { type: "agent", id: shop } })
      }
      const today = new Date().toISOString().slice(0, 10)
      const statementOf = async (id: string) =>
        (await api.get(`/admin/virtual-goods/agents/${id}/statement?currency_code=CNY&from=${today}&to=${today}`, admin)).data.statement

      const shopStatement = await statementOf(shop)
      expect(shopStatement).toEqual(
        expect.objectContaining({ opening_balance: "0", closing_balance: "-91.5", totals: { topup: "500", purchase: "-591.5" } })
      )
      expect(shopStatement.entries.map((e: any) => [e.kind, e.amount, e.balance_after, e.reference_id])).toEqual([
        ["topup", "500", "500", null],
        ["purchase", "-136.5", "363.5", "order_s0"],
        ["purchase", "-455", "-91.5", "order_s1"],
      ])
      const { data: shopAgent } = await api.get(`/admin/virtual-goods/agents`, admin)
      const balanceOf = (id: string) => shopAgent.agents.find((a: any) => a.id === id).accounts[0].balance
      expect(balanceOf(shop)).toBe(shopStatement.closing_balance)
      // Mid earns (45.5 - 42) × 13, Top (42 - 40) × 13.
      expect((await statementOf(mid)).totals).toEqual({ purchase: "45.5" })
      expect((await statementOf(top)).totals).toEqual({ purchase: "26" })
      expect(balanceOf(mid)).toBe("45.5")
      expect(balanceOf(top)).toBe("26")

      // A later period starts where this one closed.
      const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10)
      const { data: later } = await api.get(`/admin/virtual-goods/agents/${shop}/statement?from=${tomorrow}&to=${tomorrow}`, admin)
      expect(later.statement).toEqual(expect.objectContaining({ opening_balance: "-91.5", closing_balance: "-91.5", entries: [], totals: {} }))

      const csv = await api.get(`/admin/virtual-goods/agents/${shop}/statement?from=${today}&to=${today}&format=csv`, admin)
      expect(csv.headers["content-type"]).toContain("text/csv")
      const rows = String(csv.data).trim().split("\n")
      expect(rows[0]).toBe("date,kind,amount,balance_after,reference_type,reference_id,note,transaction_id")
      expect(rows[1]).toBe(",opening_balance,,0,,,,")
      expect(rows.slice(2, 5).map((r) => r.split(",").slice(1, 6).join(","))).toEqual([
        "topup,500,500,,",
        "purchase,-136.5,363.5,order,order_s0",
        "purchase,-455,-91.5,order,order_s1",
      ])
      expect(rows.slice(5)).toEqual([",total_topup,500,,,,,", ",total_purchase,-591.5,,,,,", ",closing_balance,,-91.5,,,,"])

      const bad = await api.get(`/admin/virtual-goods/agents/${shop}/statement?from=2026-02-01&to=2026-01-01`, admin).catch((e: any) => e.response)
      expect([bad.status, bad.data.message]).toEqual([400, "Invalid request: from must not be after to"])
    })

    it("the wholesale catalog prices each variant at the agent's tier through Medusa's price lists, with stock", async () => {
      const store = await createVirtualStore(getContainer(), 7)
      const youku = store.products[0]
      const { result: groups } = await createCustomerGroupsWorkflow(getContainer()).run({ input: { customersData: [{ name: "Tier 2 — 省代" }] } })
      const tier = groups[0].id
      await createPriceListsWorkflow(getContainer()).run({
        input: {
          price_lists_data: [
            {
              title: "省代 prices",
              description: "Tier 2 agents",
              status: "active" as any,
              rules: { "customer.groups.id": [tier] },
              prices: [{ amount: 11.5, currency_code: "usd", variant_id: youku.variant_id }],
            },
          ],
        },
      })
      const make = async (body: any) => (await api.post(`/admin/virtual-goods/agents`, { currency_code: "usd", ...body }, admin)).data.agent.id as string
      const tiered = await make({ name: "Tiered", customer_group_id: tier, credit_limit: "20" })
      const plain = await make({ name: "No tier" })
      const keyOf = async (id: string, scopes: string[]) =>
        (await api.post(`/admin/virtual-goods/agents/${id}/api-keys`, { name: "k", scopes }, admin)).data.key as string

      const { data: tieredCatalog } = await api.get(`/wholesale/catalog`, asAgent(await keyOf(tiered, ["catalog:read"])))
      const byVariant = (c: any) => Object.fromEntries(c.items.map((i: any) => [i.variant_id, [i.unit_price, i.available]]))
      expect(byVariant(tieredCatalog)).toEqual({ [youku.variant_id]: [11.5, 7], [store.products[1].variant_id]: [10, 0] })
      expect(tieredCatalog.account).toEqual({ currency_code: "usd", balance: "0", credit_limit: "20", available: "20" })
      const { data: plainCatalog } = await api.get(`/wholesale/catalog`, asAgent(await keyOf(plain, ["catalog:read", "orders:read"])))
      expect(byVariant(plainCatalog)).toEqual({ [youku.variant_id]: [15, 7], [store.products[1].variant_id]: [10, 0] })

      const noScope = await api.get(`/wholesale/catalog`, asAgent(await keyOf(plain, ["orders:write"]))).catch((e: any) => e.response)
      expect([noScope.status, noScope.data.message]).toEqual([403, "This API key lacks the scope catalog:read"])
    })

    it("serves the wholesale API's OpenAPI document, covering exactly the wholesale routes", async () => {
      const { data } = await api.get(`/docs/wholesale-api`)
      expect(data.openapi).toBe("3.1.0")
      const documented = Object.entries(data.paths).flatMap(([p, ops]: [string, any]) => Object.keys(ops).map((m) => `${m} ${p}`)).sort()
      const routes = listRoutes(path.join(__dirname, "../../src/api"))
        // The dujiao-next compatible routes speak that protocol (documented in docs/dujiao-next.md), not this API.
        .filter((r) => r.path.startsWith("/wholesale") && !r.path.startsWith("/wholesale/dujiao/"))
        .map((r) => `${r.method} ${r.path.replace(/\/(\w+)_sample\b/g, "/{$1}")}`)
        .sort()
      expect(documented).toEqual(routes)
      for (const [, ops] of Object.entries<any>(data.paths)) {
        for (const op of Object.values<any>(ops)) expect(Object.keys(op.responses)).toContain("401")
      }
    })

    it("sets quotas per variant through the admin API and refuses bad ones", async () => {
      const { data } = await api.post(`/admin/virtual-goods/agents`, { name: "Quota shop", currency_code: "cny" }, admin)
      const id = data.agent.id
      const { data: set } = await api.post(`/admin/virtual-goods/agents/${id}/quotas`, { variant_id: "variant_x", limit: 100, period: "month" }, admin)
      expect(set.quota).toEqual(expect.objectContaining({ variant_id: "variant_x", quota_limit: 100, period: "month", used: 0 }))
      const ledger = getContainer().resolve(AGENTS_MODULE) as AgentsModuleService
      await ledger.consumeQuota({ agent_id: id, variant_id: "variant_x", quantity: 30 })
      const { data: raised } = await api.post(`/admin/virtual-goods/agents/${id}/quotas`, { variant_id: "variant_x", limit: 150, period: "month" }, admin)
      expect(raised.quota).toEqual(expect.objectContaining({ quota_limit: 150, used: 30 }))
      const below = await api.post(`/admin/virtual-goods/agents/${id}/quotas`, { variant_id: "variant_x", limit: 10, period: "month" }, admin).catch((e: any) => e.response)
      expect([below.status, below.data.message]).toEqual([400, `limit 10 is below what agent ${id} already used of variant variant_x in this period`])
      const bad = await api.post(`/admin/virtual-goods/agents/${id}/quotas`, { variant_id: "variant_x", limit: 1.5 }, admin).catch((e: any) => e.response)
      expect(bad.status).toBe(400)
      const { data: list } = await api.get(`/admin/virtual-goods/agents/${id}/quotas`, admin)
      expect(list.quotas).toEqual([expect.objectContaining({ variant_id: "variant_x", quota_limit: 150, used: 30, remaining: 120, period: "month" })])
      // A period that ended without a purchase since shows nothing used, as the next purchase will count.
      await dbConnection.raw(`update agent_quota set period_start = now() - interval '40 days' where agent_id = ?`, [id])
      expect((await api.get(`/admin/virtual-goods/agents/${id}/quotas`, admin)).data.quotas[0]).toEqual(expect.objectContaining({ used: 0, remaining: 150 }))
      await api.delete(`/admin/virtual-goods/agents/${id}/quotas/${list.quotas[0].id}`, admin)
      expect((await api.get(`/admin/virtual-goods/agents/${id}/quotas`, admin)).data.quotas).toEqual([])
      expect(await ledger.consumeQuota({ agent_id: id, variant_id: "variant_x", quantity: 1000 })).toEqual({ limited: false })
      const missing = await api.delete(`/admin/virtual-goods/agents/${id}/quotas/aquota_missing`, admin).catch((e: any) => e.response)
      expect(missing.status).toBe(404)
    })

    it("a frozen agent's keys stop working and it gets no new one", async () => {
      const { data } = await api.post(`/admin/virtual-goods/agents`, { name: "Frozen", currency_code: "cny" }, admin)
      const { data: created } = await api.post(`/admin/virtual-goods/agents/${data.agent.id}/api-keys`, { name: "k", scopes: ["orders:read"] }, admin)
      await dbConnection.raw(`update agent set status = 'frozen' where id = ?`, [data.agent.id])
      const refused = await api.get(`/wholesale/me`, asAgent(created.key)).catch((e: any) => e.response)
      expect([refused.status, refused.data.message]).toEqual([400, `Agent ${data.agent.id} is frozen`])
      const noKey = await api.post(`/admin/virtual-goods/agents/${data.agent.id}/api-keys`, { name: "k2", scopes: ["orders:read"] }, admin).catch((e: any) => e.response)
      expect([noKey.status, noKey.data.message]).toEqual([400, `Agent ${data.agent.id} is frozen: it gets no new API key`])
    })
  },
})
