import { Type } from '@sinclair/typebox';
import { Condition, manifest } from './common.js';
/** ELB's target states (DescribeTargetHealth's TargetHealth.State). */
export const TARGET_STATES = ['initial', 'healthy', 'unhealthy', 'unused', 'draining'];
export const TargetProtocol = Type.Union([Type.Literal('HTTP'), Type.Literal('TCP')]);
/** "200", "200-299", "200,302": the codes an HTTP health check counts as healthy (ELB's Matcher.HttpCode). */
export const HTTP_CODE_PATTERN = '^[1-5][0-9]{2}(-[1-5][0-9]{2})?(,[1-5][0-9]{2}(-[1-5][0-9]{2})?)*$';
export const TargetGroupHealthCheck = Type.Object({
    /** @default the target group's protocol */
    protocol: Type.Optional(TargetProtocol),
    /** HTTP only. @default / */
    path: Type.Optional(Type.String({ pattern: '^/', minLength: 1, maxLength: 1024 })),
    /** `traffic-port` (the port traffic is sent to) or a fixed port. @default traffic-port */
    port: Type.Optional(Type.Union([Type.Literal('traffic-port'), Type.Integer({ minimum: 1, maximum: 65535 })])),
    /** @default 30 */
    intervalSeconds: Type.Optional(Type.Integer({ minimum: 5, maximum: 300 })),
    /** @default 5 (HTTP), 10 (TCP) */
    timeoutSeconds: Type.Optional(Type.Integer({ minimum: 2, maximum: 120 })),
    /** Consecutive successes that make a target healthy. @default 5 */
    healthyThresholdCount: Type.Optional(Type.Integer({ minimum: 2, maximum: 10 })),
    /** Consecutive failures that make a target unhealthy. @default 2 */
    unhealthyThresholdCount: Type.Optional(Type.Integer({ minimum: 2, maximum: 10 })),
    /** HTTP only. @default {httpCode: "200"} */
    matcher: Type.Optional(Type.Object({ httpCode: Type.String({ pattern: HTTP_CODE_PATTERN }) }, { additionalProperties: false })),
}, { additionalProperties: false });
export const LoadBalancingAlgorithm = Type.Union([Type.Literal('round_robin'), Type.Literal('least_outstanding_requests')]);
export const TargetGroupSpec = Type.Object({
    /** HTTP (an ALB's target group: requests) or TCP (an NLB's: connections). @default HTTP */
    protocol: Type.Optional(TargetProtocol),
    healthCheck: Type.Optional(TargetGroupHealthCheck),
    /** How long a deregistered target may finish its in-flight requests (ELB's deregistration_delay.timeout_seconds). @default 300 */
    deregistrationDelaySeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 3600 })),
    /** @default round_robin */
    loadBalancingAlgorithm: Type.Optional(LoadBalancingAlgorithm),
}, { additionalProperties: false });
export const TargetGroup = manifest('TargetGroup', TargetGroupSpec, 'The tasks a listener forwards to, with their health checks (ELB TargetGroup); Services register into it with loadBalancers.');
/** A target as DescribeTargetHealth reports it; `id` is the task id. */
export const TargetHealthView = Type.Object({
    id: Type.String({ description: 'The task id.' }),
    address: Type.String({ description: 'Where traffic goes: 127.0.0.1, or the awsvpc task address.' }),
    port: Type.Integer({ minimum: 1, maximum: 65535 }),
    service: Type.String({ description: 'The Service that registered it.' }),
    state: Type.Union(TARGET_STATES.map((state) => Type.Literal(state)), { description: "ELB's target state." }),
    reason: Type.Optional(Type.String({ description: "ELB's reason code, e.g. Target.ResponseCodeMismatch; absent when healthy." })),
    description: Type.Optional(Type.String()),
}, { additionalProperties: false });
export const TargetGroupStatus = Type.Object({
    protocol: TargetProtocol,
    services: Type.Array(Type.String(), { description: 'The Services whose loadBalancers name this group.' }),
    loadBalancers: Type.Array(Type.String(), { description: 'The LoadBalancers whose listeners forward to it.' }),
    targets: Type.Array(TargetHealthView),
    conditions: Type.Array(Condition),
}, { additionalProperties: false });
export function targetGroupConfig(spec) {
    const protocol = spec.protocol ?? 'HTTP';
    const check = spec.healthCheck ?? {};
    const checkProtocol = check.protocol ?? protocol;
    return {
        protocol,
        healthCheck: {
            protocol: checkProtocol,
            path: check.path ?? '/',
            port: check.port ?? 'traffic-port',
            intervalSeconds: check.intervalSeconds ?? 30,
            timeoutSeconds: check.timeoutSeconds ?? (checkProtocol === 'TCP' ? 10 : 5),
            healthyThresholdCount: check.healthyThresholdCount ?? 5,
            unhealthyThresholdCount: check.unhealthyThresholdCount ?? 2,
            httpCode: check.matcher?.httpCode ?? '200',
        },
        deregistrationDelaySeconds: spec.deregistrationDelaySeconds ?? 300,
        loadBalancingAlgorithm: spec.loadBalancingAlgorithm ?? 'round_robin',
    };
}
//# sourceMappingURL=targetGroup.js.map