package io.headway.config;

/**
 * A configuration error; the message always starts with the key at fault. Not final: errors in the
 * customer model file ({@code io.headway.model.ModelException}) are configuration errors too, with a
 * file and key path in place of a key, so that start-up code catches one type.
 */
public class ConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String key;

    public ConfigException(String key, String problem) {
        super(key + ": " + problem);
        this.key = key;
    }

    public String key() {
        return key;
    }
}
