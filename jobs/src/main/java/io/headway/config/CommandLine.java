package io.headway.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code --name value} and {@code --name=value} arguments, in order; shared by every entry point. */
public final class CommandLine {

    private CommandLine() {}

    /**
     * @throws ConfigException naming the argument when it does not start with {@code --} or has no value
     */
    public static List<Map.Entry<String, String>> pairs(String[] args) {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new ConfigException(arg, "unexpected argument; use --name value");
            }
            String name = arg.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new ConfigException(name, "has no value");
            }
            out.add(Map.entry(name, value));
        }
        return out;
    }
}
