import { Button, Label, Text, Textarea, toast } from "@medusajs/ui"
import { FormEvent, useState, type ReactNode } from "react"
import { useTranslation } from "react-i18next"
import { Link } from "react-router-dom"
import { DetailState, ErrorText, formatDate, linkClass } from "../../../../components/common"
import { DataTable, type Column } from "../../../../components/data-table"
import { FormDrawer } from "../../../../components/form-drawer"
import { useResolveSupplierOrder, useSupplierOrder } from "../../../../hooks/api/suppliers"
import { errorMessage } from "../../../../lib/utils"
import { formatMoney } from "../../payments/lib"
import { SUPPLIER_ORDER_ACTIONS, isReasonLongEnough, type SupplierOrder, type SupplierOrderAction, type SupplierOrderEvent } from "../lib"
import { OrderStatusBadge } from "./badges"

/** The order's facts, label and value. */
const Facts = ({ order }: { order: SupplierOrder }) => {
  const { t, i18n } = useTranslation()
  const rows: [string, ReactNode][] = [
    [t("virtualGoods.suppliers.orders.columns.status"), <OrderStatusBadge key="status" status={order.status} />],
    [t("virtualGoods.suppliers.orders.columns.kind"), t(`virtualGoods.suppliers.orderKinds.${order.kind}`, { defaultValue: order.kind })],
    [t("virtualGoods.suppliers.orders.columns.recipient"), order.recipient_masked ?? "—"],
    [t("virtualGoods.suppliers.orders.columns.product"), order.upstream_product_id],
    [t("virtualGoods.suppliers.orders.columns.quantity"), order.quantity],
    [t("virtualGoods.suppliers.orders.columns.amount"), formatMoney(order.amount, order.currency_code)],
    [t("virtualGoods.suppliers.orders.columns.cost"), formatMoney(order.cost, order.currency_code)],
    [t("virtualGoods.suppliers.orders.columns.attempts"), order.attempts],
    [t("virtualGoods.suppliers.orders.columns.refund"), t(`virtualGoods.suppliers.refundStatus.${order.refund_status}`, { defaultValue: order.refund_status })],
    [
      t("virtualGoods.suppliers.orders.detail.order"),
      order.order_id ? (
        <Link key="order" className={linkClass} to={`/orders/${order.order_id}`}>
          {order.order_id}
        </Link>
      ) : (
        "—"
      ),
    ],
    [t("virtualGoods.suppliers.orders.detail.upstreamOrderNo"), order.upstream_order_no ?? "—"],
    [t("virtualGoods.suppliers.orders.detail.lastError"), order.last_error ?? "—"],
    [t("virtualGoods.suppliers.orders.detail.failureReason"), order.failure_reason ?? "—"],
    [t("virtualGoods.suppliers.orders.detail.resolution"), order.resolution ? `${order.resolution}${order.resolved_by ? ` (${order.resolved_by})` : ""}` : "—"],
    [t("virtualGoods.suppliers.orders.columns.created"), formatDate(order.created_at, i18n.language)],
    [t("virtualGoods.suppliers.orders.detail.submitted"), formatDate(order.submitted_at, i18n.language)],
    [t("virtualGoods.suppliers.orders.detail.settled"), formatDate(order.settled_at, i18n.language)],
  ]
  return (
    <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm" data-testid="supplier-order-facts">
      {rows.map(([label, value]) => (
        <div key={label} className="contents">
          <dt className="text-ui-fg-subtle">{label}</dt>
          <dd className="break-words">{value}</dd>
        </div>
      ))}
    </dl>
  )
}

/**
 * A supplier order in full: its facts, every exchange with the supplier and every decision (kind, outcome, from → to,
 * HTTP status, reason, time), and the admin's decisions — retry, refund, mark succeeded — each with a required reason
 * (at least 3 characters). When the order's state does not allow a decision, the API's message shows here.
 */
