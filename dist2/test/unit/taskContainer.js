import { LABEL } from '../../controller/runtime/labels.js';
/** A MemoryRuntime container carrying the labels of one task's container. */
export function taskContainer(taskId, container, overrides = {}) {
    return {
        name: `berth-shop-web-${taskId.slice(0, 12)}-${container}`,
        image: 'berth/busybox:1',
        env: {},
        ports: [],
        network: 'bridge',
        labels: {
            [LABEL.managed]: 'true',
            [LABEL.cluster]: 'shop',
            [LABEL.group]: 'service:web',
            [LABEL.taskId]: taskId,
            [LABEL.family]: 'web',
            [LABEL.revision]: '3',
            [LABEL.container]: container,
            [LABEL.taskContainers]: '1',
        },
        ...overrides,
    };
}
//# sourceMappingURL=taskContainer.js.map