/**
 * Docker's default capability set (moby's oci/caps/defaults.go): adding one of these
 * changes nothing, so no policy is needed for it.
 */
const DOCKER_DEFAULT_CAPABILITIES = new Set([
    'AUDIT_WRITE',
    'CHOWN',
    'DAC_OVERRIDE',
    'FOWNER',
    'FSETID',
    'KILL',
    'MKNOD',
    'NET_BIND_SERVICE',
    'NET_RAW',
    'SETFCAP',
    'SETGID',
    'SETPCAP',
    'SETUID',
    'SYS_CHROOT',
]);
/** Docker accepts "cap_sys_admin", "CAP_SYS_ADMIN" and "SYS_ADMIN" alike. */
function capabilityName(text) {
    const upper = text.trim().toUpperCase();
    return upper.startsWith('CAP_') ? upper.slice(4) : upper;
}
/**
 * Why a security option lifts the confinement Docker gives every container, or undefined
 * when it does not (no-new-privileges, a named AppArmor profile, SELinux user/role/level).
 * Docker takes both "key=value" and the older "key:value".
 */
export function unconfiningSecurityOption(option) {
    const match = /^([a-z-]+)[=:](.*)$/i.exec(option.trim());
    if (!match)
        return undefined;
    const key = match[1].toLowerCase();
    const value = match[2].trim();
    if (key === 'seccomp') {
        if (value === 'unconfined')
            return 'turns the seccomp filter off';
        // A custom profile may allow any system call; only Docker's own is known to confine.
        if (value !== 'builtin')
            return 'replaces the default seccomp profile with a custom one';
    }
    if (key === 'apparmor' && value === 'unconfined')
        return 'turns AppArmor confinement off';
    if (key === 'label' && value === 'disable')
        return 'turns SELinux labelling off';
    if (key === 'label' && /^type:(spc_t|unconfined_t)$/.test(value))
        return `runs under the unconfined SELinux type ${value.slice(5)}`;
    if (key === 'systempaths' && value === 'unconfined')
        return 'unmasks /proc and /sys paths Docker hides';
    return undefined;
}
/** "root", "0", "0:0" and "root:staff" run as uid 0; "app", "1000:0" do not. */
function isRootUser(user) {
    const name = user.split(':')[0].trim();
    return name === 'root' || /^0+$/.test(name);
}
/**
 * What the task definition asks for that `policy` does not allow, in definition order;
 * empty when the task may run. Pure: the same definition and policy always give the
 * same answer, so a refusal only changes when the Cluster or the definition does.
 *
 * For example `{privileged: true}` in the second container under an empty policy gives
 * `{rule: 'privileged', field: 'containerDefinitions[1].privileged', remedy: 'set spec.taskPolicy.allowPrivileged: true'}`.
 */
