/**
 * A forward action's groups, chosen by weight as nginx's smooth weighted round robin does:
 * weights 3 and 1 give a a b a, a a b a, ... (every group its share, evenly spread, and the
 * same sequence every time, so tests can count it). A group with weight 0 or without a
 * healthy target takes no turn, so traffic never goes where nothing can answer it.
 */
export class WeightedRouter {
    groups;
    source;
    current = new Map();
    constructor(groups, source) {
        this.groups = groups;
        this.source = source;
    }
    setGroups(groups) {
        this.groups = groups;
        this.current.clear();
    }
    pick(exclude) {
        const open = this.groups.filter((g) => g.weight > 0 && this.source.hasHealthyTarget(g.name));
        // One pass per group at most: a group whose targets were all tried gives way to the next.
        for (let tries = open.length; tries > 0; tries--) {
            const group = this.nextGroup(open);
            const lease = this.source.pick(group.name, exclude);
            if (lease)
                return lease;
            open.splice(open.indexOf(group), 1);
        }
        return undefined;
    }
    nextGroup(open) {
        const total = open.reduce((sum, g) => sum + g.weight, 0);
        let best = open[0];
        for (const group of open) {
            const value = (this.current.get(group.name) ?? 0) + group.weight;
            this.current.set(group.name, value);
            if (value > (this.current.get(best.name) ?? 0))
                best = group;
        }
        this.current.set(best.name, this.current.get(best.name) - total);
        return best;
    }
}
//# sourceMappingURL=router.js.map