/** What the engine's inspect says → what berth observes. Pure. */
/** Docker's way of saying "no timestamp". */
export const ZERO_TIME_PREFIX = '0001-01-01';
export const CONTAINER_STATES = new Set(['created', 'running', 'paused', 'restarting', 'removing', 'exited', 'dead']);
export function toObservedContainer(info) {
    const state = CONTAINER_STATES.has(info.State.Status) ? info.State.Status : 'dead';
    const error = info.State.Error || undefined;
    const ports = [];
    // Bindings are reported while the container runs (IPv4 and IPv6 entries alike).
    const bound = info.NetworkSettings?.Ports ?? {};
    for (const [key, bindings] of Object.entries(bound)) {
        const [portText, protocol] = key.split('/');
        for (const binding of bindings ?? []) {
            const hostPort = Number(binding.HostPort);
            if (!hostPort)
                continue;
            ports.push({ containerPort: Number(portText), hostPort, protocol: protocol === 'udp' ? 'udp' : 'tcp', hostIp: binding.HostIp });
        }
    }
    const observed = {
        id: info.Id,
        name: info.Name.replace(/^\//, ''),
        image: info.Config.Image,
        labels: { ...info.Config.Labels },
        state,
        createdAt: isoTime(info.Created) ?? new Date(0).toISOString(),
        ports,
        addresses: networkAddresses(info),
    };
    const startedAt = isoTime(info.State.StartedAt);
    const finishedAt = isoTime(info.State.FinishedAt);
    if (startedAt)
        observed.startedAt = startedAt;
    if (finishedAt)
        observed.finishedAt = finishedAt;
    // An exit code means something once the process ended, or when it never started (128).
    if (state === 'exited' || state === 'dead' || error)
        observed.exitCode = info.State.ExitCode;
    if (info.State.OOMKilled)
        observed.oomKilled = true;
    if (error)
        observed.error = error;
    const health = info.State.Health?.Status;
    if (health === 'starting' || health === 'healthy' || health === 'unhealthy')
        observed.health = health;
    return observed;
}
/** IPv4 address per network; Docker keeps a stopped container's endpoints with empty addresses. */
export function networkAddresses(info) {
    const addresses = {};
    for (const [name, endpoint] of Object.entries(info.NetworkSettings?.Networks ?? {})) {
        if (endpoint.IPAddress)
            addresses[name] = endpoint.IPAddress;
    }
    return addresses;
}
/**
 * The health the list summary shows in its status text ("Up 5 seconds (healthy)",
 * "Up 2 seconds (health: starting)"), so the observer's inspect is reused only while the
 * health is unchanged too.
 */
export function summaryHealth(status) {
    const match = /\((?:health: )?(starting|healthy|unhealthy)\)/.exec(status ?? '');
    return match ? match[1] : undefined;
}
/** Docker's per-container detail in the runtime's terms. */
export function toContainerDescription(info) {
    const networks = Object.entries(info.NetworkSettings?.Networks ?? {}).map(([name, endpoint]) => {
        const network = { name };
        // Docker keeps the endpoint of a stopped container with empty addresses.
        if (endpoint.IPAddress)
            network.ipv4Address = endpoint.IPAddress;
        if (endpoint.IPAddress && endpoint.IPPrefixLen)
            network.ipv4PrefixLength = endpoint.IPPrefixLen;
        if (endpoint.Gateway)
            network.gateway = endpoint.Gateway;
        if (endpoint.MacAddress)
            network.macAddress = endpoint.MacAddress;
        return network;
    });
    const description = {
        ...toObservedContainer(info),
        imageId: info.Image,
        networkMode: info.HostConfig.NetworkMode ?? 'default',
        networks,
        cpuShares: info.HostConfig.CpuShares ?? 0,
        memoryBytes: info.HostConfig.Memory ?? 0,
        logDriver: info.HostConfig.LogConfig?.Type ?? '',
        logOptions: { ...(info.HostConfig.LogConfig?.Config ?? {}) },
    };
    const health = toHealthDetail(info.State.Health);
    if (health)
        description.healthDetail = health;
    return description;
}
export function toHealthDetail(health) {
    if (!health?.Status || health.Status === 'none')
        return undefined;
    const status = health.Status === 'healthy' || health.Status === 'unhealthy' ? health.Status : 'starting';
    const result = { status };
    const latest = health.Log?.at(-1);
    const since = isoTime(latest?.End);
    if (since)
        result.since = since;
    if (latest?.ExitCode !== undefined)
        result.exitCode = latest.ExitCode;
    if (latest?.Output !== undefined)
        result.output = latest.Output;
    return result;
}
/** ISO time with millisecond precision, or undefined for Docker's zero time. */
export function isoTime(engineTime) {
    if (!engineTime || engineTime.startsWith(ZERO_TIME_PREFIX))
        return undefined;
    const ms = Date.parse(engineTime);
    return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}
/** The engine's list entry in the runtime's terms: what tells whether a container changed. */
export function toContainerSummary(summary) {
    const state = CONTAINER_STATES.has(summary.State) ? summary.State : 'dead';
    const health = summaryHealth(summary.Status);
    return { id: summary.Id, labels: { ...(summary.Labels ?? {}) }, state, ...(health ? { health } : {}) };
}
//# sourceMappingURL=observed.js.map