import { useTranslation } from "react-i18next"
import { Link } from "react-router-dom"
import { linkClass } from "../../../../components/common"
import { useCustomerGroup, useTierPriceLists } from "../../../../hooks/api/agents"
import { errorMessage } from "../../../../lib/utils"
import { SummaryField } from "./summary-field"

/** The agent's tier (a Medusa customer group) and the price lists whose rules name it, linked to Medusa's own pages. */
export const AgentTier = ({ groupId }: { groupId: string | null }) => {
  const { t } = useTranslation()
  const group = useCustomerGroup(groupId)
  const lists = useTierPriceLists(groupId)
  return (
    <SummaryField label={t("virtualGoods.agentDetail.tier")} testId="agent-tier">
      {!groupId ? (
        t("virtualGoods.agentDetail.noTier")
      ) : (
        <span className="flex flex-wrap items-center gap-x-3">
          <Link className={linkClass} to={`/customer-groups/${groupId}`} data-tier>
            {group.data?.customer_group.name ?? groupId}
          </Link>
          <span className="text-ui-fg-subtle">·</span>
          {lists.error ? (
            <span className="text-ui-fg-error">{errorMessage(lists.error)}</span>
          ) : !lists.data ? (
            t("virtualGoods.common.loading")
          ) : !lists.data.length ? (
            <span className="text-ui-fg-subtle">{t("virtualGoods.agentDetail.noPriceList")}</span>
          ) : (
            lists.data.map((pl) => (
              <Link key={pl.id} className={linkClass} to={`/price-lists/${pl.id}`} data-price-list={pl.id}>
                {pl.title}
                {pl.status !== "active" ? ` (${pl.status})` : ""}
              </Link>
            ))
          )}
        </span>
      )}
    </SummaryField>
  )
}
