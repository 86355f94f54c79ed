import type { Condition } from '../kinds/index.js';

export interface ConditionInput {
  type: string;
  status?: Condition['status'];
  reason: string;
  message: string;
}

/**
 * Typed conditions whose lastTransitionTime moves only when their status does, so
 * an unchanged observation writes an unchanged status (and no file write at all).
 */
export function buildConditions(
  inputs: readonly ConditionInput[],
  previous: ReadonlyArray<{ type: string; status: string; lastTransitionTime: string }>,
  now: number,
): Condition[] {
  return inputs.map((input) => {
    const status = input.status ?? 'True';
    const before = previous.find((p) => p.type === input.type);
    const lastTransitionTime = before && before.status === status ? before.lastTransitionTime : new Date(now).toISOString();
    return { type: input.type, status, reason: input.reason, message: input.message, lastTransitionTime };
  });
}
