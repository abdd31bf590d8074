import Medusa from "@medusajs/js-sdk"

/** The admin's own backend, with the admin's session cookie. */
export const sdk = new Medusa({
  baseUrl: import.meta.env.VITE_BACKEND_URL || "/",
  debug: false,
  auth: { type: "session" },
})
