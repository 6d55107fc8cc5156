package dev.bbagent.fake.bitbucket;

import java.net.URLConnection;
import java.util.Locale;
import java.util.Map;

/** The Content-Type of a raw file, guessed from its name as Bitbucket does; text when unknown. */
final class MediaTypes {

    private static final Map<String, String> EXTRA = Map.of(
            "md", "text/markdown", "java", "text/x-java", "py", "text/x-python", "json", "application/json",
            "yaml", "text/yaml", "yml", "text/yaml", "ts", "text/x-typescript", "go", "text/x-go",
            "sh", "text/x-sh", "kt", "text/x-kotlin");

    private MediaTypes() {}

    static String forPath(String path) {
        int dot = path.lastIndexOf('.');
        String ext = dot < 0 ? "" : path.substring(dot + 1).toLowerCase(Locale.ROOT);
        String known = EXTRA.get(ext);
        if (known != null) {
            return known;
        }
        String guessed = URLConnection.guessContentTypeFromName(path);
        return guessed != null ? guessed : "text/plain";
    }
}
