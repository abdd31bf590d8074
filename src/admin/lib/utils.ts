import { FetchError } from "@medusajs/js-sdk"

/** Rows per page of the paged lists (codes, ledger, orders, deliveries, audit log). */
export const PAGE_SIZE = 20

/** What an error says, for a toast or an inline message. */
export const errorMessage = (e: unknown) => (e instanceof Error ? e.message : String(e))

/** Whether a failed SDK call was answered 404. */
export const isNotFound = (e: unknown) => e instanceof FetchError && e.status === 404
