import { defineWidgetConfig } from "@medusajs/admin-sdk"
import type { AdminOrder, DetailWidgetProps } from "@medusajs/framework/types"
import { Badge, Container, Heading, Text } from "@medusajs/ui"
import { useTranslation } from "react-i18next"
import { Link } from "react-router-dom"
import { RiskReasons, formatDate } from "../components/common"
import { useOrderRiskDecision } from "../hooks/api/risk"
import type { RiskDecision } from "../types"

const color = (d: RiskDecision) =>
  d.review_status === "pending" ? "orange" : d.review_status === "rejected" || d.action === "block" ? "red" : "green"

/** The risk decision taken on the order's checkout (every checkout of virtual goods gets one), its reasons and the review. */
const OrderRiskWidget = ({ data: order }: DetailWidgetProps<AdminOrder>) => {
  const { t, i18n } = useTranslation()
  const { data } = useOrderRiskDecision(order.id)
  const decision = data?.risk_decisions[0]
  if (!decision) return null
  return (
    <Container className="divide-y p-0" data-testid="order-risk">
      <div className="flex items-center justify-between gap-4 px-6 py-4">
        <div className="flex items-center gap-2">
          <Heading level="h2">{t("virtualGoods.risk.orderTitle")}</Heading>
          <Badge size="2xsmall" color={color(decision)} data-review={decision.review_status ?? decision.action}>
            {decision.review_status ? t(`virtualGoods.risk.review.${decision.review_status}`) : t(`virtualGoods.risk.action.${decision.action}`)}
          </Badge>
        </div>
        {decision.review_status === "pending" && (
          <Link to="/virtual-goods/risk" className="txt-compact-small text-ui-fg-interactive">
            {t("virtualGoods.risk.decide")}
          </Link>
        )}
      </div>
      {decision.reasons.length ? (
        <RiskReasons reasons={decision.reasons} className="px-6 py-4" />
      ) : (
        <Text size="small" className="px-6 py-4 text-ui-fg-subtle">
          {t("virtualGoods.risk.noRuleMatched")}
        </Text>
      )}
      {decision.reviewed_at && (
        <Text size="small" className="px-6 py-3 text-ui-fg-subtle">
          {formatDate(decision.reviewed_at, i18n.language)}
          {decision.review_note ? ` — ${decision.review_note}` : ""}
        </Text>
      )}
    </Container>
  )
}

export const config = defineWidgetConfig({ zone: "order.details.after" })

export default OrderRiskWidget
