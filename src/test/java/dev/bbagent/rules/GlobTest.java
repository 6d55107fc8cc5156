package dev.bbagent.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class GlobTest {

    @Test
    void theCommonShapesMatchLikeTheJdkGlobWouldAndIgnoreCase() {
        assertThat(Glob.of("acme/widgets").matches("acme/widgets")).isTrue();
        assertThat(Glob.of("ACME/Widgets").matches("acme/widgets")).isTrue();
        assertThat(Glob.of("acme/*").matches("acme/widgets")).isTrue();
        assertThat(Glob.of("acme/*").matches("acme/")).isFalse();
        assertThat(Glob.of("acme/*").matches("acme/a/b")).isFalse();
        assertThat(Glob.of("release/**").matches("release/1.2/hotfix")).isTrue();
        assertThat(Glob.of("release/**").matches("releases/1")).isFalse();
        assertThat(Glob.of("*/widgets").matches("acme/widgets")).isTrue();
        assertThat(Glob.of("{main,master}").matches("master")).isTrue();
        assertThat(Glob.of("feature-?").matches("feature-x")).isTrue();
    }

    @Test
    void anInvalidPatternIsRejected() {
        assertThatThrownBy(() -> Glob.of("release/[")).isInstanceOf(IllegalArgumentException.class);
    }
}
