package io.headway.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** {@code --name value} and {@code --name=value} arguments, in order; shared by every entry point. */
public final class CommandLine {

    private CommandLine() {}

    /**
     * A tool's options from its arguments: null after printing {@code usage} for {@code --help} or
     * {@code -h}; on an {@link IllegalArgumentException} from {@code parser}, the error and the usage
     * on standard error and exit status 2.
     */
    public static <T> T parseOrExit(String[] args, String usage, Function<String[], T> parser) {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.println(usage);
            return null;
        }
        try {
            return parser.apply(args);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println(usage);
            System.exit(2);
            return null;
        }
    }

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
