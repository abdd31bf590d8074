import { model } from "@medusajs/framework/utils"

/**
 * One rejected line of an import: line number, field and reason. Never the code itself. Kept when the import is
 * rejected as a whole, so the merchant can download the report and fix the file.
 */
export const CardImportError = model
  .define("card_import_error", {
    id: model.id({ prefix: "cimperr" }).primaryKey(),
    batch_id: model.text(),
    line: model.number(),
    field: model.text(),
    message: model.text(),
  })
  .indexes([{ on: ["batch_id", "line"] }])
