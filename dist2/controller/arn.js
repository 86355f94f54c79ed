/**
 * ARNs in ECS's format, with a fixed partition, region and account: berth has no AWS
 * account, and a constant keeps them stable across hosts and restarts. Software that
 * splits an ARN on ":" and "/" (to find a task id or a cluster name) works unchanged.
 */
export const ARN_PREFIX = 'arn:berth:ecs:local:000000000000';
export function clusterArn(cluster) {
    return `${ARN_PREFIX}:cluster/${cluster}`;
}
/** ECS's long ARN format: the cluster name, then the task id. */
export function taskArn(cluster, taskId) {
    return `${ARN_PREFIX}:task/${cluster}/${taskId}`;
}
/** ECS ends a container ARN with a random id; berth's container names are unique within a task. */
export function containerArn(cluster, taskId, container) {
    return `${ARN_PREFIX}:container/${cluster}/${taskId}/${container}`;
}
export function taskDefinitionArn(family, revision) {
    return `${ARN_PREFIX}:task-definition/${family}:${revision}`;
}
//# sourceMappingURL=arn.js.map