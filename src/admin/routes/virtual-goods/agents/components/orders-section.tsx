import { Badge, Container } from "@medusajs/ui"
import { useState } from "react"
import { useTranslation } from "react-i18next"
import { Link } from "react-router-dom"
import { formatAmount, formatDate, linkClass } from "../../../../components/common"
import { DataTable, type Column } from "../../../../components/data-table"
import { SectionHeader } from "../../../../components/section-header"
import { useAgentOrders } from "../../../../hooks/api/agents"
import type { Agent, AgentOrder } from "../../../../types"

/** The agent's wholesale orders: key, Medusa order (or how long its bookkeeping has waited), lines and total. */
export const OrdersSection = ({ agent }: { agent: Agent }) => {
  const { t, i18n } = useTranslation()
  const [offset, setOffset] = useState(0)
  const { data, isLoading, error, refetch } = useAgentOrders(agent.id, offset)
  const columns: Column<AgentOrder>[] = [
    { header: t("virtualGoods.agentDetail.columns.when"), cell: (o) => formatDate(o.created_at, i18n.language) },
    { header: t("virtualGoods.agentDetail.columns.key"), className: "font-mono", col: "key", cell: (o) => o.idempotency_key },
    {
      header: t("virtualGoods.agentDetail.columns.order"),
      col: "order",
      cell: (o) => (
        <>
          {o.order_id ? (
            <Link className={linkClass} to={`/orders/${o.order_id}`}>
              {o.display_id ? `#${o.display_id}` : o.order_id}
            </Link>
          ) : (
            "—"
          )}
          {o.bookkeeping.status === "pending" && (
            <div data-testid="bookkeeping-lag" title={o.bookkeeping.error ?? undefined}>
              <Badge size="2xsmall" color={o.bookkeeping.attempts ? "red" : "orange"}>
                {t("virtualGoods.agentDetail.bookkeepingPending", { seconds: o.bookkeeping.lag_seconds ?? 0, attempts: o.bookkeeping.attempts })}
              </Badge>
            </div>
          )}
        </>
      ),
    },
    {
      header: t("virtualGoods.agentDetail.columns.lines"),
      col: "lines",
      cell: (o) =>
        o.items.map((i) => (
          <div key={i.variant_id}>
            {i.quantity} × {i.product_title ?? i.title ?? i.variant_id}
            {i.product_title && i.title && i.title !== i.product_title ? ` · ${i.title}` : ""} @ {i.unit_price}
          </div>
        )),
    },
    { header: t("virtualGoods.agentDetail.columns.total"), align: "right", col: "total", cell: (o) => formatAmount(o.total, o.currency_code) },
  ]
  return (
    <Container className="divide-y p-0" data-testid="agent-orders">
      <SectionHeader title={t("virtualGoods.agentDetail.orders")} />
      <DataTable
        columns={columns}
        rows={data?.orders ?? []}
        rowKey={(o) => o.id}
        rowProps={(o) => ({ "data-order": o.id })}
        isLoading={isLoading}
        error={error}
        onRetry={() => refetch()}
        empty={data && !data.orders.length && t("virtualGoods.agentDetail.noOrders")}
        pagination={data && { offset, count: data.count, onChange: setOffset }}
      />
    </Container>
  )
}
