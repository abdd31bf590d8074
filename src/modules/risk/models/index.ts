export { RiskRule } from "./risk-rule"
export { RiskDecision } from "./risk-decision"
export { RiskEvent } from "./risk-event"
export { RiskClient } from "./risk-client"
