package io.headway.model;

import io.headway.config.ConfigException;

/**
 * An error in a customer model file. The key is the file and the path of the offending entry, e.g.
 * {@code customer-model.yaml journeys[0].milestones[2].due}, so the message points at the exact line
 * to fix. A {@link ConfigException}, so start-up code handles a bad model like a bad property.
 */
public final class ModelException extends ConfigException {

    private static final long serialVersionUID = 1L;

    private final String origin;
    private final String path;
    private final String problem;

    /**
     * @param origin where the model came from (its file name)
     * @param path the key path inside it, e.g. {@code journeys[0].entry}; empty for the whole file
     */
    public ModelException(String origin, String path, String problem) {
        super(path.isEmpty() ? origin : origin + " " + path, problem);
        this.origin = origin;
        this.path = path;
        this.problem = problem;
    }

    public String origin() {
        return origin;
    }

    public String path() {
        return path;
    }

    public String problem() {
        return problem;
    }
}
