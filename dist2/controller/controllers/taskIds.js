import { randomBytes } from 'node:crypto';
/** A new task's id, chosen by the plan that launches it: 32 hex digits, as ECS's. */
export function randomTaskId() {
    return randomBytes(16).toString('hex');
}
//# sourceMappingURL=taskIds.js.map