import { defineWidgetConfig } from "@medusajs/admin-sdk"
import type { AdminOrder, DetailWidgetProps } from "@medusajs/framework/types"
import { Badge, Button, Container, Heading, Text, toast, usePrompt } from "@medusajs/ui"
import { useState } from "react"
import { useTranslation } from "react-i18next"
import { LoadError, Loading, StatusBadge, formatDate } from "../components/common"
import { DataTable, type Column } from "../components/data-table"
import { ReasonDrawer } from "../components/reason-drawer"
import { useOrderCodes, useReissueCode, useResendOrderCodes, useRevealCode } from "../hooks/api/codes"
import { useSupplierOrders } from "../hooks/api/suppliers"
import { formatMoney } from "../routes/virtual-goods/payments/lib"
import { OrderStatusBadge } from "../routes/virtual-goods/suppliers/components/badges"
import { SupplierOrderDrawer } from "../routes/virtual-goods/suppliers/components/supplier-order-drawer"
import type { SupplierOrder } from "../routes/virtual-goods/suppliers/lib"
import { errorMessage } from "../lib/utils"
import { OrderPaymentSection } from "../routes/virtual-goods/payments/components/order-payment-section"
import type { OrderCode } from "../types"

const deliveryColor = (s: string) => (s === "delivered" ? "green" : s === "held" ? "red" : "grey")

/**
 * The order's card codes (masked) with their delivery state and reveal history; an admin can reveal a code (reason
 * required, audited), void & reissue one (confirmed, reason required) and send the delivery notification again.
 */
const OrderCodesSection = ({ order }: { order: AdminOrder }) => {
  const { t, i18n } = useTranslation()
  const prompt = usePrompt()
  const { data, isLoading, error, refetch } = useOrderCodes(order.id)
  const reveal = useRevealCode(order.id)
  const reissue = useReissueCode(order.id)
  const [revealing, setRevealing] = useState<OrderCode | null>(null)
  const [reissuing, setReissuing] = useState<OrderCode | null>(null)
  const resend = useResendOrderCodes(order.id)

  if (data && !data.card_codes.length && !data.delivery) return null
  const codeMask = new Map((data?.card_codes ?? []).map((c) => [c.id, c.mask]))
  const columns: Column<OrderCode>[] = [
    { header: t("virtualGoods.order.columns.code"), className: "font-mono", cell: (c) => c.mask },
    { header: t("virtualGoods.order.columns.status"), cell: (c) => <StatusBadge status={c.status} /> },
    { header: t("virtualGoods.order.columns.delivered"), cell: (c) => formatDate(c.delivered_at, i18n.language) },
    { header: t("virtualGoods.order.columns.reveals"), align: "right", col: "reveals", cell: (c) => c.reveal_count },
    {
      cell: (c) =>
        (c.status === "delivered" || c.status === "revealed") && (
          <div className="flex justify-end gap-2">
            <Button size="small" variant="transparent" onClick={() => setRevealing(c)}>
              {t("virtualGoods.order.reveal")}
            </Button>
            <Button size="small" variant="transparent" className="text-ui-fg-error" onClick={() => setReissuing(c)}>
              {t("virtualGoods.order.reissue")}
            </Button>
          </div>
        ),
    },
  ]

  return (
    <Container className="divide-y p-0" data-testid="order-virtual-goods">
      <div className="flex items-center justify-between gap-4 px-6 py-4">
        <div className="flex items-center gap-2">
          <Heading level="h2">{t("virtualGoods.order.title")}</Heading>
          {data?.delivery && (
            <Badge size="2xsmall" color={deliveryColor(data.delivery.status)} data-delivery={data.delivery.status}>
              {data.delivery.status}
            </Badge>
          )}
        </div>
        {!!data?.card_codes.some((c) => c.status === "delivered" || c.status === "revealed") && (
          <Button
            size="small"
            variant="secondary"
            isLoading={resend.isPending}
            onClick={async () => {
              const ok = await prompt({
                title: t("virtualGoods.order.resend"),
                description: order.email ?? "",
                confirmText: t("virtualGoods.order.resend"),
                cancelText: t("virtualGoods.common.cancel"),
                variant: "confirmation",
              })
              if (ok)
                resend.mutate(undefined, {
                  onSuccess: (r) => (r.sent ? toast.success(t("virtualGoods.order.resent")) : toast.warning(t("virtualGoods.order.resendFailed"))),
                  onError: (e) => toast.error(errorMessage(e)),
                })
            }}
          >
            {t("virtualGoods.order.resend")}
          </Button>
        )}
      </div>
      {isLoading && <Loading />}
      {error && <LoadError error={error} onRetry={() => refetch()} />}
      {data?.delivery?.last_error && data.delivery.status === "held" && (
        <Text className="px-6 py-4 text-ui-fg-error">{t("virtualGoods.order.held", { reason: data.delivery.last_error })}</Text>
      )}
      <DataTable columns={columns} rows={data?.card_codes ?? []} rowKey={(c) => c.id} rowProps={(c) => ({ "data-code": c.id })} />
      {data && (
        <div className="flex flex-col gap-y-2 px-6 py-4" data-testid="reveal-history">
          <Text weight="plus" size="small">
            {t("virtualGoods.order.history")}
          </Text>
          {!data.reveals.length && (
            <Text size="small" className="text-ui-fg-subtle">
              {t("virtualGoods.order.historyEmpty")}
            </Text>
          )}
          {data.reveals.map((r) => (
            <div key={r.id} className="flex flex-col" data-reveal={r.id}>
              <Text size="small">
                {(r.code_ids ?? []).map((id) => codeMask.get(id) ?? id).join(", ")} — {r.reason ?? t("virtualGoods.order.noReason")}
              </Text>
              <Text size="xsmall" className="text-ui-fg-subtle">
                {t("virtualGoods.order.by", { actor: `${r.actor_type}${r.actor_id ? ` ${r.actor_id}` : ""}`, when: formatDate(r.created_at, i18n.language) })}
              </Text>
            </div>
          ))}
        </div>
      )}
      <ReasonDrawer
        code={revealing}
        title={revealing ? t("virtualGoods.order.revealTitle", { mask: revealing.mask }) : ""}
        hint={t("virtualGoods.order.revealHint")}
        action={t("virtualGoods.order.reveal")}
        onClose={() => setRevealing(null)}
        run={async (code, reason) => (await reveal.mutateAsync({ id: code.id, reason })).card_code}
      />
      <ReasonDrawer
        code={reissuing}
        title={reissuing ? t("virtualGoods.order.reissueTitle", { mask: reissuing.mask }) : ""}
        hint={t("virtualGoods.order.reissueHint")}
        action={t("virtualGoods.order.reissue")}
        destructive
        onClose={() => setReissuing(null)}
        run={async (code, reason) => {
          const r = await reissue.mutateAsync({ id: code.id, reason })
          toast.success(t("virtualGoods.order.reissued", { old: r.voided_card_code.mask, fresh: r.card_code.mask }))
          setReissuing(null)
          return null
        }}
      />
    </Container>
  )
}