export const SupplierOrderDrawer = ({ id, onClose }: { id: string; onClose: () => void }) => {
  const { t, i18n } = useTranslation()
  const { data, isLoading, error, refetch } = useSupplierOrder(id)
  const resolve = useResolveSupplierOrder()
  const [action, setAction] = useState<SupplierOrderAction | null>(null)
  const [reason, setReason] = useState("")
  const [problem, setProblem] = useState<string | null>(null)

  const choose = (next: SupplierOrderAction | null) => {
    setAction(next)
    setReason("")
    setProblem(null)
  }
  const submit = async (e?: FormEvent) => {
    e?.preventDefault()
    if (!action) return
    if (!isReasonLongEnough(reason)) {
      setProblem(t("virtualGoods.suppliers.orders.reasonTooShort"))
      return
    }
    setProblem(null)
    try {
      await resolve.mutateAsync({ id, action, reason: reason.trim() })
      toast.success(t(`virtualGoods.suppliers.orders.done.${action}`))
      choose(null)
    } catch (err) {
      setProblem(errorMessage(err))
    }
  }

  const columns: Column<SupplierOrderEvent>[] = [
    { header: t("virtualGoods.suppliers.orders.events.kind"), col: "kind", cell: (ev) => t(`virtualGoods.suppliers.eventKinds.${ev.kind}`, { defaultValue: ev.kind }) },
    { header: t("virtualGoods.suppliers.orders.events.outcome"), col: "outcome", cell: (ev) => ev.outcome },
    {
      header: t("virtualGoods.suppliers.orders.events.transition"),
      col: "transition",
      className: "whitespace-nowrap",
      cell: (ev) => (ev.from_status || ev.to_status ? `${ev.from_status ?? "—"} → ${ev.to_status ?? "—"}` : "—"),
    },
    { header: t("virtualGoods.suppliers.orders.events.httpStatus"), align: "right", col: "http-status", cell: (ev) => ev.http_status ?? "—" },
    { header: t("virtualGoods.suppliers.orders.events.reason"), col: "reason", className: "break-words", cell: (ev) => ev.reason ?? "—" },
    { header: t("virtualGoods.suppliers.orders.events.time"), className: "whitespace-nowrap", cell: (ev) => formatDate(ev.created_at, i18n.language) },
  ]

  const order = data?.supplier_order
  const events = data?.events ?? []
  return (
    <FormDrawer
      open
      onOpenChange={(open) => !open && onClose()}
      title={t("virtualGoods.suppliers.orders.detail.title", { id })}
      bodyClassName="flex flex-col gap-y-4 overflow-y-auto"
      onSubmit={submit}
      footer={
        action ? (
          <>
            <Button type="button" size="small" variant="secondary" onClick={() => choose(null)}>
              {t("virtualGoods.common.back")}
            </Button>
            <Button type="submit" size="small" variant={action === "refund" ? "danger" : "primary"} isLoading={resolve.isPending}>
              {t(`virtualGoods.suppliers.orders.actions.${action}`)}
            </Button>
          </>
        ) : (
          <Button type="button" size="small" variant="secondary" onClick={onClose}>
            {t("virtualGoods.common.close")}
          </Button>
        )
      }
    >
      <DetailState isLoading={isLoading} error={error} notFound={t("virtualGoods.suppliers.orders.detail.notFound")} onRetry={() => refetch()} />
      {order && (
        <>
          <Facts order={order} />
          <div className="flex flex-col gap-y-2">
            <Text size="small" weight="plus">
              {t("virtualGoods.suppliers.orders.events.title")}
            </Text>
            <DataTable
              testId="supplier-order-events"
              columns={columns}
              rows={events}
              rowKey={(ev) => ev.id}
              rowProps={(ev) => ({ "data-event-kind": ev.kind })}
              empty={!events.length && t("virtualGoods.suppliers.orders.events.empty")}
            />
          </div>
          <div className="flex flex-col gap-y-2" data-testid="supplier-order-decisions">
            <Text size="small" weight="plus">
              {t("virtualGoods.suppliers.orders.decide")}
            </Text>
            <div className="flex flex-wrap gap-2">
              {SUPPLIER_ORDER_ACTIONS.map((a) => (
                <Button key={a} type="button" size="small" variant={action === a ? "primary" : "secondary"} onClick={() => choose(a)}>
                  {t(`virtualGoods.suppliers.orders.actions.${a}`)}
                </Button>
              ))}
            </div>
            {action && (
              <>
                <Text size="small" className="text-ui-fg-subtle">
                  {t(`virtualGoods.suppliers.orders.hints.${action}`)}
                </Text>
                <Label htmlFor="vg-supplier-order-reason">{t("virtualGoods.suppliers.orders.reason")}</Label>
                <Textarea id="vg-supplier-order-reason" value={reason} onChange={(e) => setReason(e.target.value)} />
              </>
            )}
            <ErrorText>{problem}</ErrorText>
          </div>
        </>
      )}
    </FormDrawer>
  )
}
