/**
 * The executor's launches running in the background: counted while they run (so
 * `Berth.idle()` waits for them), drained at shutdown so no task is left half-created,
 * and told at shutdown to stop waiting on dependsOn (the next controller resumes).
 */
export class Launches {
  private readonly running = new Set<Promise<unknown>>();
  private stopping = false;

  /** True once the controller shuts down. */
  get shuttingDown(): boolean {
    return this.stopping;
  }

  get size(): number {
    return this.running.size;
  }

  /** Keeps `work` counted until it settles. */
  track(work: Promise<unknown>): void {
    const tracked = work.finally(() => this.running.delete(tracked));
    this.running.add(tracked);
  }

  async drain(): Promise<void> {
    this.stopping = true;
    await Promise.allSettled([...this.running]);
  }
}
