import type { Context, FindConfig } from "@medusajs/framework/types"
import { InjectManager, InjectTransactionManager, MedusaContext, MedusaError, MedusaService } from "@medusajs/framework/utils"
import { Agent, AgentAccount, AgentApiKey, AgentLedgerEntry, AgentNumericAlias, AgentOrder, AgentQuota, AgentWebhookDelivery } from "./models"
import type AgentReportsService from "./services/agent-reports"
import type AgentTreeService from "./services/agent-tree"
import type ApiKeysService from "./services/api-keys"
import type LedgerService from "./services/ledger"
import type NumericAliasesService from "./services/numeric-aliases"
import type OrderLineRefundsService from "./services/order-line-refunds"
import type { NumericAliasKind } from "./services/numeric-aliases"
import type QuotasService from "./services/quotas"
import type WebhookDeliveriesService from "./services/webhook-deliveries"
import type WholesaleOrdersService from "./services/wholesale-orders"
import type {
  AccountBalance,
  AgentOrderDTO,
  AgentOrderProgress,
  AgentOrderRow,
  AgentPrincipal,
  AgentQuotaRow,
  AgentStatement,
  CommittedAgentOrderInput,
  CompletedAgentOrderInput,
  DueWebhookDelivery,
  LedgerActor,
  LedgerEntryRow,
  LedgerPosting,
  PostedPurchase,
  PurchaseInput,
  QuotaPeriod,
  StaleAgentOrderRow,
  SubAgentSummary,
  WebhookDeliveryResult,
  WebhookSendPolicy,
} from "./types"
import { fromMinor, toAmount, toMinor } from "./utils/amounts"
import { exactAgentOrder, withRawTotalSelected, type AgentsServiceConfig } from "./utils/agent-order-dto"

export type * from "./types"
export { AGENT_KEY_SCOPES, newAgentKey, type AgentKeyScope } from "./utils/api-keys"
export { fromMinor, toAmount, toMinor } from "./utils/amounts"
export { LEDGER_INSUFFICIENT_FUNDS, LEDGER_UNBALANCED } from "./services/ledger"

type InjectedDependencies = {
  ledgerService: LedgerService
  agentTreeService: AgentTreeService
  wholesaleOrdersService: WholesaleOrdersService
  apiKeysService: ApiKeysService
  quotasService: QuotasService
  webhookDeliveriesService: WebhookDeliveriesService
  agentReportsService: AgentReportsService
  numericAliasesService: NumericAliasesService
  orderLineRefundsService: OrderLineRefundsService
}

/**
 * Resellers (代理) and their money: the agent tree, one prepaid account per agent and currency with an optional
 * credit limit, and a double-entry ledger whose postings are one SQL call each (`agent_ledger_post`): the legs sum to
 * zero, balances change in the same statement's transaction, and PostgreSQL refuses any posting that would take an
 * agent below minus its credit limit — so no concurrency can overdraw an account. Wholesale orders, API keys, quotas
 * and webhook deliveries complete the module.
 *
 * The public methods, their transactions and contexts are here; the work is done by the internal services in
 * `services/` (one per capability, registered in the module's container by Medusa's module loader).
 */
