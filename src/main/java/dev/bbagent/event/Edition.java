package dev.bbagent.event;

/** Where an event came from. The wire value is what rules and metrics see. */
public enum Edition {
    CLOUD("cloud"),
    DATACENTER("datacenter"),
    JIRA("jira");

    private final String wire;

    Edition(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static Edition fromWire(String value) {
        for (Edition e : values()) {
            if (e.wire.equals(value)) {
                return e;
            }
        }
        throw new IllegalArgumentException("unknown edition '" + value + "' (expected cloud, datacenter or jira)");
    }
}
