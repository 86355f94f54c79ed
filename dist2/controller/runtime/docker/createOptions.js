/** ContainerSpec → the engine's create call. Pure. */
/** Networks every engine has; they are never created. */
export const BUILTIN_NETWORKS = ['bridge', 'host', 'none'];
export function toCreateOptions(spec) {
    const exposedPorts = {};
    const portBindings = {};
    for (const port of spec.ports) {
        const key = `${port.containerPort}/${port.protocol}`;
        exposedPorts[key] = {};
        // An empty HostPort makes the engine pick a free one.
        (portBindings[key] ??= []).push({ HostPort: port.hostPort > 0 ? String(port.hostPort) : '' });
    }
    // Aliases exist only on user-defined networks: the default bridge, host and none
    // have no DNS, so aliases there are dropped (the memory runtime does the same).
    const onUserNetwork = !BUILTIN_NETWORKS.includes(spec.network) && !spec.network.startsWith('container:');
    const aliases = onUserNetwork && spec.networkAliases?.length ? [...spec.networkAliases] : undefined;
    // Links on a user-defined network are per-container DNS names, set on its endpoint.
    const links = onUserNetwork && spec.links?.length ? [...spec.links] : undefined;
    const settings = spec.settings ?? {};
    const mounts = spec.mounts ?? [];
    const binds = mounts.filter((m) => m.type === 'bind').map((m) => `${m.source}:${m.target}${m.readOnly ? ':ro' : ''}`);
    const volumes = mounts.filter((m) => m.type === 'volume').map((m) => ({ Type: 'volume', Source: m.source, Target: m.target, ReadOnly: m.readOnly }));
    const options = {
        name: spec.name,
        Image: spec.image,
        Cmd: spec.command ? [...spec.command] : undefined,
        Entrypoint: spec.entryPoint ? [...spec.entryPoint] : undefined,
        Env: Object.entries(spec.env).map(([key, value]) => `${key}=${value}`),
        Labels: { ...spec.labels },
        ExposedPorts: exposedPorts,
        Hostname: spec.hostname,
        User: spec.user,
        WorkingDir: spec.workingDir,
        Tty: settings.tty,
        OpenStdin: settings.openStdin,
        NetworkDisabled: settings.networkDisabled,
        Healthcheck: spec.healthCheck ? toDockerHealthcheck(spec.healthCheck) : undefined,
        HostConfig: {
            PortBindings: portBindings,
            CpuShares: spec.cpuShares,
            NanoCpus: spec.nanoCpus,
            Memory: spec.memoryBytes,
            MemoryReservation: spec.memoryReservationBytes,
            MemorySwap: settings.memorySwapBytes,
            MemorySwappiness: settings.memorySwappiness,
            NetworkMode: spec.network,
            // berth decides about restarts (ECS semantics); the engine never restarts on its own.
            RestartPolicy: { Name: 'no' },
            Privileged: settings.privileged,
            ReadonlyRootfs: settings.readonlyRootfs,
            CapAdd: settings.capAdd,
            CapDrop: settings.capDrop,
            Init: settings.init,
            ShmSize: settings.shmSizeBytes,
            Tmpfs: settings.tmpfs,
            Devices: settings.devices?.map((d) => ({ PathOnHost: d.hostPath, PathInContainer: d.containerPath, CgroupPermissions: d.permissions })),
            Ulimits: settings.ulimits?.map((u) => ({ Name: u.name, Soft: u.soft, Hard: u.hard })),
            ExtraHosts: settings.extraHosts,
            Dns: settings.dns,
            DnsSearch: settings.dnsSearch,
            Sysctls: settings.sysctls,
            SecurityOpt: settings.securityOpt,
            PidMode: settings.pidMode,
            IpcMode: settings.ipcMode,
            // Binds, not Mounts, for host paths: the engine creates a missing source directory,
            // as the ECS agent does, where a bind Mount would fail on engines before API 1.42.
            Binds: binds.length ? binds : undefined,
            Mounts: volumes.length ? volumes : undefined,
            VolumesFrom: spec.volumesFrom?.length ? spec.volumesFrom.map((v) => `${v.container}:${v.readOnly ? 'ro' : 'rw'}`) : undefined,
        },
        NetworkingConfig: aliases || links ? { EndpointsConfig: { [spec.network]: { ...(aliases ? { Aliases: aliases } : {}), ...(links ? { Links: links } : {}) } } } : undefined,
    };
    // Absent: the engine's default driver (daemon.json), as for `docker run` without --log-driver.
    if (spec.logDriver)
        options.HostConfig.LogConfig = { Type: spec.logDriver.type, Config: { ...spec.logDriver.options } };
    // In bytes: every driver that takes a size reads a plain byte count the same way.
    if (spec.writableLayerBytes !== undefined)
        options.HostConfig.StorageOpt = { size: String(spec.writableLayerBytes) };
    return options;
}
export const NANOS_PER_SECOND = 1_000_000_000;
/** Docker counts health check durations in nanoseconds. */
export function toDockerHealthcheck(check) {
    return {
        Test: [...check.test],
        Interval: check.intervalSeconds * NANOS_PER_SECOND,
        Timeout: check.timeoutSeconds * NANOS_PER_SECOND,
        Retries: check.retries,
        StartPeriod: check.startPeriodSeconds * NANOS_PER_SECOND,
    };
}
//# sourceMappingURL=createOptions.js.map