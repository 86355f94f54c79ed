const MAX_STOPPED = 50;
const MAX_EVENTS = 50;
export class Ledger {
    state;
    groups = new Map();
    eventCounter = 0;
    constructor(state) {
        this.state = state;
    }
    get(group) {
        let ledger = this.groups.get(group);
        if (!ledger) {
            ledger = this.state?.load(recordName(group), emptyLedger()) ?? emptyLedger();
            this.groups.set(group, ledger);
        }
        return ledger;
    }
    requestStop(group, taskId, request) {
        const ledger = this.get(group);
        if (ledger.stopRequests[taskId])
            return false;
        ledger.stopRequests[taskId] = request;
        this.persist(group);
        return true;
    }
    recordStopped(group, task) {
        const ledger = this.get(group);
        if (ledger.stopped.some((t) => t.taskId === task.taskId))
            return false;
        ledger.stopped = stoppedHistoryWith(ledger.stopped, [task]);
        this.persist(group);
        return true;
    }
    isRecordedStopped(group, taskId) {
        return this.get(group).stopped.some((t) => t.taskId === taskId);
    }
    /** Forgets the stop request of a task whose containers are all gone. */
    settle(group, taskId) {
        const ledger = this.get(group);
        if (ledger.stopRequests[taskId]) {
            delete ledger.stopRequests[taskId];
            this.persist(group);
        }
    }
    addEvent(group, message, at) {
        const ledger = this.get(group);
        ledger.events.unshift({ id: `${at.toString(36)}-${(this.eventCounter++).toString(36)}`, createdAt: new Date(at).toISOString(), message });
        ledger.events.length = Math.min(ledger.events.length, MAX_EVENTS);
        this.persist(group);
    }
    setSteady(group, steady) {
        const ledger = this.get(group);
        if (ledger.steady === steady)
            return false;
        ledger.steady = steady;
        this.persist(group);
        return true;
    }
    setConditions(group, conditions) {
        const ledger = this.get(group);
        const next = conditions.map(({ type, status, lastTransitionTime }) => ({ type, status, lastTransitionTime }));
        if (JSON.stringify(ledger.conditions) === JSON.stringify(next))
            return;
        ledger.conditions = next;
        this.persist(group);
    }
    recordRun(group, run) {
        this.get(group).run = run;
        this.persist(group);
    }
    /** Adds to one task's times in the group's run; nothing without a run. */
    noteTaskTimes(group, taskId, times) {
        const task = this.get(group).run?.tasks[taskId];
        if (!task)
            return;
        Object.assign(task, times);
        this.persist(group);
    }
    /** Drops everything about a group (its service was deleted and its containers are gone). */
    drop(group) {
        this.groups.delete(group);
        this.state?.remove(recordName(group));
    }
    persist(group) {
        this.state?.save(recordName(group), this.get(group));
    }
}
/**
 * The stopped-task history once these tasks are recorded: newest stop first, at most 50,
 * a task already in it left as it is. Plans read it before the executor records them.
 */
export function stoppedHistoryWith(history, tasks) {
    const next = [...history];
    for (const task of tasks) {
        if (next.some((t) => t.taskId === task.taskId))
            continue;
        next.unshift(task);
        next.sort((a, b) => (b.stoppedAt ?? '').localeCompare(a.stoppedAt ?? ''));
    }
    return next.slice(0, MAX_STOPPED);
}
function emptyLedger() {
    return { stopRequests: {}, stopped: [], events: [], steady: false, conditions: [] };
}
function recordName(group) {
    return `group-${group.replace(':', '-')}`;
}
//# sourceMappingURL=ledger.js.map