package io.sluice.core.config.filter;

/** One configured config filter: looks a key up, or says why it cannot. */
public interface ConfigFilter {

    /**
     * The value for {@code key}.
     *
     * @throws FilterException saying why there is no value and what to do
     */
    String lookup(String key) throws FilterException;

    /** A lookup that failed: the rule broken and the fix, as a configuration problem states them. */
    final class FilterException extends Exception {
        private static final long serialVersionUID = 1L;
        private final String fix;

        public FilterException(String rule, String fix) {
            super(rule);
            this.fix = fix;
        }

        public String fix() {
            return fix;
        }
    }
}
