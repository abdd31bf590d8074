import { Badge, Button, Container, Text, toast } from "@medusajs/ui"
import { useState } from "react"
import { useTranslation } from "react-i18next"
import { Link } from "react-router-dom"
import { RiskReasons, formatDate } from "../../../../components/common"
import { DataTable, type Column } from "../../../../components/data-table"
import { SelectField } from "../../../../components/fields"
import { SectionHeader } from "../../../../components/section-header"
import { useApproveRiskDecision, useRiskDecisions } from "../../../../hooks/api/risk"
import { errorMessage } from "../../../../lib/utils"
import type { RiskDecision } from "../../../../types"
import { RejectDrawer } from "./reject-drawer"

const SHOW = ["pending", "approved", "rejected", "block"] as const
const FACTS = ["ip", "device_id", "email", "customer_id", "agent_id", "amount", "quantity", "first_purchase"] as const

/** Held orders with the reasons and the facts seen; approve (the codes are delivered) or reject with a note. */
export const ReviewQueue = () => {
  const { t, i18n } = useTranslation()
  const [status, setStatus] = useState<string>("pending")
  const { data, isLoading, error, refetch } = useRiskDecisions(status)
  const [rejecting, setRejecting] = useState<RiskDecision | null>(null)
  const approve = useApproveRiskDecision()
  const decisions = data?.risk_decisions ?? []
  const columns: Column<RiskDecision>[] = [
    { header: t("virtualGoods.risk.columns.when"), className: "whitespace-nowrap", cell: (d) => formatDate(d.created_at, i18n.language) },
    {
      header: t("virtualGoods.risk.columns.order"),
      cell: (d) => (
        <>
          {d.order_id ? <Link to={`/orders/${d.order_id}`}>{d.order_id}</Link> : <Text size="small">{t("virtualGoods.risk.noOrder")}</Text>}
          {d.subject_type === "agent_order" && (
            <Badge size="2xsmall" className="ml-2">
              {t("virtualGoods.risk.wholesale")}
            </Badge>
          )}
        </>
      ),
    },
    { header: t("virtualGoods.risk.columns.reasons"), cell: (d) => <RiskReasons reasons={d.reasons} /> },
    {
      header: t("virtualGoods.risk.columns.facts"),
      cell: (d) => (
        <dl className="grid grid-cols-[auto_1fr] gap-x-2 text-xs" data-col="facts">
          {FACTS.filter((f) => d.facts[f] !== undefined && d.facts[f] !== null).map((f) => (
            <div key={f} className="contents">
              <dt className="text-ui-fg-subtle">{t(`virtualGoods.risk.facts.${f}`)}</dt>
              <dd>{String(d.facts[f])}</dd>
            </div>
          ))}
        </dl>
      ),
    },
    {
      header: t("virtualGoods.risk.columns.decision"),
      cell: (d) =>
        d.review_status === "pending" ? (
          <div className="flex gap-2">
            <Button
              size="small"
              isLoading={approve.isPending && approve.variables === d.id}
              onClick={() =>
                approve.mutate(d.id, {
                  onSuccess: () => toast.success(t("virtualGoods.risk.approved")),
                  onError: (e) => toast.error(errorMessage(e)),
                })
              }
            >
              {t("virtualGoods.risk.approve")}
            </Button>
            <Button size="small" variant="danger" onClick={() => setRejecting(d)}>
              {t("virtualGoods.risk.reject")}
            </Button>
          </div>
        ) : (
          <Text size="small" data-col="decided">
            {d.review_status ? t(`virtualGoods.risk.review.${d.review_status}`) : t(`virtualGoods.risk.action.${d.action}`)}
            {d.review_note ? ` — ${d.review_note}` : ""}
          </Text>
        ),
    },
  ]
  return (
    <Container className="divide-y p-0">
      <SectionHeader
        level="h1"
        title={t("virtualGoods.risk.queueTitle")}
        hint={t("virtualGoods.risk.queueSubtitle")}
        actions={
          <div className="w-48">
            <SelectField
              showLabel={false}
              label={t("virtualGoods.risk.show")}
              value={status}
              onChange={setStatus}
              options={SHOW.map((s) => ({ value: s, label: t(`virtualGoods.risk.review.${s}`) }))}
            />
          </div>
        }
      />
      <DataTable
        testId="risk-decisions"
        columns={columns}
        rows={decisions}
        rowKey={(d) => d.id}
        rowProps={(d) => ({ "data-decision": d.id })}
        isLoading={isLoading}
        error={error}
        onRetry={() => refetch()}
        empty={data && !decisions.length && t("virtualGoods.risk.queueEmpty")}
        emptyCentered
      />
      {rejecting && <RejectDrawer decision={rejecting} onClose={() => setRejecting(null)} />}
    </Container>
  )
}
