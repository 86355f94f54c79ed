import { randomBytes } from 'node:crypto';
import { TerminalError } from '../controllers/context.js';
import { errorMessage } from '../errors.js';
import { key, parseKey } from '../keys.js';
/**
 * Events after which a container has exited. Not `kill` or `oom`: they come before the
 * exit, and a recheck scheduled for them would take the place of the exit's own (a key
 * holds one timer), and could run before the exit shows.
 */
const EXIT_ACTIONS = new Set(['die', 'stop']);
/**
 * Turns events into keys by the controllers' declared watches, and keys into reconciles.
 * It knows no kind: what concerns which controller is each controller's own declaration.
 */
export class Dispatcher {
    options;
    byKind = new Map();
    constructor(options) {
        this.options = options;
        for (const reconciler of options.reconcilers)
            this.byKind.set(reconciler.kind, reconciler);
    }
    /** A manifest was added, edited or removed. */
    manifestChanged(changed) {
        const { queue, store } = this.options;
        queue.add(changed);
        const kind = parseKey(changed)?.kind;
        if (kind === undefined || kind === 'Retirement')
            return;
        for (const reconciler of this.options.reconcilers) {
            for (const key of reconciler.watches.manifests?.[kind]?.(changed, store) ?? [])
                queue.add(key);
        }
    }
    /** A container with these labels changed on an engine, or was found when relisting. */
    containerSeen(labels, action) {
        const { queue, store } = this.options;
        for (const reconciler of this.options.reconcilers) {
            const watch = reconciler.watches.containers;
            if (!watch)
                continue;
            const keys = watch.keys(labels, store);
            for (const key of keys)
                queue.add(key);
            if (action !== undefined && EXIT_ACTIONS.has(action) && watch.recheckAfterExitMs !== undefined) {
                for (const key of keys)
                    queue.addAfter(key, watch.recheckAfterExitMs);
            }
        }
    }
    /** An engine is back from an outage, or asks for a resync. */
    engineReturned() {
        const { queue, store } = this.options;
        for (const reconciler of this.options.reconcilers) {
            const kind = reconciler.kind;
            if (!reconciler.watches.everyKeyOnEngineReturn || kind === 'Retirement')
                continue;
            for (const resource of store.list(kind))
                queue.add(key(kind, resource.name));
        }
    }
    /** One reconcile of one key: its result requeues it, an error backs it off. */
    async runOnce(queueKey) {
        const { queue, logger } = this.options;
        const parsed = parseKey(queueKey);
        const reconciler = parsed && this.byKind.get(parsed.kind);
        if (!parsed || !reconciler)
            return;
        const { kind, name } = parsed;
        const log = logger.child({ controller: kind.toLowerCase(), kind, name, reconcileId: randomBytes(4).toString('hex') });
        try {
            const result = await reconciler.reconcile(name, log);
            if (result.actions?.length)
                await this.options.apply(result.actions, log);
            queue.forget(queueKey);
            if (result.requeueAfterMs !== undefined)
                queue.addAfter(queueKey, result.requeueAfterMs);
            log.debug('reconciled');
        }
        catch (error) {
            if (error instanceof TerminalError) {
                log.error({ err: error.message }, 'reconcile failed; not retrying');
                queue.forget(queueKey);
                return;
            }
            const delay = queue.addRateLimited(queueKey);
            log.warn({ err: errorMessage(error), retryInMs: delay }, 'reconcile failed; retrying');
        }
    }
}
//# sourceMappingURL=worker.js.map