import { Type } from '@sinclair/typebox';
import { Condition, manifest, ResourceName } from './common.js';
import { TargetProtocol } from './targetGroup.js';
/** One target group of a forward action; traffic splits by weight (how blue/green and canary shift it). */
export const WeightedTargetGroup = Type.Object({
    targetGroup: ResourceName,
    /** Share of new requests (HTTP) or connections (TCP), relative to the others' weights; 0 sends none. @default 1 */
    weight: Type.Optional(Type.Integer({ minimum: 0, maximum: 999 })),
}, { additionalProperties: false });
export const ForwardAction = Type.Object({
    type: Type.Literal('forward'),
    targetGroups: Type.Array(WeightedTargetGroup, { minItems: 1, maxItems: 5 }),
}, { additionalProperties: false });
export const Listener = Type.Object({
    port: Type.Integer({ minimum: 1, maximum: 65535 }),
    /** HTTP (an ALB's listener) or TCP (an NLB's); the target groups must use the same protocol. */
    protocol: TargetProtocol,
    /** The local address the listener binds. @default 127.0.0.1 */
    bindAddress: Type.Optional(Type.String({ format: 'ipv4' })),
    defaultActions: Type.Array(ForwardAction, { minItems: 1, maxItems: 1 }),
}, { additionalProperties: false });
export const LoadBalancerSpec = Type.Object({
    listeners: Type.Array(Listener, { minItems: 1, maxItems: 50 }),
}, { additionalProperties: false });
export const LoadBalancer = manifest('LoadBalancer', LoadBalancerSpec, 'Listeners that berth runs itself, forwarding to target groups (ELB LoadBalancer and its listeners).');
export const DEFAULT_BIND_ADDRESS = '127.0.0.1';
export const ListenerStatus = Type.Object({
    port: Type.Integer({ minimum: 1, maximum: 65535 }),
    protocol: TargetProtocol,
    bindAddress: Type.String(),
    state: Type.Union([Type.Literal('active'), Type.Literal('failed')], { description: 'active: accepting connections; failed: could not bind (see the Listening condition).' }),
    reason: Type.Optional(Type.String()),
}, { additionalProperties: false });
export const LoadBalancerStatus = Type.Object({ listeners: Type.Array(ListenerStatus), conditions: Type.Array(Condition) }, { additionalProperties: false });
//# sourceMappingURL=loadBalancer.js.map