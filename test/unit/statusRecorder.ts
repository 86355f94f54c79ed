import type { StatusSink } from '../../controller/controllers/context.js';

/** Records the last status written per resource ("Service/web"), instead of writing files. */
export class StatusRecorder implements StatusSink {
  readonly last = new Map<string, Record<string, unknown>>();
  async write(target: { kind: string; name: string }, status: Record<string, unknown>): Promise<unknown> {
    this.last.set(`${target.kind}/${target.name}`, structuredClone(status));
    return 'written';
  }
}
