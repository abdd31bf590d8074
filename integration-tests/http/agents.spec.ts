import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { createAdminHeaders, explainHttpErrors } from "../helpers"

jest.setTimeout(180_000)

/**
 * Resellers through the admin API and the wholesale API's keys: an agent tree, top-ups recorded in the ledger, keys
 * shown once and stored as hashes, refused when wrong, expired or revoked (at once), scopes checked at creation.
 */
medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer, dbConnection }) => {
    let admin: { headers: Record<string, string> }
    beforeAll(() => explainHttpErrors(api))
    beforeEach(async () => {
      admin = await createAdminHeaders(getContainer())
    })
    const asAgent = (key: string) => ({ headers: { authorization: `Bearer ${key}` } })
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
        expect.objectContaining({ kind: "topup", amount: 1200.5, currency_code: "cny", note: "bank transfer 0042", actor_type: "user", transaction_id: topped.transaction_id }),
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
      expect([unknownScope.status, unknownScope.data.message]).toEqual([400, "scopes must be one or more of catalog:read, orders:read, orders:write; unknown: admin"])
      const past = await api.post(`/admin/virtual-goods/agents/${agentId}/api-keys`, { name: "x", scopes: ["orders:read"], expires_at: "2020-01-01T00:00:00Z" }, admin).catch((e: any) => e.response)
      expect([past.status, past.data.message]).toEqual([400, "expires_at must be in the future"])
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
