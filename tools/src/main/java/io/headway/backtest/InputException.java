package io.headway.backtest;

/** Bad input to the backtest (arguments, history files, outcomes, model): exit status 2 with this message. */
final class InputException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    InputException(String message) {
        super(message);
    }
}
