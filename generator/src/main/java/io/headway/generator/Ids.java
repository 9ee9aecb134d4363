package io.headway.generator;

/**
 * Identifier formats. Zero padding keeps ids of one account sorting in creation order, which makes
 * generated files easy to read and diff.
 */
final class Ids {

    private Ids() {}

    static String account(int index) {
        return "acc-" + pad(index, 6);
    }

    static String event(String accountId, int sequence) {
        return accountId + '-' + pad(sequence, 6);
    }

    static String pad(long n, int width) {
        String digits = Long.toString(n);
        if (digits.length() >= width) {
            return digits;
        }
        StringBuilder b = new StringBuilder(width);
        for (int i = digits.length(); i < width; i++) {
            b.append('0');
        }
        return b.append(digits).toString();
    }
}
