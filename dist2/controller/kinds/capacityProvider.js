import { Type } from '@sinclair/typebox';
import { Conditions, manifest, ResourceStatus } from './common.js';
export const Engine = Type.Object({
    /** Unix socket of the Docker engine, e.g. /var/run/docker.sock. */
    socketPath: Type.Optional(Type.String({ minLength: 1 })),
    /** A DOCKER_HOST-style address: unix:///path or tcp://host:port. */
    host: Type.Optional(Type.String({ pattern: '^(unix|tcp)://.+' })),
}, { additionalProperties: false });
/** When the engine pulls a task's images; the ECS agent's ECS_IMAGE_PULL_BEHAVIOR. */
export const ImagePullPolicy = Type.Union([Type.Literal('always'), Type.Literal('if-not-present'), Type.Literal('never')]);
/** ECS_IMAGE_PULL_BEHAVIOR=once / prefer-cached: pull only what the engine lacks. */
export const DEFAULT_IMAGE_PULL_POLICY = 'if-not-present';
export const CapacityProviderSpec = Type.Object({
    /**
     * The Docker engines (container instances) of this provider. Absent: the local engine,
     * from DOCKER_HOST or /var/run/docker.sock. This release drives one engine per provider.
     */
    engines: Type.Optional(Type.Array(Engine, { minItems: 1, maxItems: 1 })),
    /**
     * When task images are pulled: `always` before every launch (ECS_IMAGE_PULL_BEHAVIOR=always),
     * `if-not-present` only when the engine lacks the image (prefer-cached), `never` (the image
     * must already be on the engine). @default if-not-present
     */
    imagePullPolicy: Type.Optional(ImagePullPolicy),
}, { additionalProperties: false });
export const CapacityProvider = manifest('CapacityProvider', CapacityProviderSpec, 'A pool of container instances: Docker engines (ECS CapacityProvider).');
/** One Docker engine of the provider, as ECS DescribeContainerInstances tells of an instance. */
export const ContainerInstance = Type.Object({
    engine: Type.String({ description: 'The engine\'s address, e.g. unix:///var/run/docker.sock.' }),
    status: Type.Union([Type.Literal('ACTIVE'), Type.Literal('DRAINING'), Type.Literal('INACTIVE')], {
        description: 'ACTIVE when the engine answered the last ping; INACTIVE when it did not (ECS: the agent is disconnected).',
    }),
    version: Type.Optional(Type.String({ description: 'The Docker engine\'s version (ECS: versionInfo.dockerVersion).' })),
    runningTasksCount: Type.Integer({ minimum: 0, description: 'Tasks of this provider in the RUNNING state on the engine.' }),
}, { additionalProperties: false });
export const CapacityProviderStatus = Type.Object({
    status: ResourceStatus('ACTIVE while the manifest is there.'),
    containerInstances: Type.Array(ContainerInstance, { description: 'The provider\'s engines.' }),
    conditions: Conditions(),
}, { additionalProperties: false });
//# sourceMappingURL=capacityProvider.js.map