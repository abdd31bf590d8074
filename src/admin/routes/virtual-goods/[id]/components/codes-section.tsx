import { Button, Container, Heading, Input, Text, toast } from "@medusajs/ui"
import { FormEvent, useState } from "react"
import { useTranslation } from "react-i18next"
import { Link } from "react-router-dom"
import { StatusBadge, formatDate, linkClass } from "../../../../components/common"
import { DataTable, type Column } from "../../../../components/data-table"
import { SelectField } from "../../../../components/fields"
import { useCodes, useFindCode } from "../../../../hooks/api/codes"
import { errorMessage } from "../../../../lib/utils"
import { CODE_STATUSES, type Code } from "../../../../types"

/** The pool's codes (masked) by status, paged; a code found by its full value, which is not kept on the page. */
export const CodesSection = ({ poolId }: { poolId: string }) => {
  const { t, i18n } = useTranslation()
  const [status, setStatus] = useState("")
  const [offset, setOffset] = useState(0)
  const [needle, setNeedle] = useState("")
  const [found, setFound] = useState<Code[] | null>(null)
  const { data, isLoading, error, refetch } = useCodes(poolId, status, offset)
  const find = useFindCode()

  const search = async (e: FormEvent) => {
    e.preventDefault()
    if (!needle.trim()) return
    try {
      const { card_codes } = await find.mutateAsync({ code: needle, pool_id: poolId })
      setFound(card_codes)
      // The value typed is not kept on the page once it has been looked up.
      setNeedle("")
    } catch (err) {
      toast.error(errorMessage(err))
    }
  }

  const rows = found ?? data?.card_codes ?? []
  const columns: Column<Code>[] = [
    { header: t("virtualGoods.codes.columns.code"), className: "font-mono", cell: (c) => c.mask },
    { header: t("virtualGoods.codes.columns.status"), cell: (c) => <StatusBadge status={c.status} /> },
    { header: t("virtualGoods.codes.columns.expires"), cell: (c) => formatDate(c.expires_at, i18n.language) },
    {
      header: t("virtualGoods.codes.columns.order"),
      cell: (c) =>
        c.order_id ? (
          <Link className={linkClass} to={`/orders/${c.order_id}`}>
            {c.order_id}
          </Link>
        ) : (
          "—"
        ),
    },
    { header: t("virtualGoods.codes.columns.created"), cell: (c) => formatDate(c.created_at, i18n.language) },
  ]
  return (
    <Container className="divide-y p-0">
      <div className="flex flex-wrap items-center justify-between gap-4 px-6 py-4">
        <Heading level="h2">{t("virtualGoods.codes.title")}</Heading>
        <div className="flex flex-wrap items-center gap-2">
          <SelectField
            showLabel={false}
            triggerClassName="w-44"
            label={t("virtualGoods.codes.filter")}
            value={status || "all"}
            onChange={(v) => {
              setStatus(v === "all" ? "" : v)
              setOffset(0)
              setFound(null)
            }}
            options={[{ value: "all", label: t("virtualGoods.codes.all") }, ...CODE_STATUSES.map((s) => ({ value: s, label: t(`virtualGoods.status.${s}`) }))]}
          />
          <form className="flex gap-2" onSubmit={search}>
            <Input
              size="small"
              type="password"
              autoComplete="off"
              aria-label={t("virtualGoods.codes.find")}
              placeholder={t("virtualGoods.codes.findPlaceholder")}
              value={needle}
              onChange={(e) => setNeedle(e.target.value)}
            />
            <Button size="small" variant="secondary" type="submit" isLoading={find.isPending}>
              {t("virtualGoods.codes.findButton")}
            </Button>
          </form>
          {found && (
            <Button size="small" variant="transparent" onClick={() => setFound(null)}>
              {t("virtualGoods.codes.clear")}
            </Button>
          )}
        </div>
      </div>
      {found && !found.length && (
        <Text className="px-6 py-4 text-ui-fg-subtle" data-testid="code-not-found">
          {t("virtualGoods.codes.notFound")}
        </Text>
      )}
      <DataTable
        testId="codes-table"
        columns={columns}
        rows={rows}
        rowKey={(c) => c.id}
        rowProps={(c) => ({ "data-code": c.id })}
        isLoading={isLoading}
        error={error}
        onRetry={() => refetch()}
        empty={!found && data && !data.card_codes.length && t("virtualGoods.codes.empty")}
        pagination={found ? undefined : { offset, count: data?.count ?? 0, onChange: setOffset }}
      />
    </Container>
  )
}
