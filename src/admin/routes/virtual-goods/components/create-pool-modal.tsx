import { Button, FocusModal, Heading, Label, Textarea, toast } from "@medusajs/ui"
import { useState } from "react"
import { useTranslation } from "react-i18next"
import { useNavigate } from "react-router-dom"
import { ErrorText } from "../../../components/common"
import { InputField, SelectField } from "../../../components/fields"
import { useCreatePool } from "../../../hooks/api/pools"
import { errorMessage } from "../../../lib/utils"
import type { Pool } from "../../../types"

/** Creates a pool (name, description, kind: exclusive or reusable — fixed once created), then opens it. */
export const CreatePoolModal = () => {
  const { t } = useTranslation()
  const navigate = useNavigate()
  const [open, setOpen] = useState(false)
  const [name, setName] = useState("")
  const [description, setDescription] = useState("")
  const [kind, setKind] = useState<Pool["kind"]>("exclusive")
  const [problem, setProblem] = useState<string | null>(null)
  const create = useCreatePool()

  const submit = async () => {
    if (!name.trim()) {
      setProblem(t("virtualGoods.pools.nameRequired"))
      return
    }
    try {
      const { card_pool } = await create.mutateAsync({ name: name.trim(), description: description.trim() || undefined, kind })
      toast.success(t("virtualGoods.pools.created", { name: card_pool.name }))
      setOpen(false)
      navigate(`/virtual-goods/${card_pool.id}`)
    } catch (e) {
      setProblem(errorMessage(e))
    }
  }

  return (
    <FocusModal open={open} onOpenChange={setOpen}>
      <FocusModal.Trigger asChild>
        <Button size="small" variant="secondary">
          {t("virtualGoods.pools.create")}
        </Button>
      </FocusModal.Trigger>
      <FocusModal.Content>
        <FocusModal.Header>
          <Button size="small" onClick={submit} isLoading={create.isPending}>
            {t("virtualGoods.common.save")}
          </Button>
        </FocusModal.Header>
        <FocusModal.Body className="flex flex-col items-center py-16">
          <div className="flex w-full max-w-lg flex-col gap-y-4">
            <Heading>{t("virtualGoods.pools.createTitle")}</Heading>
            <InputField id="vg-pool-name" label={t("virtualGoods.pools.name")} value={name} onChange={(e) => setName(e.target.value)} />
            <div className="flex flex-col gap-y-2">
              <Label htmlFor="vg-pool-description">{t("virtualGoods.pools.description")}</Label>
              <Textarea id="vg-pool-description" value={description} onChange={(e) => setDescription(e.target.value)} />
            </div>
            <SelectField
              label={t("virtualGoods.pools.kind")}
              value={kind}
              onChange={setKind}
              options={[
                { value: "exclusive" as const, label: t("virtualGoods.pools.kinds.exclusive") },
                { value: "reusable" as const, label: t("virtualGoods.pools.kinds.reusable") },
              ]}
            />
            <ErrorText>{problem}</ErrorText>
          </div>
        </FocusModal.Body>
      </FocusModal.Content>
    </FocusModal>
  )
}
