package dev.bbagent.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bbagent.fake.openai.RecordedRequest;
import dev.bbagent.fake.openai.Reply;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A tiny deterministic "model" for the demo: it reads the pull request's diff, then posts review hints
 * with upsert_bot_comment, then answers. Enough to show the whole loop without a key or a network.
 */
final class ScriptedReviewer {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern TARGET = Pattern.compile("#(\\d+) .* in ([^\\s/]+)/([^\\s]+)");
    private static final Pattern FILE = Pattern.compile("^diff --git a/(\\S+) b/", Pattern.MULTILINE);

    private ScriptedReviewer() {}

    static Reply answer(RecordedRequest req) {
        if (req.toolNames().isEmpty()) {
            return Reply.text("Done: I read the diff and posted the review hints as one comment.");
        }
        var results = req.toolResults();
        String prompt = firstUserText(req);
        Matcher m = TARGET.matcher(prompt);
        if (!m.find()) {
            return Reply.text("I could not find the pull request in the prompt.");
        }
        ObjectNode args = JSON.createObjectNode().put("workspace", m.group(2)).put("repo_slug", m.group(3))
                .put("pull_request_id", Integer.parseInt(m.group(1)));
        if (results.isEmpty()) {
            return Reply.toolCall("bitbucket__get_pull_request_diff", args.toString());
        }
        if (results.size() == 1) {
            String diff = results.getFirst().output();
            args.put("content", hints(diff));
            return Reply.toolCall("bitbucket__upsert_bot_comment", args.toString());
        }
        return Reply.text("I posted " + count(results.getFirst().output()) + " review hints as one comment on the"
                + " pull request; a later push will update the same comment.");
    }

    private static String firstUserText(RecordedRequest req) {
        for (JsonNode msg : req.messages()) {
            if ("user".equals(msg.path("role").asText())) {
                return msg.path("content").asText();
            }
        }
        return "";
    }

    private static int count(String diff) {
        return files(diff).size();
    }

    private static Set<String> files(String diff) {
        Set<String> files = new LinkedHashSet<>();
        Matcher m = FILE.matcher(diff);
        while (m.find()) {
            files.add(m.group(1));
        }
        return files;
    }

    private static String hints(String diff) {
        List<String> lines = new ArrayList<>();
        lines.add("**Review hints** (bbagent demo)");
        lines.add("");
        for (String f : files(diff)) {
            int start = diff.indexOf("diff --git a/" + f + " ");
            int end = diff.indexOf("\ndiff --git ", start + 1);
            String part = diff.substring(start, end < 0 ? diff.length() : end);
            if (part.contains("while True")) {
                lines.add("- `" + f + "`: the retry loop never gives up; bound the attempts and back off between them.");
            } else if (f.startsWith("tests/") || f.contains("test")) {
                lines.add("- `" + f + "`: good to see a test; also cover the failure path.");
            } else {
                lines.add("- `" + f + "`: changed; no concern found.");
            }
        }
        return String.join("\n", lines);
    }
}
