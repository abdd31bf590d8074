export { Agent } from "./agent"
export { AgentAccount } from "./agent-account"
export { AgentLedgerEntry } from "./agent-ledger-entry"
export { AgentApiKey } from "./agent-api-key"
