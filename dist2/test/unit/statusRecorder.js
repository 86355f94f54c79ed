/** Records the last status written per resource ("Service/web"), instead of writing files. */
export class StatusRecorder {
    last = new Map();
    async write(target, status) {
        this.last.set(`${target.kind}/${target.name}`, structuredClone(status));
        return 'written';
    }
}
//# sourceMappingURL=statusRecorder.js.map