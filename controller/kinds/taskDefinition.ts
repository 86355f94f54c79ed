import { Type, type Static } from '@sinclair/typebox';
import { Condition, manifest, ResourceName } from './common.js';

/** ECS KeyValuePair. */
export const KeyValuePair = Type.Object(
  { name: Type.String({ minLength: 1 }), value: Type.String() },
  { additionalProperties: false },
);

/** ECS PortMapping. hostPort 0 or absent in bridge mode: Docker picks a free host port. */
export const PortMapping = Type.Object(
  {
    containerPort: Type.Integer({ minimum: 1, maximum: 65535 }),
    hostPort: Type.Optional(Type.Integer({ minimum: 0, maximum: 65535 })),
    protocol: Type.Optional(Type.Union([Type.Literal('tcp'), Type.Literal('udp')], { default: 'tcp' })),
    name: Type.Optional(Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,63}$' })),
    appProtocol: Type.Optional(Type.Union([Type.Literal('http'), Type.Literal('http2'), Type.Literal('grpc')])),
  },
  { additionalProperties: false },
);
export type PortMapping = Static<typeof PortMapping>;

/** ECS ContainerDefinition: the fields this release maps to Docker. */
export const ContainerDefinition = Type.Object(
  {
    name: Type.String({ pattern: '^[a-zA-Z0-9][a-zA-Z0-9_-]{0,254}$' }),
    image: Type.String({ minLength: 1 }),
    command: Type.Optional(Type.Array(Type.String())),
    entryPoint: Type.Optional(Type.Array(Type.String())),
    environment: Type.Optional(Type.Array(KeyValuePair)),
    portMappings: Type.Optional(Type.Array(PortMapping)),
    /** CPU units, 1024 = one vCPU; Docker CpuShares. */
    cpu: Type.Optional(Type.Integer({ minimum: 0 })),
    /** Hard memory limit in MiB; Docker Memory. */
    memory: Type.Optional(Type.Integer({ minimum: 6 })),
    /** Soft memory limit in MiB; Docker MemoryReservation. */
    memoryReservation: Type.Optional(Type.Integer({ minimum: 6 })),
    /** @default true */
    essential: Type.Optional(Type.Boolean({ default: true })),
    /** Seconds between SIGTERM and SIGKILL when the task stops. @default 30 */
    stopTimeout: Type.Optional(Type.Integer({ minimum: 0, maximum: 120 })),
    workingDirectory: Type.Optional(Type.String()),
    user: Type.Optional(Type.String()),
    hostname: Type.Optional(Type.String()),
    dockerLabels: Type.Optional(Type.Record(Type.String(), Type.String())),
  },
  { additionalProperties: false },
);
export type ContainerDefinition = Static<typeof ContainerDefinition>;

/** ECS accepts task cpu as units ("256") or vCPU ("0.25 vCPU"), memory as MiB ("512") or GB ("1GB"). */
export const TaskCpu = Type.String({ pattern: '^\\s*(\\d+|\\d+(\\.\\d+)?\\s*[vV][cC][pP][uU])\\s*$' });
export const TaskMemory = Type.String({ pattern: '^\\s*(\\d+|\\d+(\\.\\d+)?\\s*[gG][bB])\\s*$' });

export const TaskDefinitionSpec = Type.Object(
  {
    /** Optional: the family is metadata.name; when given here it must match. */
    family: Type.Optional(ResourceName),
    containerDefinitions: Type.Array(ContainerDefinition, { minItems: 1, maxItems: 10 }),
    cpu: Type.Optional(Type.Union([TaskCpu, Type.Integer({ minimum: 1 })])),
    memory: Type.Optional(Type.Union([TaskMemory, Type.Integer({ minimum: 1 })])),
    /** @default bridge */
    networkMode: Type.Optional(
      Type.Union([Type.Literal('bridge'), Type.Literal('host'), Type.Literal('none')], { default: 'bridge' }),
    ),
  },
  { additionalProperties: false },
);
export type TaskDefinitionSpec = Static<typeof TaskDefinitionSpec>;

export const TaskDefinition = manifest(
  'TaskDefinition',
  TaskDefinitionSpec,
  'An ECS task definition; metadata.name is the family, every spec change a new revision.',
);
export type TaskDefinition = Static<typeof TaskDefinition>;

export interface TaskDefinitionStatus {
  status: 'ACTIVE' | 'INACTIVE';
  family: string;
  revision: number;
  taskDefinitionArn: string;
  registeredAt: string;
  revisions: Array<{ revision: number; registeredAt: string; specHash: string }>;
  conditions: Condition[];
}

/** Parses ECS task cpu ("1024", "1 vCPU", "0.5vcpu") into CPU units. */
export function parseTaskCpu(value: string | number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number') return value;
  const vcpu = /^\s*(\d+(?:\.\d+)?)\s*vcpu\s*$/i.exec(value);
  if (vcpu) return Math.round(Number(vcpu[1]) * 1024);
  return Number(value.trim());
}

/** Parses ECS task memory ("512", "2GB", "0.5 GB") into MiB. */
export function parseTaskMemory(value: string | number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number') return value;
  const gb = /^\s*(\d+(?:\.\d+)?)\s*gb\s*$/i.exec(value);
  if (gb) return Math.round(Number(gb[1]) * 1024);
  return Number(value.trim());
}
