import { Badge, Container, Heading, Text } from "@medusajs/ui"
import { useTranslation } from "react-i18next"
import { AlertBadges, formatNumber } from "../../../../components/common"
import { GenerateDialog } from "../../../../components/generate-dialog"
import { ImportWizard } from "../../../../components/import-wizard"
import { CODE_STATUSES, type Pool } from "../../../../types"

/**
 * The pool's name, alerts and stock by status (a reusable pool's: its copies), with the import and generate buttons
 * (an exclusive pool's; a reusable pool takes shared codes in their own section).
 */
export const StockSection = ({ pool }: { pool: Pool }) => {
  const { t, i18n } = useTranslation()
  return (
    <Container className="divide-y p-0">
      <div className="flex items-start justify-between gap-4 px-6 py-4">
        <div className="flex flex-col gap-y-1">
          <div className="flex items-center gap-2">
            <Heading level="h1">{pool.name}</Heading>
            {pool.kind === "reusable" && (
              <Badge size="2xsmall" color="purple" data-kind="reusable">
                {t("virtualGoods.pools.reusableBadge")}
              </Badge>
            )}
          </div>
          {pool.description && (
            <Text size="small" className="text-ui-fg-subtle">
              {pool.description}
            </Text>
          )}
          <AlertBadges alerts={pool.alerts} />
        </div>
        {pool.kind !== "reusable" && (
          <div className="flex gap-2">
            <ImportWizard poolId={pool.id} />
            <GenerateDialog poolId={pool.id} />
          </div>
        )}
      </div>
      <div className="grid grid-cols-3 gap-4 px-6 py-4 md:grid-cols-7" data-testid="stock">
        {([...CODE_STATUSES, "total"] as const).map((s) => (
          <div key={s} className="flex flex-col" data-stock={s}>
            <Text size="xsmall" className="text-ui-fg-subtle">
              {s === "total" ? t("virtualGoods.pools.columns.total") : t(`virtualGoods.status.${s}`)}
            </Text>
            <Text size="large" weight="plus" data-value>
              {formatNumber(pool.stock[s], i18n.language)}
            </Text>
          </div>
        ))}
      </div>
    </Container>
  )
}
