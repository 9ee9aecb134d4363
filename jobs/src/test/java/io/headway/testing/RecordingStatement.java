package io.headway.testing;

import java.lang.reflect.Proxy;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link PreparedStatement} that keeps the text bound to it, so that a row binder's string columns
 * can be checked for what PostgreSQL refuses (NUL) or changes (lone surrogates) without a database.
 * Every other call returns a default.
 */
public final class RecordingStatement {

    private final List<String> texts = new ArrayList<>();
    private final PreparedStatement statement;

    public RecordingStatement() {
        statement =
                (PreparedStatement) Proxy.newProxyInstance(
                        PreparedStatement.class.getClassLoader(),
                        new Class<?>[] {PreparedStatement.class},
                        (proxy, method, args) -> {
                            if (args != null && args.length >= 2 && method.getName().startsWith("set") && args[1] instanceof String) {
                                texts.add((String) args[1]);
                            }
                            Class<?> r = method.getReturnType();
                            if (r == boolean.class) {
                                return false;
                            }
                            if (r == int.class || r == long.class) {
                                return r == int.class ? (Object) 0 : (Object) 0L;
                            }
                            return null;
                        });
    }

    public PreparedStatement statement() {
        return statement;
    }

    /** Every string bound so far, in order. */
    public List<String> texts() {
        return texts;
    }
}
