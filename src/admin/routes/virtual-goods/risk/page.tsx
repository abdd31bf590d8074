import { defineRouteConfig } from "@medusajs/admin-sdk"
import { Text } from "@medusajs/ui"
import { useTranslation } from "react-i18next"
import { ReviewQueue } from "./components/review-queue"
import { RulesSection } from "./components/rules-section"

/** Risk control: the review queue (held orders with reasons and facts; approve or reject) and the rules. */
const RiskPage = () => {
  const { t } = useTranslation()
  return (
    <div className="flex flex-col gap-y-3">
      <ReviewQueue />
      <RulesSection />
      <Text size="small" className="px-1 text-ui-fg-subtle">
        {t("virtualGoods.risk.footnote")}
      </Text>
    </div>
  )
}

export const config = defineRouteConfig({ label: "virtualGoods.risk.menu", translationNs: "translation" })

export default RiskPage