class AgentsModuleService extends MedusaService<AgentsServiceConfig>({
  Agent,
  AgentAccount,
  AgentLedgerEntry,
  AgentApiKey,
  AgentQuota,
  AgentOrder,
  AgentWebhookDelivery,
  AgentNumericAlias,
}) {
  protected ledger_: LedgerService
  protected tree_: AgentTreeService
  protected orders_: WholesaleOrdersService
  protected apiKeys_: ApiKeysService
  protected quotas_: QuotasService
  protected webhooks_: WebhookDeliveriesService
  protected reports_: AgentReportsService
  protected aliases_: NumericAliasesService
  protected lineRefunds_: OrderLineRefundsService

  constructor(container: InjectedDependencies) {
    // eslint-disable-next-line prefer-rest-params
    super(...arguments)
    this.ledger_ = container.ledgerService
    this.tree_ = container.agentTreeService
    this.orders_ = container.wholesaleOrdersService
    this.apiKeys_ = container.apiKeysService
    this.quotas_ = container.quotasService
    this.webhooks_ = container.webhookDeliveriesService
    this.reports_ = container.agentReportsService
    this.aliases_ = container.numericAliasesService
    this.lineRefunds_ = container.orderLineRefundsService
  }

  // Agent orders as the generated methods return them, with `total` as its exact decimal string.

  @InjectManager()
  // @ts-expect-error the generated method is typed as a property; overriding it is how Medusa modules extend one
  async retrieveAgentOrder(id: string, config: FindConfig<AgentOrderDTO> = {}, @MedusaContext() ctx: Context = {}): Promise<AgentOrderDTO> {
    return exactAgentOrder(await super.retrieveAgentOrder(id, withRawTotalSelected(config), ctx))
  }

  @InjectManager()
  // @ts-expect-error the generated method is typed as a property; overriding it is how Medusa modules extend one
  async listAgentOrders(filters: Record<string, unknown> = {}, config: FindConfig<AgentOrderDTO> = {}, @MedusaContext() ctx: Context = {}): Promise<AgentOrderDTO[]> {
    return (await super.listAgentOrders(filters, withRawTotalSelected(config), ctx)).map(exactAgentOrder)
  }

  @InjectManager()
  // @ts-expect-error the generated method is typed as a property; overriding it is how Medusa modules extend one
  async listAndCountAgentOrders(
    filters: Record<string, unknown> = {},
    config: FindConfig<AgentOrderDTO> = {},
    @MedusaContext() ctx: Context = {}
  ): Promise<[AgentOrderDTO[], number]> {
    const [orders, count] = await super.listAndCountAgentOrders(filters, withRawTotalSelected(config), ctx)
    return [orders.map(exactAgentOrder), count]
  }

  // The agent tree

  /**
   * Creates an agent under `parent_id` (which must exist and not be frozen) with an account in `currency_code`.
   * The parent is fixed for good: the tree cannot get a cycle.
   */
  @InjectTransactionManager()
  async createAgentWithAccount(
    input: { name: string; parent_id?: string | null; customer_group_id?: string | null; currency_code: string; credit_limit?: string | number },
    @MedusaContext() ctx: Context = {}
  ): Promise<{ agent_id: string; account_id: string }> {
    const checked = await this.tree_.checkNewAgent(input, ctx)
    const agent = await this.createAgents({ name: checked.name, parent_id: checked.parent_id, customer_group_id: checked.customer_group_id }, ctx)
    const account = await this.createAgentAccounts(
      { agent_id: agent.id, kind: "agent", currency_code: checked.currency_code, balance: 0, credit_limit: checked.credit_limit },
      ctx
    )
    return { agent_id: agent.id, account_id: account.id }
  }

  /**
   * Changes an agent's name, status (frozen agents cannot buy, their keys stop working) or credit limit in a currency.
   * A credit limit below what the agent already owes is refused by the same CHECK that guards every posting.
   * Returns what it was before.
   */
  @InjectTransactionManager()
  async updateAgent(
    input: { id: string; name?: string; status?: "active" | "frozen"; credit_limit?: string | number; currency_code?: string },
    @MedusaContext() ctx: Context = {}
  ): Promise<{ name: string; status: "active" | "frozen"; credit_limit: string | null; currency_code: string | null }> {
    return this.tree_.updateAgent(input, ctx)
  }

  /** The chain of agents above `agentId`, nearest first (its parent, the parent's parent, …). */
  @InjectManager()
  async ancestorsOf(agentId: string, @MedusaContext() ctx: Context = {}): Promise<string[]> {
    return this.tree_.ancestorsOf(agentId, ctx)
  }

  // The ledger

  /**
   * The house account of a currency (where top-ups come from and purchases go to), created on first use. Read first:
   * an upsert on every purchase would lock the house row and queue all purchases behind one another.
   */
  @InjectTransactionManager()
  async houseAccount(currencyCode: string, @MedusaContext() ctx: Context = {}): Promise<string> {
    return this.ledger_.houseAccount(currencyCode, ctx)
  }

  /**
   * Posts one ledger transaction: every leg in one SQL call, all or nothing. Legs must be in one currency and sum to
   * zero; an agent account may not end below minus its credit limit. Returns the transaction id.
   */
  @InjectManager()
  async post(input: LedgerPosting, @MedusaContext() ctx: Context = {}): Promise<{ transaction_id: string }> {
    return this.ledger_.post(input, ctx)
  }

  /** Money in: the house pays `amount` into the agent's account (a prepaid top-up). */
  async topUp(input: { agent_id: string; currency_code: string; amount: string | number; note?: string | null; actor: LedgerActor }) {
    const amount = toAmount(input.amount)
    if (toMinor(amount) <= 0n) throw new MedusaError(MedusaError.Types.INVALID_DATA, "amount of a top-up must be positive")
    const account = await this.accountOf(input.agent_id, input.currency_code)
    const house = await this.houseAccount(input.currency_code)
    return this.post({
      kind: "topup",
      legs: [
        { account_id: house, amount: `-${amount}` },
        { account_id: account.account_id, amount },
      ],
      note: input.note ?? null,
      actor: input.actor,
    })
  }

  /**
   * A manual correction of an agent's balance (signed: negative debits), against the house account, with the reason
   * and who made it on the entry. A debit beyond balance + credit is refused like any other.
   */
  async adjust(input: { agent_id: string; currency_code: string; amount: string | number; note: string; actor: LedgerActor }) {
    const amount = toAmount(input.amount)
    if (toMinor(amount) === 0n) throw new MedusaError(MedusaError.Types.INVALID_DATA, "amount of an adjustment must not be zero")
    if (!input.note?.trim()) throw new MedusaError(MedusaError.Types.INVALID_DATA, "An adjustment needs a note saying why")
    const account = await this.accountOf(input.agent_id, input.currency_code)
    const house = await this.houseAccount(input.currency_code)
    return this.post({
      kind: "adjustment",
      legs: [
        { account_id: house, amount: fromMinor(-toMinor(amount)) },
        { account_id: account.account_id, amount },
      ],
      note: input.note.trim(),
      actor: input.actor,
    })
  }

  /**
   * A purchase by an agent with the commissions (分润) of the agents above it, as ONE ledger transaction: for every
   * line the buyer pays its unit price × quantity; each ancestor earns the difference between the price its child pays
   * and its own price; the house keeps what the top of the chain pays. All legs or none — an overdraft refuses the
   * whole posting. `unit_prices` maps the buyer and every ancestor to its unit price (exact decimals). A price below the
   * parent's (which the price floor prevents) is refused: commissions are never negative. One line may be given as
   * `quantity` + `unit_prices`, several as `lines`.
   */
  @InjectManager()
  async postPurchase(input: PurchaseInput, @MedusaContext() ctx: Context = {}): Promise<PostedPurchase> {
    return this.ledger_.postPurchase(input, ctx)
  }

  /**
   * Posts the exact reverse of a transaction (every leg negated) as a `refund`, referencing it: the ledger is
   * append-only, so an undone purchase stays visible as the pair. Reversing twice is refused.
   */
  @InjectManager()
  async reverseTransaction(input: { transaction_id: string; note: string; actor: LedgerActor }, @MedusaContext() ctx: Context = {}): Promise<{ transaction_id: string }> {
    return this.ledger_.reverseTransaction(input, ctx)
  }

  /**
   * Gives an agent back one line of a wholesale order that will not be delivered (a top-up its supplier definitely
   * failed), in ONE transaction and once per `reference_id`: the line's exact share of the purchase posting reversed
   * (payment, commissions up the chain the order was posted on, the house's share), the quota the line consumed
   * released, and the agent's `topup.refunded` webhook queued. A repeat answers the refund already posted.
   */
  @InjectTransactionManager()
  async refundOrderLine(
    input: { agent_order_id: string; supplier_order_id: string; note: string; actor: LedgerActor; webhook?: Record<string, unknown> },
    @MedusaContext() ctx: Context = {}
  ): Promise<{ transaction_id: string; amount: string; currency_code: string; already: boolean }> {
    return this.lineRefunds_.refundOrderLine(input, ctx)
  }

  /**
   * The numbers standing for these ids on the dujiao-next compatible routes (whose clients read ids as integers),
   * each given once on first use and kept.
   */
  @InjectTransactionManager()
  async numericAliasesOf(kind: NumericAliasKind, ids: string[], @MedusaContext() ctx: Context = {}): Promise<Map<string, number>> {
    return this.aliases_.numbersOf(kind, ids, ctx)
  }

  /** The id a number stands for on the dujiao-next compatible routes, or null. */
  @InjectManager()
  async idOfNumericAlias(kind: NumericAliasKind, number: number, @MedusaContext() ctx: Context = {}): Promise<string | null> {
    return this.aliases_.idOf(kind, number, ctx)
  }

  /** The agent's account in a currency, with what it can still spend. */
  @InjectManager()
  async accountOf(agentId: string, currencyCode: string, @MedusaContext() ctx: Context = {}): Promise<AccountBalance> {
    return this.ledger_.accountOf(agentId, currencyCode, ctx)
  }

  /**
   * Balances of the agent accounts (house accounts keep no running balance: theirs is the sum of their entries, and
   * the entries of every transaction sum to zero).
   */
  @InjectManager()
  async balances(agentIds?: string[], @MedusaContext() ctx: Context = {}): Promise<AccountBalance[]> {
    return this.ledger_.balances(agentIds, ctx)
  }

  // Reports

  /**
   * An agent's statement (对账单) for a period [from, to): the balance at `from`, every entry in order with the balance
   * after it, totals by kind, and the balance at `to` — which equals the opening balance plus the entries, and, for a
   * period reaching now, the account's balance.
   */
  @InjectManager()
  async statement(input: { agent_id: string; currency_code: string; from: Date; to: Date }, @MedusaContext() ctx: Context = {}): Promise<AgentStatement> {
    return this.reports_.statement(input, ctx)
  }

  /** The agent's ledger entries, newest first, with amounts as exact decimal strings. */
  @InjectManager()
  async ledgerOf(agentId: string, page: { limit: number; offset: number }, @MedusaContext() ctx: Context = {}): Promise<{ entries: LedgerEntryRow[]; count: number }> {
    return this.reports_.ledgerOf(agentId, page, ctx)
  }

  /**
   * The agents below `agentId` at any depth, as summaries: id, name, parent, status, depth, and per currency how many
   * completed orders they placed and their total.
   */
  @InjectManager()
  async subAgentSummaries(agentId: string, @MedusaContext() ctx: Context = {}): Promise<SubAgentSummary[]> {
    return this.reports_.subAgentSummaries(agentId, ctx)
  }

  // Wholesale orders

  /**
   * Claims an agent's `Idempotency-Key` for a wholesale order, in one INSERT that the unique index arbitrates: the
   * first request gets `created: true`; a later one with the same key gets the existing order when the body (its hash)
   * is the same and the order is complete, 409 while it is still being processed, and 422 when the body differs.
   */
  @InjectManager()
  async beginOrder(input: { agent_id: string; idempotency_key: string; request_hash: string }, @MedusaContext() ctx: Context = {}): Promise<{ id: string; created: boolean }> {
    return this.orders_.beginOrder(input, ctx)
  }

  /** Frees the key of an order that did not go through (compensation of `beginOrder`): it may be sent again. */
  @InjectManager()
  async abandonOrder(id: string, @MedusaContext() ctx: Context = {}) {
    await this.orders_.abandonOrder(id, ctx)
  }

  /**
   * Records how far a wholesale order got while it is processing (plan, quota consumed, ledger transaction, Medusa
   * order), for the recovery of a request cut off by a crash. Only a processing row is written.
   */
  @InjectManager()
  async recordOrderProgress(id: string, progress: AgentOrderProgress, @MedusaContext() ctx: Context = {}) {
    await this.orders_.recordOrderProgress(id, progress, ctx)
  }

  /** Wholesale orders still processing after `olderThanSeconds` without progress: cut off by a crash. */
  @InjectManager()
  async listStaleOrders(olderThanSeconds: number, @MedusaContext() ctx: Context = {}): Promise<string[]> {
    return this.orders_.listStaleOrders(olderThanSeconds, ctx)
  }

  /**
   * Takes a stale processing order for recovery: one conditional UPDATE that renews its `updated_at`, so two recovery
   * runs never work on one order at once. Null when it finished, was taken, or is not stale.
   */
  @InjectManager()
  async claimStaleOrder(id: string, olderThanSeconds: number, @MedusaContext() ctx: Context = {}): Promise<StaleAgentOrderRow | null> {
    return this.orders_.claimStaleOrder(id, olderThanSeconds, ctx)
  }

  /** Records a wholesale order as complete, with what it bought, its chain, its ledger transaction and Medusa order. */
  @InjectManager()
  async completeOrder(input: CompletedAgentOrderInput, @MedusaContext() ctx: Context = {}) {
    await this.orders_.completeOrder(input, ctx)
  }

  /**
   * Runs `work` in one database transaction. `work` passes the context it gets to every module method it calls (the
   * plugin's modules live in one database), so that all of it commits or none of it does: a wholesale order's key,
   * quota, codes, ledger posting and agent order.
   */
  @InjectTransactionManager()
  async runInTransaction<T>(work: (ctx: Context) => Promise<T>, @MedusaContext() ctx: Context = {}): Promise<T> {
    return await work(ctx)
  }

  /**
   * Records a wholesale order as answered, in the transaction of its key, quota, codes and ledger posting: `completed`
   * with its plan and posting, its bookkeeping (the Medusa order) `pending` for the worker.
   */
  @InjectTransactionManager()
  async commitOrder(input: CommittedAgentOrderInput, @MedusaContext() ctx: Context = {}): Promise<AgentOrderRow> {
    return this.orders_.commitOrder(input, ctx)
  }

  /** The agent order of an Idempotency-Key (any status), or null: one indexed read. */
  @InjectManager()
  async findOrderByKey(input: { agent_id: string; idempotency_key: string }, @MedusaContext() ctx: Context = {}): Promise<{ id: string; request_hash: string; status: string } | null> {
    return this.orders_.findOrderByKey(input, ctx)
  }

  /** An agent's completed order as the wholesale API shows it, or null: one indexed read. */
  @InjectManager()
  async findCompletedOrder(input: { id: string; agent_id: string }, @MedusaContext() ctx: Context = {}): Promise<AgentOrderRow | null> {
    return this.orders_.findCompletedOrder(input, ctx)
  }

  /**
   * Runs `work` while this process holds the bookkeeping lease of a wholesale order: a PostgreSQL session advisory lock
   * taken on a connection of its own, so that two workers never record one order at once and a worker that dies loses
   * the lease at that very moment (its connection closes) — no lock left to time out. `{ ran: false }` without running
   * `work` when another worker holds it.
   */
  async withBookkeepingLease<T>(id: string, work: () => Promise<T>): Promise<{ ran: true; result: T } | { ran: false }> {
    return this.orders_.withBookkeepingLease(id, work)
  }

  /** Answered wholesale orders whose Medusa order is not recorded yet, oldest first (the bookkeeping outbox). */
  async listPendingBookkeeping(limit = 100): Promise<string[]> {
    return (await this.pendingBookkeeping(limit)).map((r) => r.id)
  }

  /** The bookkeeping outbox with each order's answer time, oldest first. */
  @InjectManager()
  async pendingBookkeeping(limit = 100, @MedusaContext() ctx: Context = {}): Promise<{ id: string; completed_at: Date }[]> {
    return this.orders_.pendingBookkeeping(limit, ctx)
  }

  /** Records the Medusa order of a wholesale order whose bookkeeping is pending (once: a recorded order is kept). */
  @InjectManager()
  async recordBookkeepingOrder(input: { id: string; order_id: string; display_id: number | null }, @MedusaContext() ctx: Context = {}) {
    await this.orders_.recordBookkeepingOrder(input, ctx)
  }

  /** Forgets a Medusa order recorded by a bookkeeping run that was undone (compensation). */
  @InjectManager()
  async forgetBookkeepingOrder(input: { id: string; order_id: string }, @MedusaContext() ctx: Context = {}) {
    await this.orders_.forgetBookkeepingOrder(input, ctx)
  }

  /**
   * Closes a wholesale order's bookkeeping (its Medusa order is paid, fulfilled and linked) and queues the agent's
   * webhook with it, in one transaction. A second call does nothing and queues nothing.
   */
  @InjectTransactionManager()
  async finishBookkeeping(
    input: { id: string; webhook: { agent_id: string; event: string; payload: Record<string, unknown> } },
    @MedusaContext() ctx: Context = {}
  ): Promise<{ finished: boolean }> {
    if (!(await this.orders_.finishBookkeeping(input.id, ctx))) return { finished: false }
    await this.webhooks_.queueWebhook(input.webhook, ctx)
    return { finished: true }
  }

  /** Counts a failed bookkeeping attempt and keeps its error for the admin (the job tries again). */
  @InjectManager()
  async failBookkeeping(input: { id: string; error: string }, @MedusaContext() ctx: Context = {}) {
    await this.orders_.failBookkeeping(input, ctx)
  }

  // API keys

  /**
   * Stores a key for an agent: `prefix` and `secret_hash` from `newAgentKey()` (the caller keeps the full key to show
   * it once). Scopes must be known; an expiry must lie in the future; a frozen or unknown agent gets no key.
   */
  @InjectTransactionManager()
  async createApiKey(
    input: { agent_id: string; name: string; scopes: string[]; expires_at?: Date | null; prefix: string; secret_hash: string; created_by?: string | null },
    @MedusaContext() ctx: Context = {}
  ) {
    const scopes = await this.apiKeys_.checkNewKey(input, ctx)
    return this.createAgentApiKeys(
      {
        agent_id: input.agent_id,
        name: input.name,
        prefix: input.prefix,
        secret_hash: input.secret_hash,
        scopes,
        expires_at: input.expires_at ?? null,
        created_by: input.created_by ?? null,
      },
      ctx
    )
  }

  /**
   * The agent behind a wholesale API key, or an UNAUTHORIZED error that says the same for a malformed, unknown,
   * revoked or expired key and a wrong secret (nothing to probe). Revocation takes effect on the next request. The
   * agent must be active. Records when the key was last used (at most once a minute).
   */
  @InjectManager()
  async authenticateApiKey(key: string, @MedusaContext() ctx: Context = {}): Promise<AgentPrincipal> {
    return this.apiKeys_.authenticateApiKey(key, ctx)
  }

  /**
   * The agent behind the public part of a key (`vgk_<prefix>`) for signed protocols (dujiao-next): the same principal
   * as `authenticateApiKey` (scopes kept); a revoked, expired or unknown key is UNAUTHORIZED, a frozen agent
   * NOT_ALLOWED. The caller must verify the request's signature with `dujiaoSigningSecret(key_id)`.
   */
  @InjectManager()
  async authenticateApiKeyPrefix(publicKey: string, @MedusaContext() ctx: Context = {}): Promise<AgentPrincipal> {
    return this.apiKeys_.authenticateApiKeyPrefix(publicKey, ctx)
  }

  /** A key's dujiao-next signing secret (derived from the server key and the key id, never stored), hex. */
  dujiaoSigningSecret(keyId: string): string {
    return this.apiKeys_.dujiaoSigningSecret(keyId)
  }

  /** Revokes an agent's key (idempotent); the next request with it is refused. */
  @InjectTransactionManager()
  async revokeApiKey(input: { agent_id: string; key_id: string }, @MedusaContext() ctx: Context = {}) {
    return this.apiKeys_.revokeApiKey(input, ctx)
  }

  // Quotas

  /**
   * Sets (or replaces) an agent's quota for a variant: `limit` codes in total (`period: "none"`) or per UTC calendar
   * day, week or month. Replacing keeps what was used in the current period (a lower limit than that is refused).
   */
  @InjectTransactionManager()
  async setQuota(input: { agent_id: string; variant_id: string; limit: number; period?: QuotaPeriod }, @MedusaContext() ctx: Context = {}) {
    return this.quotas_.setQuota(input, ctx)
  }

  /**
   * Consumes `quantity` of the agent's quota for a variant in one conditional statement (a new period starts from
   * zero). No quota means no limit: `{ limited: false }`. Beyond the quota nothing is consumed and NOT_ALLOWED says
   * what is left.
   */
  @InjectManager()
  async consumeQuota(
    input: { agent_id: string; variant_id: string; quantity: number },
    @MedusaContext() ctx: Context = {}
  ): Promise<{ limited: boolean; used?: number; remaining?: number }> {
    return this.quotas_.consumeQuota(input, ctx)
  }

  /** Gives back quantity consumed by an order that did not go through (compensation of `consumeQuota`). */
  @InjectManager()
  async releaseQuota(input: { agent_id: string; variant_id: string; quantity: number }, @MedusaContext() ctx: Context = {}) {
    await this.quotas_.releaseQuota(input, ctx)
  }

  /**
   * The agent's quotas as of now: `used` and `remaining` count the current period (a period that ended without a
   * purchase since shows 0 used, as the next purchase will).
   */
  @InjectManager()
  async quotasOf(agentId: string, ids?: string[], @MedusaContext() ctx: Context = {}): Promise<AgentQuotaRow[]> {
    return this.quotas_.quotasOf(agentId, ids, ctx)
  }

  // Webhooks

  /** An agent's webhook signing secret (derived, never stored): `whsec_` + HMAC(server key, agent id, version). */
  webhookSecret(agentId: string, version: number): string {
    return this.webhooks_.webhookSecret(agentId, version)
  }

  /**
   * The signature of a webhook body for the agent's secret of `secret_version`: `v1=HMAC(secret, "<timestamp>.<body>")`.
   * The secret never leaves the module.
   */
  signWebhookBody(input: { agent_id: string; secret_version: number; timestamp: number; body: string }): string {
    return this.webhooks_.signDelivery(input)
  }

  /** Why a webhook URL is refused (see `webhookUrlProblem` in utils/webhooks), or null. */
  async webhookUrlProblem(url: string): Promise<string | null> {
    return this.webhooks_.webhookUrlProblem(url)
  }

  /** How webhooks may be sent: to private addresses or not (development), and the time allowed for an answer. */
  webhookSendPolicy(): WebhookSendPolicy {
    return this.webhooks_.sendPolicy()
  }

  /**
   * Sets (or with `url: null` removes) an agent's webhook URL. A new secret (the version bumped) when asked for or when
   * the agent had no URL; returns it so it can be shown once. A refused URL says why.
   */
  @InjectTransactionManager()
  async setWebhook(
    input: { agent_id: string; url: string | null; rotate_secret?: boolean },
    @MedusaContext() ctx: Context = {}
  ): Promise<{ url: string | null; secret: string | null; previous: { url: string | null; version: number } }> {
    return this.webhooks_.setWebhook(input, ctx)
  }

  /** Puts back an agent's webhook URL and secret version (compensation of `setWebhook`). */
  @InjectManager()
  async restoreWebhook(input: { agent_id: string; url: string | null; version: number }, @MedusaContext() ctx: Context = {}) {
    await this.webhooks_.restoreWebhook(input, ctx)
  }

  /** Queues an event for the agent's webhook; nothing (null) when the agent has no URL. */
  @InjectManager()
  async queueWebhook(input: { agent_id: string; event: string; payload: Record<string, unknown> }, @MedusaContext() ctx: Context = {}): Promise<{ id: string } | null> {
    return this.webhooks_.queueWebhook(input, ctx)
  }

  /** Removes a queued delivery that was never attempted (compensation of `queueWebhook`). */
  @InjectManager()
  async discardWebhook(id: string, @MedusaContext() ctx: Context = {}) {
    await this.webhooks_.discardWebhook(id, ctx)
  }

  /**
   * Claims the deliveries that are due, each with `FOR UPDATE SKIP LOCKED`, and leases them for the time a send may
   * take (so two senders never send one twice at once). Returns each with its agent's URL and secret version — the
   * sender signs through `signWebhookBody` and records the outcome with `recordWebhookAttempt`.
   */
  @InjectManager()
  async claimDueWebhooks(input: { limit?: number; ids?: string[] } = {}, @MedusaContext() ctx: Context = {}): Promise<DueWebhookDelivery[]> {
    return this.webhooks_.claimDueWebhooks(input, ctx)
  }

  /**
   * Records a send attempt (`attempts` counts it): no error delivers; an error retries with backoff and, after the
   * last attempt, leaves the delivery `dead` for an admin to replay.
   */
  @InjectManager()
  async recordWebhookAttempt(
    input: { id: string; attempts: number; last_status: number | null; last_error: string | null },
    @MedusaContext() ctx: Context = {}
  ): Promise<WebhookDeliveryResult> {
    return this.webhooks_.recordWebhookAttempt(input, ctx)
  }

  /** Sends a dead (or pending) delivery again from the first attempt, now. Returns the state it had before. */
  @InjectManager()
  async replayWebhook(id: string, @MedusaContext() ctx: Context = {}) {
    return this.webhooks_.replayWebhook(id, ctx)
  }
}

export default AgentsModuleService
