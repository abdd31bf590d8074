import { Button, Drawer, Text } from "@medusajs/ui"
import { useQueryClient } from "@tanstack/react-query"
import { type ComponentProps, useEffect, useMemo, useState } from "react"
import { useTranslation } from "react-i18next"
import { useBatch, useGenerate } from "../hooks/api/batches"
import { queryKeys } from "../lib/query-keys"
import { errorMessage } from "../lib/utils"
import { ErrorText, ProgressBar, formatNumber } from "./common"
import { InputField } from "./fields"
import { FormDrawer } from "./form-drawer"

/** Crockford base32 carries 5 bits per character; the server refuses formats under 64 random bits. */
const BITS_PER_CHAR = 5
const MIN_BITS = 64
const SAMPLE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

/**
 * Generate dialog: count and format (prefix, random characters, grouping), the entropy of the chosen format shown as
 * it is typed, weak formats refused before sending (the server checks again and explains the same arithmetic).
 */
export const GenerateDialog = ({ poolId }: { poolId: string }) => {
  const { t, i18n } = useTranslation()
  const qc = useQueryClient()
  const [open, setOpen] = useState(false)
  const [count, setCount] = useState("100")
  const [prefix, setPrefix] = useState("")
  const [length, setLength] = useState("16")
  const [groupSize, setGroupSize] = useState("4")
  const [separator, setSeparator] = useState("-")
  const [problem, setProblem] = useState<string | null>(null)
  const [batchId, setBatchId] = useState<string | null>(null)
  const generate = useGenerate(poolId)
  const { data } = useBatch(batchId)
  const batch = data?.card_batch
  const finished = !!batch && batch.status !== "importing"

  useEffect(() => {
    if (finished) qc.invalidateQueries({ queryKey: queryKeys.all })
  }, [finished, qc])

  const len = Number(length)
  const bits = Number.isInteger(len) && len > 0 ? len * BITS_PER_CHAR : 0
  const weak = bits < MIN_BITS
  // An illustration of the format only (not a real code: those come from the server's CSPRNG).
  const example = useMemo(() => {
    const body = Array.from({ length: Math.max(0, Math.min(len || 0, 64)) + 1 }, (_, i) => SAMPLE_ALPHABET[(i * 7 + 3) % 32]).join("")
    const size = Number(groupSize) || 0
    const groups = size > 0 ? body.match(new RegExp(`.{1,${size}}`, "g")) ?? [body] : [body]
    return `${prefix}${groups.join(separator)}`
  }, [len, groupSize, separator, prefix])

  const start = async () => {
    if (weak) return
    setProblem(null)
    try {
      const { card_batch } = await generate.mutateAsync({
        count: Number(count),
        prefix: prefix || undefined,
        length: len,
        group_size: Number(groupSize) || 0,
        separator,
      })
      setBatchId(card_batch.id)
    } catch (e) {
      setProblem(errorMessage(e))
    }
  }

  const field = (id: string, label: string, value: string, onChange: (v: string) => void, props: Omit<ComponentProps<typeof InputField>, "id" | "label">) => (
    <InputField id={id} label={label} value={value} onChange={(e) => onChange(e.target.value)} {...props} />
  )

  return (
    <FormDrawer
      open={open}
      onOpenChange={(o) => {
        setOpen(o)
        if (!o) {
          setBatchId(null)
          setProblem(null)
        }
      }}
      trigger={
        <Button size="small" variant="secondary">
          {t("virtualGoods.generate.button")}
        </Button>
      }
      title={t("virtualGoods.generate.title")}
      footer={
        <>
          <Drawer.Close asChild>
            <Button size="small" variant="secondary">
              {t("virtualGoods.common.close")}
            </Button>
          </Drawer.Close>
          <Button size="small" onClick={start} disabled={weak || (!!batch && !finished)} isLoading={generate.isPending}>
            {t("virtualGoods.generate.start")}
          </Button>
        </>
      }
    >
      <div className="grid grid-cols-2 gap-4">
        {field("vg-gen-count", t("virtualGoods.generate.count"), count, setCount, { type: "number", min: 1, max: 1000000 })}
        {field("vg-gen-prefix", t("virtualGoods.generate.prefix"), prefix, setPrefix, {})}
        {field("vg-gen-length", t("virtualGoods.generate.length"), length, setLength, { type: "number", min: 1, max: 64 })}
        {field("vg-gen-group", t("virtualGoods.generate.groupSize"), groupSize, setGroupSize, { type: "number", min: 0 })}
        {field("vg-gen-separator", t("virtualGoods.generate.separator"), separator, setSeparator, { maxLength: 3 })}
      </div>
      <Text size="small" className={weak ? "text-ui-fg-error" : "text-ui-fg-subtle"} data-testid="entropy" data-bits={bits}>
        {weak ? t("virtualGoods.generate.weak", { bits }) : t("virtualGoods.generate.entropy", { length: len, bits })}
      </Text>
      <Text size="small" className="font-mono text-ui-fg-subtle">
        {t("virtualGoods.generate.example", { example })}
      </Text>
      {batch && (
        <div className="flex flex-col gap-y-2" data-testid="generate-outcome" data-status={batch.status}>
          <ProgressBar percent={batch.progress.percent} />
          <Text size="small" role="status">
            {finished
              ? t("virtualGoods.generate.done", { codes: formatNumber(batch.code_count, i18n.language) })
              : t("virtualGoods.generate.started", { total: formatNumber(Number(count), i18n.language) })}
          </Text>
        </div>
      )}
      <ErrorText>{problem}</ErrorText>
    </FormDrawer>
  )
}
