package dev.bbagent.mcp;

import java.util.List;
import java.util.Map;

/**
 * The environment of a stdio server: a few variables inherited from bbagent (so the program can be
 * found and can reach the network) plus the server's own {@code env}. Everything else of bbagent's
 * environment (API keys, tokens) stays out of the child process.
 */
final class ProcessEnvironment {

    /** What a stdio server inherits from bbagent's environment, when set. */
    static final List<String> INHERITED = List.of(
            "PATH", "HOME", "USER", "LOGNAME", "SHELL", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "TERM",
            "TMPDIR", "TEMP", "TMP", "XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME",
            "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy",
            "NODE_EXTRA_CA_CERTS", "SSL_CERT_FILE", "SSL_CERT_DIR", "JAVA_HOME",
            "npm_config_cache", "NPM_CONFIG_CACHE", "npm_config_registry", "NPM_CONFIG_REGISTRY",
            "SYSTEMROOT", "SystemRoot", "COMSPEC", "PATHEXT", "APPDATA", "LOCALAPPDATA", "USERPROFILE");

    private ProcessEnvironment() {}

    /** Replaces {@code target} (a ProcessBuilder's environment) with the inherited minimum plus {@code extra}. */
    static void apply(Map<String, String> target, Map<String, String> parent, Map<String, String> extra) {
        target.clear();
        for (String name : INHERITED) {
            String value = parent.get(name);
            if (value != null) {
                target.put(name, value);
            }
        }
        extra.forEach((k, v) -> target.put(k, v == null ? "" : v));
    }
}
