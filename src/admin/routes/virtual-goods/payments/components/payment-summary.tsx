import { Text } from "@medusajs/ui"
import { useTranslation } from "react-i18next"
import { LoadError, formatNumber } from "../../../../components/common"
import { usePaymentFindingCounts } from "../../../../hooks/api/payments"
import { SUMMARY_COUNTERS, countQuery } from "../lib"

const GROUPS = SUMMARY_COUNTERS.map((c) => c.queries.map(countQuery))

/** Open payments captured without an order, refunds made, open disputes: each the `count` of filtered findings. */
export const PaymentSummary = () => {
  const { t, i18n } = useTranslation()
  const { totals, error, refetch } = usePaymentFindingCounts(GROUPS)
  return (
    <>
      <div className="grid grid-cols-1 gap-4 px-6 py-4 sm:grid-cols-3" data-testid="payment-summary">
        {SUMMARY_COUNTERS.map((c, i) => (
          <div key={c.key} className="flex flex-col" data-summary={c.key}>
            <Text size="xsmall" className="text-ui-fg-subtle">
              {t(`virtualGoods.payments.summary.${c.key}`)}
            </Text>
            <Text size="large" weight="plus" data-value>
              {formatNumber(totals[i], i18n.language)}
            </Text>
          </div>
        ))}
      </div>
      {!!error && <LoadError error={error} onRetry={refetch} />}
    </>
  )
}
