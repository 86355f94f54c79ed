/**
 * Target health checks as ELB makes them: an HTTP GET of the path whose status code must
 * match the group's matcher, or a TCP connection that must open, each within the timeout.
 * A failure carries ELB's reason code and description.
 */
import http from 'node:http';
import net from 'node:net';
const TIMED_OUT = { healthy: false, reason: 'Target.Timeout', description: 'Request timed out' };
const FAILED = { healthy: false, reason: 'Target.FailedHealthChecks', description: 'Health checks failed' };
/** "200", "200-299" or "200,302": whether `code` is one of them. */
export function matchesHttpCode(matcher, code) {
    return matcher.split(',').some((part) => {
        const [from, to = from] = part.split('-').map(Number);
        return code >= from && code <= to;
    });
}
/** The port a check goes to: the target's own (traffic-port) or the group's fixed one. */
function checkPort(target, check) {
    return check.port === 'traffic-port' ? target.port : check.port;
}
export const probeTarget = (target, check) => (check.protocol === 'HTTP' ? probeHttp(target, check) : probeTcp(target, check));
function probeHttp(target, check) {
    return new Promise((resolve) => {
        const request = http.request({ host: target.address, port: checkPort(target, check), path: check.path, method: 'GET', agent: false, headers: { 'user-agent': 'ELB-HealthChecker/2.0', connection: 'close' } }, (response) => {
            const code = response.statusCode ?? 0;
            response.resume();
            resolve(matchesHttpCode(check.httpCode, code)
                ? { healthy: true }
                : { healthy: false, reason: 'Target.ResponseCodeMismatch', description: `Health checks failed with these codes: [${code}]`, code });
            request.destroy();
        });
        request.setTimeout(check.timeoutSeconds * 1000, () => {
            resolve(TIMED_OUT);
            request.destroy();
        });
        request.on('error', () => resolve(FAILED));
        request.end();
    });
}
function probeTcp(target, check) {
    return new Promise((resolve) => {
        const socket = net.connect({ host: target.address, port: checkPort(target, check) });
        socket.setTimeout(check.timeoutSeconds * 1000, () => {
            resolve(TIMED_OUT);
            socket.destroy();
        });
        socket.once('connect', () => {
            resolve({ healthy: true });
            socket.destroy();
        });
        socket.on('error', () => resolve(FAILED));
    });
}
//# sourceMappingURL=healthCheck.js.map