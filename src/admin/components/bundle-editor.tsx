import { Button, IconButton, Input, Label, Text, toast, usePrompt } from "@medusajs/ui"
import { Trash } from "@medusajs/icons"
import { type FormEvent, useEffect, useState } from "react"
import { useTranslation } from "react-i18next"
import { ErrorText } from "./common"
import { FormDrawer } from "./form-drawer"
import { InputField, SelectField } from "./fields"
import { usePools } from "../hooks/api/pools"
import { useRemoveBundle, useSetBundle } from "../hooks/api/bundles"
import { errorMessage } from "../lib/utils"
import type { Bundle } from "../types"
import { bundleInputOf, emptyRow, percentOf, type Row } from "../lib/bundles"

/**
 * Composes a variant's bundle (组合商品) in a drawer: a name, then components — a pool, codes of it per bundle, and
 * optionally its share of the price (all rows or none). Existing bundles open with their components and can be
 * removed behind a confirmation.
 */
export const BundleEditor = ({ variantId, variantTitle, bundle }: { variantId: string; variantTitle: string; bundle: Bundle | null }) => {
  const { t } = useTranslation()
  const prompt = usePrompt()
  const [open, setOpen] = useState(false)
  const [name, setName] = useState("")
  const [rows, setRows] = useState<Row[]>([])
  const [problem, setProblem] = useState<string | null>(null)
  const { data: pools } = usePools("")
  const save = useSetBundle(variantId)
  const remove = useRemoveBundle(variantId)

  useEffect(() => {
    if (!open) return
    setName(bundle?.name ?? variantTitle)
    setRows(
      bundle
        ? bundle.components.map((c) => ({ pool_id: c.pool_id, quantity: String(c.quantity), share: percentOf(c.share) }))
        : [emptyRow(), emptyRow()]
    )
    setProblem(null)
  }, [open, bundle, variantTitle])

  // Pools that sell a variant of their own may be components too; the list is the pools page's.
  const options = (pools?.card_pools ?? []).map((p) => ({ value: p.id, label: `${p.name} (${p.stock.available})` }))
  const setRow = (i: number, patch: Partial<Row>) => setRows((all) => all.map((r, j) => (j === i ? { ...r, ...patch } : r)))

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    const parsed = bundleInputOf(name, rows)
    if ("problem" in parsed) {
      setProblem(t(parsed.problem.key, { row: parsed.problem.row }))
      return
    }
    try {
      const { bundle: saved } = await save.mutateAsync(parsed.input)
      toast.success(t("virtualGoods.bundles.saved", { name: saved.name, available: saved.available }))
      setOpen(false)
    } catch (err) {
      setProblem(errorMessage(err))
    }
  }

  const removeBundle = async () => {
    const ok = await prompt({
      title: t("virtualGoods.bundles.removeTitle", { name: bundle?.name ?? "" }),
      description: t("virtualGoods.bundles.removeHint"),
      confirmText: t("virtualGoods.bundles.remove"),
      cancelText: t("virtualGoods.common.cancel"),
    })
    if (!ok) return
    try {
      await remove.mutateAsync()
      toast.success(t("virtualGoods.bundles.removed"))
    } catch (err) {
      toast.error(errorMessage(err))
    }
  }

  return (
    <div className="flex gap-x-2">
      <FormDrawer
        open={open}
        onOpenChange={setOpen}
        trigger={
          <Button size="small" variant="secondary" type="button">
            {t(bundle ? "virtualGoods.bundles.edit" : "virtualGoods.bundles.compose")}
          </Button>
        }
        title={t("virtualGoods.bundles.title", { variant: variantTitle })}
        onSubmit={submit}
        footer={
          <>
            <Button size="small" variant="secondary" type="button" onClick={() => setOpen(false)}>
              {t("virtualGoods.common.cancel")}
            </Button>
            <Button size="small" type="submit" isLoading={save.isPending}>
              {t("virtualGoods.common.save")}
            </Button>
          </>
        }
      >
        <Text size="small" className="text-ui-fg-subtle">
          {t("virtualGoods.bundles.hint")}
        </Text>
        <InputField id="vg-bundle-name" label={t("virtualGoods.bundles.name")} value={name} onChange={(e) => setName(e.target.value)} />
        {rows.map((r, i) => (
          <div key={i} className="flex items-end gap-x-2" data-component-row={i + 1}>
            <SelectField
              className="flex flex-1 flex-col gap-y-2"
              label={t("virtualGoods.bundles.pool", { row: i + 1 })}
              value={r.pool_id}
              onChange={(pool_id) => setRow(i, { pool_id })}
              options={options}
            />
            <div className="flex w-20 flex-col gap-y-2">
              <Label htmlFor={`vg-bundle-qty-${i}`}>{t("virtualGoods.bundles.quantity")}</Label>
              <Input id={`vg-bundle-qty-${i}`} inputMode="numeric" value={r.quantity} onChange={(e) => setRow(i, { quantity: e.target.value })} />
            </div>
            <div className="flex w-24 flex-col gap-y-2">
              <Label htmlFor={`vg-bundle-share-${i}`}>{t("virtualGoods.bundles.share")}</Label>
              <Input id={`vg-bundle-share-${i}`} inputMode="decimal" placeholder="—" value={r.share} onChange={(e) => setRow(i, { share: e.target.value })} />
            </div>
            <IconButton type="button" variant="transparent" aria-label={t("virtualGoods.bundles.removeRow", { row: i + 1 })} onClick={() => setRows((all) => all.filter((_, j) => j !== i))}>
              <Trash />
            </IconButton>
          </div>
        ))}
        <div>
          <Button size="small" variant="secondary" type="button" onClick={() => setRows((all) => [...all, emptyRow()])}>
            {t("virtualGoods.bundles.addComponent")}
          </Button>
        </div>
        <ErrorText>{problem}</ErrorText>
      </FormDrawer>
      {bundle && (
        <Button size="small" variant="transparent" type="button" onClick={removeBundle} isLoading={remove.isPending}>
          {t("virtualGoods.bundles.remove")}
        </Button>
      )}
    </div>
  )
}
