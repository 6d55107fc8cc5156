package dev.bbagent.cli;

/** Small helpers the commands share. */
final class Cli {

    private Cli() {}

    /** The rules file: the flag, else BBAGENT_RULES, else config/rules.yaml. */
    static String rulesFile(String flag) {
        if (flag != null) {
            return flag;
        }
        String env = System.getenv("BBAGENT_RULES");
        return env == null || env.isBlank() ? "config/rules.yaml" : env;
    }

    /** The data folder: the flag, else BBAGENT_DATA_DIR, else ./data. */
    static String dataDir(String flag) {
        if (flag != null) {
            return flag;
        }
        String env = System.getenv("BBAGENT_DATA_DIR");
        return env == null || env.isBlank() ? "./data" : env;
    }
}
