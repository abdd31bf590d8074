import { useTranslation } from "react-i18next"
import { Link, useParams } from "react-router-dom"
import { DetailState } from "../../../components/common"
import { usePool } from "../../../hooks/api/pools"
import { BatchesSection } from "./components/batches-section"
import { BuyersChoiceSection } from "./components/buyers-choice-section"
import { CodesSection } from "./components/codes-section"
import { SettingsSection } from "./components/settings-section"
import { SharedCodesSection } from "./components/shared-codes-section"
import { StockSection } from "./components/stock-section"
import { VoucherProgramSection } from "./components/voucher-program-section"

/**
 * One pool: stock by status, settings and alert thresholds, the linked variant, batches, codes, import and generate;
 * a reusable pool's shared codes instead of import, generation and vouchers.
 */
const PoolPage = () => {
  const { id } = useParams()
  const { t } = useTranslation()
  const { data, isLoading, error, refetch } = usePool(id!)

  return (
    <div className="flex flex-col gap-y-3">
      <Link to="/virtual-goods" className="txt-small text-ui-fg-subtle hover:text-ui-fg-base">
        ← {t("virtualGoods.pool.back")}
      </Link>
      <DetailState isLoading={isLoading} error={error} notFound={t("virtualGoods.pool.notFound")} onRetry={() => refetch()} />
      {data && (
        <>
          <StockSection pool={data.card_pool} />
          <SettingsSection pool={data.card_pool} />
          {data.card_pool.kind === "reusable" ? (
            <SharedCodesSection poolId={data.card_pool.id} />
          ) : (
            <>
              <VoucherProgramSection poolId={data.card_pool.id} />
              <BuyersChoiceSection pool={data.card_pool} />
            </>
          )}
          <BatchesSection poolId={data.card_pool.id} />
          <CodesSection poolId={data.card_pool.id} />
        </>
      )}
    </div>
  )
}

export default PoolPage
