import { useTranslation } from "react-i18next"
import { Link, useParams } from "react-router-dom"
import { DetailState } from "../../../../components/common"
import { useAgent } from "../../../../hooks/api/agents"
import { AgentSummary } from "../components/agent-summary"
import { LedgerSection } from "../components/ledger-section"
import { OrdersSection } from "../components/orders-section"
import { QuotasSection } from "../components/quotas-section"
import { StatementSection } from "../components/statement-section"
import { WebhookSection } from "../components/webhook-section"

/**
 * One agent: status (freeze behind a confirmation), parent, sub-agents, tier and its price lists, accounts and credit
 * limit; the ledger with top-ups and signed adjustments; the statement (对账单) of a period, also as CSV; quotas;
 * wholesale orders; the webhook (secret shown once) and its deliveries, dead ones replayed.
 */
const AgentPage = () => {
  const { id } = useParams()
  const { t } = useTranslation()
  const { data, isLoading, error, refetch } = useAgent(id!)
  const agent = data?.agent

  return (
    <div className="flex flex-col gap-y-3">
      <Link to="/virtual-goods/agents" className="txt-small text-ui-fg-subtle hover:text-ui-fg-base">
        {t("virtualGoods.agentDetail.back")}
      </Link>
      <DetailState isLoading={isLoading} error={error} notFound={t("virtualGoods.agentDetail.notFound")} onRetry={() => refetch()} />
      {agent && (
        <>
          <AgentSummary agent={agent} />
          <LedgerSection agent={agent} />
          <StatementSection agent={agent} />
          <QuotasSection agent={agent} />
          <OrdersSection agent={agent} />
          <WebhookSection agent={agent} />
        </>
      )}
    </div>
  )
}

export default AgentPage
