import { defineRouteConfig } from "@medusajs/admin-sdk"
import { Badge, Button, Container } from "@medusajs/ui"
import { useState } from "react"
import { useTranslation } from "react-i18next"
import { Link } from "react-router-dom"
import { linkClass } from "../../../components/common"
import { DataTable, type Column } from "../../../components/data-table"
import { SectionHeader } from "../../../components/section-header"
import { useAgents } from "../../../hooks/api/agents"
import type { Agent } from "../../../types"
import { ApiKeysDrawer } from "./components/api-keys-drawer"
import { CreateAgentDrawer } from "./components/create-agent-drawer"
import { MoneyDrawer } from "./components/money-drawer"

type TreeRow = { agent: Agent; depth: number }

/** Depth-first order: every agent right under its parent, with its depth. */
const tree = (agents: Agent[]): TreeRow[] => {
  const rows: TreeRow[] = []
  const children = new Map<string | null, Agent[]>()
  for (const a of agents) children.set(a.parent_id, [...(children.get(a.parent_id) ?? []), a])
  const walk = (parent: string | null, depth: number) => {
    for (const a of children.get(parent) ?? []) {
      rows.push({ agent: a, depth })
      walk(a.id, depth + 1)
    }
  }
  walk(null, 0)
  return rows
}

/** Agents in their tree (总代 → 省代 → 门店), each with balance, credit and what is available; top-ups and API keys. */
const AgentsPage = () => {
  const { t } = useTranslation()
  const { data, isLoading, error, refetch } = useAgents()
  const [topUp, setTopUp] = useState<Agent | null>(null)
  const [keysOf, setKeysOf] = useState<Agent | null>(null)
  const rows = tree(data?.agents ?? [])
  // The list shows each agent's first account.
  const amount = (agent: Agent, field: "balance" | "credit_limit" | "available") => {
    const account = agent.accounts[0]
    return account ? `${account[field]} ${account.currency_code.toUpperCase()}` : "—"
  }
  const columns: Column<TreeRow>[] = [
    {
      header: t("virtualGoods.agents.columns.name"),
      cell: ({ agent, depth }) => (
        <span style={{ paddingLeft: depth * 20 }}>
          {depth > 0 ? "└ " : ""}
          <Link className={linkClass} to={`/virtual-goods/agents/${agent.id}`}>
            {agent.name}
          </Link>
        </span>
      ),
    },
    {
      header: t("virtualGoods.agents.columns.status"),
      cell: ({ agent }) => (
        <Badge size="2xsmall" color={agent.status === "active" ? "green" : "red"} data-status={agent.status}>
          {t(`virtualGoods.agentDetail.status.${agent.status}`, { defaultValue: agent.status })}
        </Badge>
      ),
    },
    { header: t("virtualGoods.agents.columns.balance"), align: "right", col: "balance", cell: ({ agent }) => amount(agent, "balance") },
    { header: t("virtualGoods.agents.columns.credit"), align: "right", cell: ({ agent }) => amount(agent, "credit_limit") },
    { header: t("virtualGoods.agents.columns.available"), align: "right", col: "available", cell: ({ agent }) => amount(agent, "available") },
    {
      cell: ({ agent }) => (
        <div className="flex justify-end gap-2">
          <Button size="small" variant="transparent" onClick={() => setTopUp(agent)}>
            {t("virtualGoods.agents.topUp")}
          </Button>
          <Button size="small" variant="transparent" onClick={() => setKeysOf(agent)}>
            {t("virtualGoods.agents.keys")}
          </Button>
        </div>
      ),
    },
  ]

  return (
    <Container className="divide-y p-0">
      <SectionHeader level="h1" title={t("virtualGoods.agents.title")} hint={t("virtualGoods.agents.subtitle")} actions={<CreateAgentDrawer agents={data?.agents ?? []} />} />
      <DataTable
        testId="agents-table"
        columns={columns}
        rows={rows}
        rowKey={(r) => r.agent.id}
        rowProps={(r) => ({ "data-agent": r.agent.id, "data-depth": r.depth })}
        isLoading={isLoading}
        error={error}
        onRetry={() => refetch()}
        empty={data && !rows.length && t("virtualGoods.agents.empty")}
        emptyCentered
      />
      <MoneyDrawer
        agent={topUp}
        kind={topUp ? "topup" : null}
        onClose={() => setTopUp(null)}
        postedMessage={(agent, balance) => t("virtualGoods.agents.toppedUp", { name: agent.name, balance })}
      />
      <ApiKeysDrawer agent={keysOf} onClose={() => setKeysOf(null)} />
    </Container>
  )
}

export const config = defineRouteConfig({
  label: "virtualGoods.agents.menu",
  translationNs: "translation",
})

export default AgentsPage
