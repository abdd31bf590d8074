import type { MedusaContainer } from "@medusajs/framework/types"
import type { VirtualStore } from "../../src/scripts/setup-virtual-store"
import { Api, createAdminHeaders, createVirtualStore, explainHttpErrors } from "./index"

/**
 * The HTTP suites' shared setup. Call a fixture at the top of `medusaIntegrationTestRunner`'s `testSuite`: it registers
 * its own Jest hooks and returns an object that is the same for the whole file and filled in place before each test
 * reads it (like the `adminHeaders` object of Medusa's own integration tests), so tests use it as they would a
 * variable of their own.
 *
 * The runner boots the app in its `beforeAll`, takes a database snapshot after the suite's `beforeAll` hooks and
 * restores it before every later test: what a fixture makes in `beforeAll` is there in every test, what it makes in
 * `beforeEach` is made again after each restore.
 */

/** What the fixtures use of the options `medusaIntegrationTestRunner` hands its `testSuite`. */
export type SuiteContext = { api: Api; getContainer: () => MedusaContainer }

/** An admin user and the headers that authenticate as them; pass it as a request's config: `api.get(url, admin)`. */
export type AdminSession = Awaited<ReturnType<typeof createAdminHeaders>>

/** A fresh admin user before every test (the restore removes the previous one), in one object for the whole file. */
function adminBeforeEach(suite: SuiteContext): AdminSession {
  const admin = { headers: {} } as AdminSession // filled before each test
  beforeEach(async () => {
    Object.assign(admin, await createAdminHeaders(suite.getContainer()))
  })
  return admin
}

/**
 * A suite of the admin API: failed requests put their response body in the error (`explainHttpErrors`), and an admin
 * user before every test.
 *
 * @example
 * medusaIntegrationTestRunner({
 *   testSuite: ({ api, getContainer }) => {
 *     const admin = useAdmin({ api, getContainer })
 *     it("lists agents", async () => expect((await api.get("/admin/virtual-goods/agents", admin)).status).toBe(200))
 *   },
 * })
 */
export function useAdmin(suite: SuiteContext): AdminSession {
  beforeAll(() => explainHttpErrors(suite.api))
  return adminBeforeEach(suite)
}

/**
 * A suite of the store: failed requests explain themselves, the test store of `createVirtualStore` ("Youku VIP monthly"
 * with `codes` codes in its pool, "Game points 100" with none) made once for the file — or before every test with
 * `eachTest` —, then an admin user before every test.
 *
 * @example
 * medusaIntegrationTestRunner({
 *   testSuite: ({ api, getContainer }) => {
 *     const { store, admin } = useVirtualStore({ api, getContainer }, { codes: 6 })
 *     it("sells a code", async () => {
 *       const cart = await prepareCart(api, store, [{ variant_id: store.products[0].variant_id, quantity: 1 }])
 *       // …
 *     })
 *   },
 * })
 */
export function useVirtualStore(
  suite: SuiteContext,
  options: { codes: number; eachTest?: boolean }
): { store: VirtualStore; admin: AdminSession } {
  const store = {} as VirtualStore // filled before the first test (or before each)
  const createStore = async () => {
    Object.assign(store, await createVirtualStore(suite.getContainer(), options.codes))
  }
  if (options.eachTest) {
    beforeAll(() => explainHttpErrors(suite.api))
    beforeEach(createStore)
  } else {
    beforeAll(async () => {
      explainHttpErrors(suite.api)
      await createStore()
    })
  }
  return { store, admin: adminBeforeEach(suite) }
}
