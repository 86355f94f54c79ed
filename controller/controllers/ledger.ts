/**
 * The ledger's records as the plans read them. The ledger itself lives in state/ (the
 * executor is its only writer); its record types are named here too because plans and
 * their tests speak of stopped tasks and stop requests.
 */
export type { GroupLedger, RunTaskTimes, StopRequest, StoppedTask, TaskRun } from '../state/ledger.js';
