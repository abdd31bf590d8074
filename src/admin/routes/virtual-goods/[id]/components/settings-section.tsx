import { Button, Container, Label, Text, toast, usePrompt } from "@medusajs/ui"
import { FormEvent, useEffect, useState } from "react"
import { useTranslation } from "react-i18next"
import { Link } from "react-router-dom"
import { ErrorText, linkClass } from "../../../../components/common"
import { InputField, SelectField } from "../../../../components/fields"
import { SectionHeader } from "../../../../components/section-header"
import { useLinkVariant, useUnlinkVariant, useUpdatePool } from "../../../../hooks/api/pools"
import { errorMessage } from "../../../../lib/utils"
import { ALLOCATION_ORDERS, type Pool } from "../../../../types"

/** Allocation order and alert thresholds; the variant the pool sells (link, unlink behind a confirmation). */
export const SettingsSection = ({ pool }: { pool: Pool }) => {
  const { t } = useTranslation()
  const update = useUpdatePool(pool.id)
  const link = useLinkVariant(pool.id)
  const unlink = useUnlinkVariant(pool.id)
  const prompt = usePrompt()
  const [order, setOrder] = useState(pool.allocation_order)
  const [threshold, setThreshold] = useState(pool.low_stock_threshold?.toString() ?? "")
  const [days, setDays] = useState(pool.expiry_warning_days?.toString() ?? "")
  const [variantId, setVariantId] = useState("")
  const [locationId, setLocationId] = useState(pool.stock_location_id ?? "")
  const [problem, setProblem] = useState<string | null>(null)
  useEffect(() => {
    setOrder(pool.allocation_order)
    setThreshold(pool.low_stock_threshold?.toString() ?? "")
    setDays(pool.expiry_warning_days?.toString() ?? "")
  }, [pool.allocation_order, pool.low_stock_threshold, pool.expiry_warning_days])

  const save = async (e: FormEvent) => {
    e.preventDefault()
    setProblem(null)
    try {
      await update.mutateAsync({
        allocation_order: order,
        low_stock_threshold: threshold.trim() === "" ? null : Number(threshold),
        expiry_warning_days: days.trim() === "" ? null : Number(days),
      })
      toast.success(t("virtualGoods.common.saved"))
    } catch (err) {
      setProblem(errorMessage(err))
    }
  }

  const linkVariant = async (e: FormEvent) => {
    e.preventDefault()
    setProblem(null)
    try {
      await link.mutateAsync({ variant_id: variantId.trim(), stock_location_id: locationId.trim() })
      setVariantId("")
      toast.success(t("virtualGoods.pool.linked"))
    } catch (err) {
      setProblem(errorMessage(err))
    }
  }

  const unlinkVariant = async () => {
    const ok = await prompt({
      title: t("virtualGoods.pool.unlinkTitle"),
      description: t("virtualGoods.pool.unlinkHint"),
      confirmText: t("virtualGoods.pool.unlink"),
      cancelText: t("virtualGoods.common.cancel"),
    })
    if (!ok) return
    setProblem(null)
    try {
      await unlink.mutateAsync()
      toast.success(t("virtualGoods.pool.unlinked"))
    } catch (err) {
      setProblem(errorMessage(err))
    }
  }

  return (
    <Container className="divide-y p-0">
      <SectionHeader title={t("virtualGoods.pool.settings")} />
      <form className="grid grid-cols-1 gap-4 px-6 py-4 md:grid-cols-4" onSubmit={save}>
        <SelectField
          label={t("virtualGoods.pool.allocationOrder")}
          value={order}
          onChange={setOrder}
          options={ALLOCATION_ORDERS.map((o) => ({ value: o, label: t(`virtualGoods.pool.${o}`) }))}
        />
        <InputField
          id="vg-threshold"
          label={t("virtualGoods.pool.lowStockThreshold")}
          type="number"
          min={0}
          placeholder={t("virtualGoods.pool.off")}
          value={threshold}
          onChange={(e) => setThreshold(e.target.value)}
        />
        <InputField
          id="vg-days"
          label={t("virtualGoods.pool.expiryWarningDays")}
          type="number"
          min={1}
          placeholder={t("virtualGoods.pool.off")}
          value={days}
          onChange={(e) => setDays(e.target.value)}
        />
        <div className="flex items-end">
          <Button size="small" type="submit" isLoading={update.isPending}>
            {t("virtualGoods.common.save")}
          </Button>
        </div>
      </form>
      <form className="grid grid-cols-1 gap-4 px-6 py-4 md:grid-cols-4" onSubmit={linkVariant}>
        <div className="flex flex-col gap-y-2">
          <Label>{t("virtualGoods.pool.variant")}</Label>
          <Text size="small" data-testid="linked-variant">
            {pool.product_variant ? (
              <Link className={linkClass} to={`/products/${pool.product_variant.product_id}`}>
                {pool.product_variant.title}
                {pool.product_variant.sku ? ` · ${pool.product_variant.sku}` : ""}
              </Link>
            ) : (
              t("virtualGoods.pools.notLinked")
            )}
          </Text>
          {pool.product_variant && (
            <Button size="small" variant="transparent" type="button" className="w-fit px-0 text-ui-fg-error" onClick={unlinkVariant} isLoading={unlink.isPending}>
              {t("virtualGoods.pool.unlink")}
            </Button>
          )}
        </div>
        <InputField id="vg-variant" label={t("virtualGoods.pool.variantId")} placeholder="variant_…" value={variantId} onChange={(e) => setVariantId(e.target.value)} />
        <InputField id="vg-location" label={t("virtualGoods.pool.locationId")} placeholder="sloc_…" value={locationId} onChange={(e) => setLocationId(e.target.value)} />
        <div className="flex items-end">
          <Button size="small" variant="secondary" type="submit" disabled={!variantId.trim() || !locationId.trim()} isLoading={link.isPending}>
            {t("virtualGoods.pool.linkVariant")}
          </Button>
        </div>
      </form>
      <ErrorText className="px-6 py-3">{problem}</ErrorText>
    </Container>
  )
}
