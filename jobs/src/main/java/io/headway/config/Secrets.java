package io.headway.config;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recognizes secrets inside configuration values and names, for masking in logs and for refusing a
 * password written into {@code jdbc.url} (PostgreSQL's driver accepts {@code ?password=...}, and the
 * URL is logged, shown in the Flink UI and kept in job graphs).
 */
public final class Secrets {

    public static final String MASK = "******";

    /** Parameter and key names that hold a secret: password, passwd, pwd, secret, token, key, credential. */
    private static final String SECRET_WORD = "(?:password|passwd|pwd|secret|token|key|credential)";

    /** {@code ?name=value}, {@code &name=value} or {@code ;name=value} with a secret-looking name. */
    private static final Pattern SECRET_PARAMETER =
            Pattern.compile("(?i)([?&;]\\s*)([^=?&;#\\s]*" + SECRET_WORD + "[^=?&;#\\s]*)(=)([^&;#\\s]*)");

    /** {@code scheme://user:password@host}: the password part of the user-info. */
    private static final Pattern USER_INFO_PASSWORD = Pattern.compile("(://[^/?#@\\s:]*:)([^/?#@\\s]*)(@)");

    /**
     * PostgreSQL JDBC parameters whose names look secret but hold a file path or class name; they are
     * masked in logs (harmless) but not refused in {@code jdbc.url}.
     */
    private static final java.util.Set<String> NOT_SECRETS = java.util.Set.of("sslkey", "sslpasswordcallback");

    private Secrets() {}

    /** {@code text} with every URL password and secret-looking parameter value replaced by {@link #MASK}. */
    public static String mask(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String masked = USER_INFO_PASSWORD.matcher(text).replaceAll("$1" + MASK + "$3");
        return SECRET_PARAMETER.matcher(masked).replaceAll("$1$2$3" + MASK);
    }

    /** A configuration key whose whole value is a secret, e.g. {@code kafka.producer.ssl.key.password}. */
    public static boolean isSecretName(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.contains("password") || k.contains("passwd") || k.contains("secret") || k.contains("token")
                || k.contains("credential") || k.contains("jaas");
    }

    /**
     * What in a URL is a secret, e.g. {@code "parameter 'password'"} or {@code "the password in the
     * user-info (user:password@)"}; empty if nothing is. Never the secret itself.
     */
    public static Optional<String> secretIn(String url) {
        if (url == null) {
            return Optional.empty();
        }
        if (USER_INFO_PASSWORD.matcher(url).find()) {
            return Optional.of("a password in the user-info (user:password@host)");
        }
        Matcher m = SECRET_PARAMETER.matcher(url);
        while (m.find()) {
            String name = m.group(2);
            if (!NOT_SECRETS.contains(name.toLowerCase(Locale.ROOT)) && !m.group(4).isEmpty()) {
                return Optional.of("the parameter '" + name + "'");
            }
        }
        return Optional.empty();
    }
}
