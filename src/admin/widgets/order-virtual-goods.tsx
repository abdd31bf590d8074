import { defineWidgetConfig } from "@medusajs/admin-sdk"
import type { AdminOrder, DetailWidgetProps } from "@medusajs/framework/types"
import { Badge, Button, Container, Heading, Text, toast, usePrompt } from "@medusajs/ui"
import { useState } from "react"
import { useTranslation } from "react-i18next"
import { LoadError, Loading, StatusBadge, formatDate } from "../components/common"
import { DataTable, type Column } from "../components/data-table"
import { ReasonDrawer } from "../components/reason-drawer"
import { useOrderCodes, useReissueCode, useResendOrderCodes, useRevealCode } from "../hooks/api/codes"
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

/** The order's virtual goods (its codes) and its payment (providers, amounts, Stripe Radar, reconciliation findings). */
const OrderVirtualGoodsWidget = ({ data: order }: DetailWidgetProps<AdminOrder>) => (
  <>
    <OrderCodesSection order={order} />
    <OrderPaymentSection orderId={order.id} />
  </>
)

export const config = defineWidgetConfig({
  zone: "order.details.after",
})

export default OrderVirtualGoodsWidget