export function taskPolicyViolations(spec, policy) {
    const violations = [];
    const allow = policy ?? {};
    if (spec.networkMode === 'host' && !allow.allowHostNetwork) {
        violations.push({ rule: 'hostNetwork', field: 'networkMode', detail: 'networkMode host shares the host network namespace', remedy: 'set spec.taskPolicy.allowHostNetwork: true' });
    }
    if (spec.pidMode === 'host' && !allow.allowHostPid) {
        violations.push({ rule: 'hostPid', field: 'pidMode', detail: 'pidMode host shares the host PID namespace', remedy: 'set spec.taskPolicy.allowHostPid: true' });
    }
    if (spec.ipcMode === 'host' && !allow.allowHostIpc) {
        violations.push({ rule: 'hostIpc', field: 'ipcMode', detail: 'ipcMode host shares the host IPC namespace', remedy: 'set spec.taskPolicy.allowHostIpc: true' });
    }
    const allowedCapabilities = new Set((allow.allowedCapabilities ?? []).map(capabilityName));
    spec.containerDefinitions.forEach((definition, index) => {
        const at = `containerDefinitions[${index}]`;
        if (definition.privileged && !allow.allowPrivileged) {
            violations.push({ rule: 'privileged', field: `${at}.privileged`, detail: 'privileged gives the container every capability and every host device', remedy: 'set spec.taskPolicy.allowPrivileged: true' });
        }
        (definition.linuxParameters?.capabilities?.add ?? []).forEach((added, capIndex) => {
            const name = capabilityName(added);
            if (DOCKER_DEFAULT_CAPABILITIES.has(name) || allowedCapabilities.has(name) || allowedCapabilities.has('ALL'))
                return;
            violations.push({
                rule: 'capabilities',
                capability: name,
                field: `${at}.linuxParameters.capabilities.add[${capIndex}]`,
                detail: `capability ${name} is not among Docker's defaults`,
                remedy: `add ${name} to spec.taskPolicy.allowedCapabilities`,
            });
        });
        if (!allow.allowDevices) {
            (definition.linuxParameters?.devices ?? []).forEach((device, deviceIndex) => {
                violations.push({ rule: 'devices', field: `${at}.linuxParameters.devices[${deviceIndex}]`, detail: `host device ${device.hostPath}`, remedy: 'set spec.taskPolicy.allowDevices: true' });
            });
        }
        if (!allow.allowUnconfinedSecurityOptions) {
            (definition.dockerSecurityOptions ?? []).forEach((option, optionIndex) => {
                const why = unconfiningSecurityOption(option);
                if (why) {
                    violations.push({
                        rule: 'unconfinedSecurityOptions',
                        field: `${at}.dockerSecurityOptions[${optionIndex}]`,
                        detail: `"${option}" ${why}`,
                        remedy: 'set spec.taskPolicy.allowUnconfinedSecurityOptions: true',
                    });
                }
            });
        }
        if (allow.requireNonRoot) {
            const remedy = 'set a non-root user, or set spec.taskPolicy.requireNonRoot: false';
            if (definition.user === undefined) {
                violations.push({ rule: 'nonRoot', field: `${at}.user`, detail: "user is not set, so the image's default user (often root) runs", remedy });
            }
            else if (isRootUser(definition.user)) {
                violations.push({ rule: 'nonRoot', field: `${at}.user`, detail: `user "${definition.user}" is root`, remedy });
            }
        }
    });
    return violations;
}
/**
 * The refusal in one sentence, for a condition, an event and the log:
 * `task definition web:3 is refused by the task policy of cluster "shop": rule privileged,
 * field containerDefinitions[1].privileged (privileged gives ...; set spec.taskPolicy.allowPrivileged: true)`.
 * The remedies are fields of the Cluster manifest, which is the only place a rule is relaxed.
 */
export function describeTaskPolicyViolations(violations, subject) {
    const items = violations.map((v) => `rule ${v.rule}, field ${v.field} (${v.detail}; ${v.remedy})`);
    return `task definition ${subject.taskDefinition} is refused by the task policy of cluster "${subject.cluster}": ${items.join('; ')}`;
}
/**
 * The Cluster `spec.taskPolicy` that lets every violation run, for telling users what to
 * write: privileged and a host network give `{allowPrivileged: true, allowHostNetwork: true}`.
 * A nonRoot violation is fixed in the task definition, not allowed, so it adds nothing.
 */
export function policyAllowing(violations) {
    const policy = {};
    const capabilities = new Set();
    for (const violation of violations) {
        if (violation.rule === 'privileged')
            policy.allowPrivileged = true;
        if (violation.rule === 'devices')
            policy.allowDevices = true;
        if (violation.rule === 'hostNetwork')
            policy.allowHostNetwork = true;
        if (violation.rule === 'hostPid')
            policy.allowHostPid = true;
        if (violation.rule === 'hostIpc')
            policy.allowHostIpc = true;
        if (violation.rule === 'unconfinedSecurityOptions')
            policy.allowUnconfinedSecurityOptions = true;
        if (violation.capability)
            capabilities.add(violation.capability);
    }
    if (capabilities.size)
        policy.allowedCapabilities = [...capabilities];
    return policy;
}
//# sourceMappingURL=taskPolicy.js.map