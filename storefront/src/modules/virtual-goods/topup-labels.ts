import type { T } from "@lib/i18n"
import type { TopUpRecipientLabels } from "./topup-recipient-form"

/** The texts of a top-up line's recipient form, in the page's language. */
export const topUpRecipientLabels = (t: T): TopUpRecipientLabels => ({
  title: t("topup.title"),
  hint: t("topup.hint"),
  save: t("topup.save"),
  saving: t("topup.saving"),
  change: t("topup.change"),
  cancel: t("topup.cancel"),
  optional: t("topup.optional"),
  saved: t("topup.saved"),
  required: t("topup.required"),
  minLength: t("topup.minLength"),
  maxLength: t("topup.maxLength"),
  pattern: t("topup.pattern"),
  generic: t("error.generic"),
})
