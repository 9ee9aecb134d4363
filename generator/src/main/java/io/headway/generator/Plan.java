package io.headway.generator;

/**
 * Subscription plans. The seat ranges and prices are what make larger accounts louder: more seats
 * mean more daily users and more tickets, and the per-session feature rate makes their users heavier.
 */
enum Plan {
    STARTER("starter", 3, 8, 15.0, 2.0),
    TEAM("team", 10, 30, 30.0, 2.8),
    BUSINESS("business", 30, 80, 55.0, 3.6);

    final String wireName;
    final int minSeats;
    final int maxSeats;
    final double pricePerSeat;
    final double featuresPerSession;

    Plan(String wireName, int minSeats, int maxSeats, double pricePerSeat, double featuresPerSession) {
        this.wireName = wireName;
        this.minSeats = minSeats;
        this.maxSeats = maxSeats;
        this.pricePerSeat = pricePerSeat;
        this.featuresPerSession = featuresPerSession;
    }

    Plan upgrade() {
        return this == STARTER ? TEAM : BUSINESS;
    }

    Plan downgrade() {
        return this == BUSINESS ? TEAM : STARTER;
    }
}
