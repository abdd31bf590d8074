import { Button, Container } from "@medusajs/ui"
import { useState } from "react"
import { useTranslation } from "react-i18next"
import { formatAmount, formatDate } from "../../../../components/common"
import { DataTable, type Column } from "../../../../components/data-table"
import { SectionHeader } from "../../../../components/section-header"
import { useAgentLedger } from "../../../../hooks/api/agents"
import type { Agent, LedgerEntry } from "../../../../types"
import { MoneyDrawer } from "./money-drawer"

/** An entry's note, else what it refers to (a wholesale order, the transaction a refund reverses). */
export const noteOrReference = (e: Pick<LedgerEntry, "note" | "reference_type" | "reference_id">) =>
  e.note ?? (e.reference_type && e.reference_id ? `${e.reference_type} ${e.reference_id}` : "—")

/** The agent's ledger, newest first, with top-ups and signed adjustments. */
export const LedgerSection = ({ agent }: { agent: Agent }) => {
  const { t, i18n } = useTranslation()
  const [offset, setOffset] = useState(0)
  const [dialog, setDialog] = useState<"topup" | "adjustment" | null>(null)
  const { data, isLoading, error, refetch } = useAgentLedger(agent.id, offset)
  const columns: Column<LedgerEntry>[] = [
    { header: t("virtualGoods.agentDetail.columns.when"), cell: (e) => formatDate(e.created_at, i18n.language) },
    { header: t("virtualGoods.agentDetail.columns.kind"), cell: (e) => t(`virtualGoods.agentDetail.kind.${e.kind}`, { defaultValue: e.kind }) },
    { header: t("virtualGoods.agentDetail.columns.amount"), align: "right", col: "amount", cell: (e) => formatAmount(e.amount, e.currency_code) },
    { header: t("virtualGoods.agentDetail.columns.note"), col: "note", cell: noteOrReference },
    { header: t("virtualGoods.agentDetail.columns.by"), className: "text-ui-fg-subtle", cell: (e) => (e.actor_id ? `${e.actor_type} · ${e.actor_id}` : e.actor_type) },
  ]
  return (
    <Container className="divide-y p-0" data-testid="agent-ledger">
      <SectionHeader
        title={t("virtualGoods.agentDetail.ledger")}
        hint={t("virtualGoods.agentDetail.ledgerHint")}
        actions={
          <div className="flex gap-2">
            <Button size="small" variant="secondary" disabled={!agent.accounts.length} onClick={() => setDialog("topup")}>
              {t("virtualGoods.agents.topUp")}
            </Button>
            <Button size="small" variant="secondary" disabled={!agent.accounts.length} onClick={() => setDialog("adjustment")}>
              {t("virtualGoods.agentDetail.adjust")}
            </Button>
          </div>
        }
      />
      <DataTable
        columns={columns}
        rows={data?.entries ?? []}
        rowKey={(e) => e.id}
        rowProps={(e) => ({ "data-entry": e.kind, "data-id": e.id })}
        isLoading={isLoading}
        error={error}
        onRetry={() => refetch()}
        empty={data && !data.entries.length && t("virtualGoods.agentDetail.noEntries")}
        pagination={data && { offset, count: data.count, onChange: setOffset }}
      />
      <MoneyDrawer agent={agent} kind={dialog} onClose={() => setDialog(null)} />
    </Container>
  )
}
