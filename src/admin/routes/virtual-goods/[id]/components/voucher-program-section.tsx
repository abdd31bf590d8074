import { Badge, Button, Container, Text, toast } from "@medusajs/ui"
import { type FormEvent, useEffect, useState } from "react"
import { useTranslation } from "react-i18next"
import { ErrorText } from "../../../../components/common"
import { InputField, SelectField } from "../../../../components/fields"
import { SectionHeader } from "../../../../components/section-header"
import { useSetVoucherProgram, useVoucherProgram } from "../../../../hooks/api/vouchers"
import { errorMessage } from "../../../../lib/utils"
import type { VoucherProgramKind } from "../../../../types"

type Kind = VoucherProgramKind | "none"

/**
 * Whether the pool's codes are the store's own vouchers (核销) and how they are redeemed: once, a number of times, or
 * a stored value spent in parts; the rollback window; active or disabled. The API checks the kind's settings and names
 * the field at fault.
 */
export const VoucherProgramSection = ({ poolId }: { poolId: string }) => {
  const { t } = useTranslation()
  const { data } = useVoucherProgram(poolId)
  const save = useSetVoucherProgram(poolId)
  const program = data?.voucher_program ?? null
  const [kind, setKind] = useState<Kind>("none")
  const [uses, setUses] = useState("")
  const [faceValue, setFaceValue] = useState("")
  const [currency, setCurrency] = useState("")
  const [windowMinutes, setWindowMinutes] = useState("15")
  const [active, setActive] = useState<"active" | "disabled">("active")
  const [problem, setProblem] = useState<string | null>(null)
  useEffect(() => {
    setKind(program?.kind ?? "none")
    setUses(program?.uses?.toString() ?? "")
    setFaceValue(program?.face_value ?? "")
    setCurrency(program?.currency_code ?? "")
    setWindowMinutes(String(Math.round((program?.rollback_window_seconds ?? 900) / 60)))
    setActive(program?.status ?? "active")
  }, [program])

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    setProblem(null)
    if (kind === "none") return
    const minutes = Number(windowMinutes)
    if (!Number.isInteger(minutes) || minutes < 0) return setProblem(t("virtualGoods.voucherProgram.windowInvalid"))
    try {
      await save.mutateAsync({
        kind,
        uses: kind === "multi_use" ? Number(uses) : null,
        face_value: kind === "stored_value" ? faceValue.trim() : null,
        currency_code: kind === "stored_value" ? currency.trim().toLowerCase() : null,
        rollback_window_seconds: minutes * 60,
        status: active,
      })
      toast.success(t("virtualGoods.common.saved"))
    } catch (err) {
      setProblem(errorMessage(err))
    }
  }

  return (
    <Container className="divide-y p-0" data-testid="voucher-program">
      <SectionHeader
        title={t("virtualGoods.voucherProgram.title")}
        hint={t("virtualGoods.voucherProgram.hint")}
        actions={
          program ? (
            <Badge size="2xsmall" color={program.status === "active" ? "green" : "grey"} data-status={program.status}>
              {t(`virtualGoods.voucherProgram.status.${program.status}`)}
            </Badge>
          ) : (
            <Badge size="2xsmall" color="grey" data-status="none">
              {t("virtualGoods.voucherProgram.none")}
            </Badge>
          )
        }
      />
      <form className="grid grid-cols-1 gap-4 px-6 py-4 md:grid-cols-4" onSubmit={submit}>
        <SelectField
          label={t("virtualGoods.voucherProgram.kind")}
          value={kind}
          onChange={setKind}
          options={[
            ...(program ? [] : [{ value: "none" as Kind, label: t("virtualGoods.voucherProgram.kinds.none") }]),
            { value: "single_use" as Kind, label: t("virtualGoods.voucherProgram.kinds.single_use") },
            { value: "multi_use" as Kind, label: t("virtualGoods.voucherProgram.kinds.multi_use") },
            { value: "stored_value" as Kind, label: t("virtualGoods.voucherProgram.kinds.stored_value") },
          ]}
        />
        {kind === "multi_use" && (
          <InputField id="vg-program-uses" label={t("virtualGoods.voucherProgram.uses")} inputMode="numeric" value={uses} onChange={(e) => setUses(e.target.value)} />
        )}
        {kind === "stored_value" && (
          <>
            <InputField id="vg-program-face-value" label={t("virtualGoods.voucherProgram.faceValue")} inputMode="decimal" value={faceValue} onChange={(e) => setFaceValue(e.target.value)} />
            <InputField id="vg-program-currency" label={t("virtualGoods.voucherProgram.currency")} value={currency} onChange={(e) => setCurrency(e.target.value)} />
          </>
        )}
        {kind !== "none" && (
          <>
            <InputField id="vg-program-window" label={t("virtualGoods.voucherProgram.window")} inputMode="numeric" value={windowMinutes} onChange={(e) => setWindowMinutes(e.target.value)} />
            {program && (
              <SelectField
                label={t("virtualGoods.voucherProgram.state")}
                value={active}
                onChange={setActive}
                options={[
                  { value: "active", label: t("virtualGoods.voucherProgram.status.active") },
                  { value: "disabled", label: t("virtualGoods.voucherProgram.status.disabled") },
                ]}
              />
            )}
          </>
        )}
        <div className="flex items-end md:col-span-4">
          {kind === "none" ? (
            <Text size="small" className="text-ui-fg-subtle">
              {t("virtualGoods.voucherProgram.noneHint")}
            </Text>
          ) : (
            <Button size="small" type="submit" isLoading={save.isPending}>
              {t(program ? "virtualGoods.common.save" : "virtualGoods.voucherProgram.enable")}
            </Button>
          )}
        </div>
        {problem && <ErrorText className="md:col-span-4">{problem}</ErrorText>}
      </form>
    </Container>
  )
}
