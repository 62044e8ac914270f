package dev.cinnabar.it.diff;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/** Picks ops by weight, reproducibly from the context's seed; later families add their {@link Op} lists. */
public final class OpGenerator {
    private final GenContext ctx;
    private final List<Op> ops = new ArrayList<>();
    private int totalWeight;
    private int index;

    public OpGenerator(final GenContext ctx) {
        this.ctx = ctx;
    }

    public OpGenerator add(final Collection<Op> family) {
        for (final Op op : family) {
            ops.add(op);
            totalWeight += op.weight();
        }
        return this;
    }

    /** Keeps only the ops of the named families (all when the set is empty). */
    public OpGenerator only(final Set<String> families) {
        if (!families.isEmpty()) {
            ops.removeIf(op -> !families.contains(op.family()));
            totalWeight = ops.stream().mapToInt(Op::weight).sum();
        }
        return this;
    }

    public Cmd next() {
        ctx.opIndex(index++);
        int r = ctx.rnd().nextInt(totalWeight);
        for (final Op op : ops) {
            r -= op.weight();
            if (r < 0) {
                return op.build().apply(ctx);
            }
        }
        throw new IllegalStateException("weights changed during generation");
    }
}
