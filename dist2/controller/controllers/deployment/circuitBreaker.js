/**
 * ECS's deployment circuit breaker threshold: how many tasks of a deployment may fail
 * before the deployment is FAILED. Half the desired count, rounded up, never under 3
 * nor over 200: 1 → 3, 6 → 3, 7 → 4, 10 → 5, 400 → 200, 1,000 → 200.
 */
export function failureThreshold(desiredCount) {
    return Math.min(200, Math.max(3, Math.ceil(0.5 * desiredCount)));
}
//# sourceMappingURL=circuitBreaker.js.map