import { Badge, Button, Container, Heading, Text, toast, usePrompt } from "@medusajs/ui"
import { FormEvent, useEffect, useState } from "react"
import { useTranslation } from "react-i18next"
import { Link } from "react-router-dom"
import { ErrorText, formatAmount, linkClass } from "../../../../components/common"
import { DataTable, type Column } from "../../../../components/data-table"
import { InputField } from "../../../../components/fields"
import { useAgents, useUpdateAgent } from "../../../../hooks/api/agents"
import { errorMessage } from "../../../../lib/utils"
import type { Account, Agent } from "../../../../types"
import { AgentTier } from "./agent-tier"
import { CurrencySelect } from "./currency-select"
import { SummaryField } from "./summary-field"

/** The agent's name and status (freeze behind a confirmation), parent, sub-agents, customer, tier, accounts and credit limit. */
export const AgentSummary = ({ agent }: { agent: Agent }) => {
  const { t } = useTranslation()
  const prompt = usePrompt()
  const { data: all } = useAgents()
  const parent = all?.agents.find((a) => a.id === agent.parent_id)
  const children = (all?.agents ?? []).filter((a) => a.parent_id === agent.id)
  const update = useUpdateAgent(agent.id)
  const [currency, setCurrency] = useState(agent.accounts[0]?.currency_code ?? "")
  const account = agent.accounts.find((a) => a.currency_code === currency)
  const [credit, setCredit] = useState(account?.credit_limit ?? "")
  const [problem, setProblem] = useState<string | null>(null)
  useEffect(() => setCredit(account?.credit_limit ?? ""), [account?.credit_limit])

  const toggleFrozen = async () => {
    const freezing = agent.status === "active"
    const ok = await prompt({
      title: t("virtualGoods.agentDetail.freezeTitle", { name: agent.name, action: t(freezing ? "virtualGoods.agentDetail.freeze" : "virtualGoods.agentDetail.unfreeze") }),
      description: t(freezing ? "virtualGoods.agentDetail.freezeHint" : "virtualGoods.agentDetail.unfreezeHint", { name: agent.name }),
      confirmText: t(freezing ? "virtualGoods.agentDetail.freeze" : "virtualGoods.agentDetail.unfreeze"),
      cancelText: t("virtualGoods.common.cancel"),
    })
    if (!ok) return
    try {
      await update.mutateAsync({ status: freezing ? "frozen" : "active" })
    } catch (e) {
      toast.error(errorMessage(e))
    }
  }

  const saveCredit = async (e: FormEvent) => {
    e.preventDefault()
    setProblem(null)
    try {
      await update.mutateAsync({ credit_limit: credit.trim(), currency_code: currency })
      toast.success(t("virtualGoods.common.saved"))
    } catch (err) {
      setProblem(errorMessage(err))
    }
  }

  const columns: Column<Account>[] = [
    { header: t("virtualGoods.agents.currency"), cell: (a) => a.currency_code.toUpperCase() },
    { header: t("virtualGoods.agents.columns.balance"), align: "right", col: "balance", cell: (a) => formatAmount(a.balance, a.currency_code) },
    { header: t("virtualGoods.agents.columns.credit"), align: "right", col: "credit", cell: (a) => formatAmount(a.credit_limit, a.currency_code) },
    { header: t("virtualGoods.agents.columns.available"), align: "right", col: "available", cell: (a) => formatAmount(a.available, a.currency_code) },
  ]

  return (
    <Container className="divide-y p-0" data-testid="agent-summary">
      <div className="flex items-start justify-between gap-4 px-6 py-4">
        <div className="flex flex-col gap-y-1">
          <div className="flex items-center gap-x-2">
            <Heading level="h1">{agent.name}</Heading>
            <Badge size="2xsmall" color={agent.status === "active" ? "green" : "red"} data-status={agent.status}>
              {t(`virtualGoods.agentDetail.status.${agent.status}`, { defaultValue: agent.status })}
            </Badge>
          </div>
          <Text size="small" className="font-mono text-ui-fg-subtle">
            {agent.id}
          </Text>
        </div>
        <Button size="small" variant={agent.status === "active" ? "danger" : "secondary"} onClick={toggleFrozen}>
          {t(agent.status === "active" ? "virtualGoods.agentDetail.freeze" : "virtualGoods.agentDetail.unfreeze")}
        </Button>
      </div>
      <div className="grid grid-cols-1 gap-4 px-6 py-4 md:grid-cols-3">
        <SummaryField label={t("virtualGoods.agentDetail.parent")} testId="agent-parent">
          {agent.parent_id ? (
            <Link className={linkClass} to={`/virtual-goods/agents/${agent.parent_id}`}>
              {parent?.name ?? agent.parent_id}
            </Link>
          ) : (
            t("virtualGoods.agentDetail.topLevel")
          )}
        </SummaryField>
        <SummaryField label={t("virtualGoods.agentDetail.subAgents")} testId="agent-children">
          {children.length ? (
            <span className="flex flex-wrap gap-x-3">
              {children.map((c) => (
                <Link key={c.id} className={linkClass} to={`/virtual-goods/agents/${c.id}`}>
                  {c.name}
                </Link>
              ))}
            </span>
          ) : (
            t("virtualGoods.common.none")
          )}
        </SummaryField>
        <SummaryField label={t("virtualGoods.agentDetail.customer")}>
          {agent.customer ? (
            <Link className={linkClass} to={`/customers/${agent.customer.id}`}>
              {agent.customer.email ?? agent.customer.id}
            </Link>
          ) : (
            t("virtualGoods.common.none")
          )}
        </SummaryField>
        <div className="md:col-span-3">
          <AgentTier groupId={agent.customer_group_id} />
        </div>
      </div>
      <DataTable
        testId="agent-accounts"
        columns={columns}
        rows={agent.accounts}
        rowKey={(a) => a.account_id}
        rowProps={(a) => ({ "data-currency": a.currency_code })}
      />
      {!!agent.accounts.length && (
        <form className="flex flex-wrap items-end gap-4 px-6 py-4" onSubmit={saveCredit}>
          {agent.accounts.length > 1 && <CurrencySelect agent={agent} value={currency} onChange={setCurrency} />}
          <InputField
            id="vg-agent-credit-limit"
            className="flex w-48 flex-col gap-y-2"
            label={`${t("virtualGoods.agents.credit")} (${currency.toUpperCase()})`}
            inputMode="decimal"
            value={credit}
            onChange={(e) => setCredit(e.target.value)}
          />
          <Button size="small" variant="secondary" type="submit" isLoading={update.isPending} disabled={!credit.trim() || credit.trim() === account?.credit_limit}>
            {t("virtualGoods.common.save")}
          </Button>
          <ErrorText className="w-full">{problem}</ErrorText>
        </form>
      )}
    </Container>
  )
}
