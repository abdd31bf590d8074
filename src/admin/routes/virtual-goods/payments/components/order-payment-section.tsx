import { Badge, Container, Heading, Text } from "@medusajs/ui"
import { useTranslation } from "react-i18next"
import { Link } from "react-router-dom"
import { LoadError } from "../../../../components/common"
import { DataTable, type Column } from "../../../../components/data-table"
import { useOrderPayment } from "../../../../hooks/api/payments"
import { isNotFound } from "../../../../lib/utils"
import type { OrderPayment } from "../../../../types"
import { formatMoney, providerLabelKey, riskLevelColor } from "../lib"
import { FindingKindLabel, FindingStatusBadge } from "./finding-badges"

const STATUS_COLOR: Record<OrderPayment["status"], "green" | "blue" | "orange" | "grey"> = {
  authorized: "blue",
  captured: "green",
  partially_refunded: "orange",
  refunded: "orange",
  canceled: "grey",
}

/**
 * The order's payments (provider, status, captured and refunded amounts, the payment intent, Stripe Radar's risk) and
 * what the reconciliation found about the order, with a link to those findings on the payments page. Nothing while it
 * loads, nor for an order without payment data.
 */
export const OrderPaymentSection = ({ orderId }: { orderId: string }) => {
  const { t } = useTranslation()
  const { data, error, refetch } = useOrderPayment(orderId)
  if (error && !isNotFound(error))
    return (
      <Container className="p-0" data-testid="order-payment">
        <LoadError error={error} onRetry={() => refetch()} />
      </Container>
    )
  if (!data || (!data.payments.length && !data.findings.length)) return null
  const provider = (id: string) => {
    const key = providerLabelKey(id)
    return key ? t(`virtualGoods.payments.provider.${key}`) : id
  }
  const columns: Column<OrderPayment>[] = [
    { header: t("virtualGoods.payments.order.columns.provider"), col: "provider", cell: (p) => provider(p.provider_id) },
    {
      header: t("virtualGoods.payments.order.columns.status"),
      cell: (p) => (
        <Badge size="2xsmall" color={STATUS_COLOR[p.status] ?? "grey"} data-status={p.status}>
          {t(`virtualGoods.payments.paymentStatus.${p.status}`, { defaultValue: p.status })}
        </Badge>
      ),
    },
    { header: t("virtualGoods.payments.order.columns.amount"), align: "right", col: "amount", className: "whitespace-nowrap", cell: (p) => formatMoney(p.amount, p.currency_code) },
    { header: t("virtualGoods.payments.order.columns.captured"), align: "right", col: "captured", className: "whitespace-nowrap", cell: (p) => formatMoney(p.captured_amount, p.currency_code) },
    { header: t("virtualGoods.payments.order.columns.refunded"), align: "right", col: "refunded", className: "whitespace-nowrap", cell: (p) => formatMoney(p.refunded_amount, p.currency_code) },
    { header: t("virtualGoods.payments.order.columns.paymentIntent"), col: "payment-intent", className: "font-mono text-xs", cell: (p) => p.payment_intent_id ?? "—" },
    {
      header: t("virtualGoods.payments.order.columns.radar"),
      col: "radar",
      cell: (p) =>
        p.radar && (p.radar.risk_level || p.radar.risk_score !== null) ? (
          <div className="flex items-center gap-2">
            {p.radar.risk_level && (
              <Badge size="2xsmall" color={riskLevelColor(p.radar.risk_level)} data-risk-level={p.radar.risk_level}>
                {t(`virtualGoods.payments.riskLevel.${p.radar.risk_level}`, { defaultValue: p.radar.risk_level })}
              </Badge>
            )}
            {p.radar.risk_score !== null && <Text size="small">{t("virtualGoods.payments.order.riskScore", { score: p.radar.risk_score })}</Text>}
          </div>
        ) : (
          "—"
        ),
    },
  ]
  return (
    <Container className="divide-y p-0" data-testid="order-payment">
      <div className="flex items-center justify-between gap-4 px-6 py-4">
        <Heading level="h2">{t("virtualGoods.payments.order.title")}</Heading>
        <Link to={`/virtual-goods/payments?status=all&order_id=${encodeURIComponent(orderId)}`} className="txt-compact-small text-ui-fg-interactive">
          {t("virtualGoods.payments.order.openPage")}
        </Link>
      </div>
      <DataTable columns={columns} rows={data.payments} rowKey={(p) => p.id} rowProps={(p) => ({ "data-payment": p.id })} />
      {!!data.findings.length && (
        <div className="flex flex-col gap-y-2 px-6 py-4" data-testid="order-payment-findings">
          <Text weight="plus" size="small">
            {t("virtualGoods.payments.order.findings")}
          </Text>
          {data.findings.map((f) => (
            <div key={f.id} className="flex flex-wrap items-center gap-2" data-finding={f.id}>
              <FindingStatusBadge status={f.status} />
              <Text size="small" weight="plus">
                <FindingKindLabel kind={f.kind} />
              </Text>
              <Text size="small" className="text-ui-fg-subtle">
                {f.detail}
              </Text>
            </div>
          ))}
        </div>
      )}
    </Container>
  )
}
