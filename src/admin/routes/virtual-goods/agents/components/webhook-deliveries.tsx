import { Badge, Button, toast } from "@medusajs/ui"
import { useState } from "react"
import { useTranslation } from "react-i18next"
import { Link } from "react-router-dom"
import { formatDate, linkClass } from "../../../../components/common"
import { DataTable, type Column } from "../../../../components/data-table"
import { SelectField } from "../../../../components/fields"
import { SectionHeader } from "../../../../components/section-header"
import { useReplayWebhookDelivery, useWebhookDeliveries } from "../../../../hooks/api/webhook-deliveries"
import { errorMessage } from "../../../../lib/utils"
import { DELIVERY_STATUSES, type Delivery } from "../../../../types"

const DELIVERY_COLOR = { pending: "orange", delivered: "green", dead: "red" } as const

/** The agent's webhook deliveries by status; a dead one can be sent again. Rows of the webhook section. */
export const WebhookDeliveries = ({ agentId }: { agentId: string }) => {
  const { t, i18n } = useTranslation()
  const [status, setStatus] = useState("")
  const [offset, setOffset] = useState(0)
  const deliveries = useWebhookDeliveries(agentId, status, offset)
  const replay = useReplayWebhookDelivery(agentId)
  const rows = deliveries.data?.deliveries ?? []
  const columns: Column<Delivery>[] = [
    { header: t("virtualGoods.agentDetail.columns.when"), cell: (d) => formatDate(d.created_at, i18n.language) },
    {
      header: t("virtualGoods.agentDetail.columns.event"),
      cell: (d) => (
        <>
          <span className="font-mono">{d.event}</span>
          {d.payload?.order_id && (
            <>
              {" · "}
              <Link className={linkClass} to={`/orders/${d.payload.order_id}`}>
                {d.payload.display_id ? `#${d.payload.display_id}` : d.payload.order_id}
              </Link>
            </>
          )}
        </>
      ),
    },
    {
      header: t("virtualGoods.agentDetail.columns.status"),
      cell: (d) => (
        <Badge size="2xsmall" color={DELIVERY_COLOR[d.status] ?? "grey"}>
          {t(`virtualGoods.agentDetail.delivery.${d.status}`, { defaultValue: d.status })}
        </Badge>
      ),
    },
    { header: t("virtualGoods.agentDetail.columns.attempts"), align: "right", col: "attempts", cell: (d) => d.attempts },
    { header: t("virtualGoods.agentDetail.columns.lastError"), col: "error", cell: (d) => d.last_error ?? "—" },
    {
      header: t("virtualGoods.agentDetail.columns.next"),
      cell: (d) =>
        d.status === "delivered" ? formatDate(d.delivered_at, i18n.language) : d.status === "pending" ? formatDate(d.next_attempt_at, i18n.language) : "—",
    },
    {
      cell: (d) =>
        d.status === "dead" && (
          <Button
            size="small"
            variant="transparent"
            onClick={() =>
              replay.mutate(d.id, {
                onSuccess: () => toast.success(t("virtualGoods.agentDetail.replayed")),
                onError: (e) => toast.error(errorMessage(e)),
              })
            }
            isLoading={replay.isPending && replay.variables === d.id}
          >
            {t("virtualGoods.agentDetail.replay")}
          </Button>
        ),
    },
  ]
  return (
    <>
      <SectionHeader
        level="h3"
        title={t("virtualGoods.agentDetail.deliveries")}
        actions={
          <div className="w-48">
            <SelectField
              showLabel={false}
              label={t("virtualGoods.agentDetail.deliveryStatus")}
              value={status || "all"}
              onChange={(v) => {
                setStatus(v === "all" ? "" : v)
                setOffset(0)
              }}
              options={[
                { value: "all", label: t("virtualGoods.agentDetail.delivery.all") },
                ...DELIVERY_STATUSES.map((s) => ({ value: s, label: t(`virtualGoods.agentDetail.delivery.${s}`) })),
              ]}
            />
          </div>
        }
      />
      <DataTable
        testId="webhook-deliveries"
        columns={columns}
        rows={rows}
        rowKey={(d) => d.id}
        rowProps={(d) => ({ "data-delivery": d.id, "data-status": d.status })}
        isLoading={deliveries.isLoading}
        error={deliveries.error}
        onRetry={() => deliveries.refetch()}
        empty={deliveries.data && !rows.length && t("virtualGoods.agentDetail.noDeliveries")}
        pagination={deliveries.data && { offset, count: deliveries.data.count, onChange: setOffset }}
      />
    </>
  )
}
