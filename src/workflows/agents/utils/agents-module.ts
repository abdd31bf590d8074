import type { MedusaContainer } from "@medusajs/framework/types"
import { AGENTS_MODULE } from "../../../modules/agents"
import type AgentsModuleService from "../../../modules/agents/service"

/** Anything that resolves registrations: a step's or job's container, a request's scope. */
export type ContainerResolver = Pick<MedusaContainer, "resolve">

/**
 * The agents module's service, resolved by its registration name (`AGENTS_MODULE`) and typed — the one place that
 * says which class stands behind the name, for steps, jobs and routes alike (generated `.medusa/types` may be absent).
 *
 * @example
 * const [account] = await agentsModule(container).balances([agentId])
 */
export function agentsModule(container: ContainerResolver): AgentsModuleService {
  return container.resolve<AgentsModuleService>(AGENTS_MODULE)
}