const OPEN_PURCHASE = ["pending", "submitting", "accepted", "unknown"]

/**
 * What the order bought from suppliers: its top-ups and the codes bought at delivery (pass-through), with their state,
 * cost and refund; a row opens the supplier order's exchanges. Shown only when there is any.
 */
const OrderSuppliersSection = ({ order }: { order: AdminOrder }) => {
  const { t, i18n } = useTranslation()
  const [open, setOpen] = useState<string | null>(null)
  const { data } = useSupplierOrders({ order_id: order.id, limit: 50, offset: 0 })
  const rows = data?.supplier_orders ?? []
  if (!rows.length) return null
  const procuring = rows.filter((o) => o.kind === "pass_through" && OPEN_PURCHASE.includes(o.status)).reduce((n, o) => n + o.quantity, 0)
  const columns: Column<SupplierOrder>[] = [
    { header: t("virtualGoods.suppliers.orders.columns.kind"), cell: (o) => t(`virtualGoods.suppliers.orderKinds.${o.kind}`, { defaultValue: o.kind }) },
    { header: t("virtualGoods.suppliers.orders.columns.status"), cell: (o) => <OrderStatusBadge status={o.status} /> },
    { header: t("virtualGoods.suppliers.orders.columns.recipient"), className: "font-mono text-xs", cell: (o) => o.recipient_masked ?? "—" },
    { header: t("virtualGoods.suppliers.orders.columns.quantity"), align: "right", cell: (o) => o.quantity },
    { header: t("virtualGoods.suppliers.orders.columns.amount"), align: "right", className: "whitespace-nowrap", cell: (o) => formatMoney(o.amount, o.currency_code) },
    { header: t("virtualGoods.suppliers.orders.columns.cost"), align: "right", className: "whitespace-nowrap", cell: (o) => formatMoney(o.cost, o.currency_code) },
    { header: t("virtualGoods.suppliers.orders.columns.refund"), cell: (o) => t(`virtualGoods.suppliers.refundStatus.${o.refund_status}`, { defaultValue: o.refund_status }) },
    { header: t("virtualGoods.suppliers.orders.columns.created"), className: "whitespace-nowrap", cell: (o) => formatDate(o.created_at, i18n.language) },
    {
      cell: (o) => (
        <Button size="small" variant="secondary" onClick={() => setOpen(o.id)}>
          {t("virtualGoods.suppliers.orders.details")}
        </Button>
      ),
    },
  ]
  return (
    <Container className="divide-y p-0" data-testid="order-supplier-orders">
      <div className="flex flex-col gap-1 px-6 py-4">
        <Heading level="h2">{t("virtualGoods.order.suppliers")}</Heading>
        <Text size="small" className="text-ui-fg-subtle">
          {t("virtualGoods.order.suppliersHint")}
        </Text>
      </div>
      {procuring > 0 && (
        <Text className="px-6 py-4" data-testid="order-procuring">
          {t("virtualGoods.order.procuring", { count: procuring })}
        </Text>
      )}
      <DataTable columns={columns} rows={rows} rowKey={(o) => o.id} rowProps={(o) => ({ "data-supplier-order": o.id, "data-status": o.status })} />
      {open && <SupplierOrderDrawer id={open} onClose={() => setOpen(null)} />}
    </Container>
  )
}

/** The order's virtual goods (its codes), what it bought from suppliers, and its payment (providers, amounts, Stripe Radar, reconciliation findings). */
const OrderVirtualGoodsWidget = ({ data: order }: DetailWidgetProps<AdminOrder>) => (
  <>
    <OrderCodesSection order={order} />
    <OrderSuppliersSection order={order} />
    <OrderPaymentSection orderId={order.id} />
  </>
)

export const config = defineWidgetConfig({
  zone: "order.details.after",
})

export default OrderVirtualGoodsWidget
