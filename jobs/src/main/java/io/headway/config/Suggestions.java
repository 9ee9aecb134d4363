package io.headway.config;

import java.util.Collection;
import java.util.Optional;

/**
 * The nearest known name to a misspelt one, for "did you mean" hints in configuration errors. Shared
 * by the job's properties and the customer model file so that both suggest the same way.
 */
public final class Suggestions {

    private Suggestions() {}

    /**
     * The candidate closest to {@code name} by edit distance, if it is close enough to be a plausible
     * typo: within 3 edits, or a fifth of the name for long names, and never a rewrite of every character.
     */
    public static Optional<String> closest(String name, Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String known : candidates) {
            int d = editDistance(name, known);
            if (d < bestDistance) {
                bestDistance = d;
                best = known;
            }
        }
        boolean plausible = bestDistance <= Math.max(3, name.length() / 5) && bestDistance < name.length();
        return best != null && plausible ? Optional.of(best) : Optional.empty();
    }

    static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
