export { JobTick } from "./job-tick"
