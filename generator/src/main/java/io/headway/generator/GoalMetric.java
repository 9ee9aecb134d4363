package io.headway.generator;

/** What an account's success goal measures, and which way is better. */
enum GoalMetric {
    WEEKLY_ACTIVE_USERS("weekly_active_users", true),
    REPORTS_AUTOMATED("reports_automated", true),
    HOURS_SAVED_PER_WEEK("hours_saved_per_week", true),
    TIME_TO_CLOSE_DAYS("time_to_close_days", false),
    DATA_ERRORS_PER_WEEK("data_errors_per_week", false);

    final String wireName;
    final boolean increase;

    GoalMetric(String wireName, boolean increase) {
        this.wireName = wireName;
        this.increase = increase;
    }

    String direction() {
        return increase ? "increase" : "decrease";
    }
}
