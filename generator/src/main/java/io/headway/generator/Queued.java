package io.headway.generator;

import io.headway.schema.Touchpoint;

/**
 * A touchpoint waiting in a priority queue until time {@code at}; ties keep insertion order, so
 * the output stays deterministic.
 */
final class Queued implements Comparable<Queued> {

    final long at;
    final long order;
    final Touchpoint touchpoint;

    Queued(long at, long order, Touchpoint touchpoint) {
        this.at = at;
        this.order = order;
        this.touchpoint = touchpoint;
    }

    @Override
    public int compareTo(Queued o) {
        int c = Long.compare(at, o.at);
        return c != 0 ? c : Long.compare(order, o.order);
    }
}
