# Sourced by bin/bbagent, bin/test and .ci/run: find a JDK 25 and export JAVA_HOME.
# Order: $JAVA_HOME if it is 25 or newer, then /usr/lib/jvm/*25*, then any /usr/lib/jvm/* that is 25+.

bbagent_java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p' | head -n1
}

bbagent_find_jdk() {
  local candidate major
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/*25* /usr/lib/jvm/*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
    major=$(bbagent_java_major "$candidate")
    if [ -n "$major" ] && [ "${major%%.*}" -ge 25 ] 2>/dev/null; then
      export JAVA_HOME="$candidate"
      return 0
    fi
  done
  echo "bbagent: no JDK 25 found. Set JAVA_HOME to a JDK 25 (for example Temurin 25 at /usr/lib/jvm/temurin-25-jdk-amd64);" >&2
  echo "         JAVA_HOME=${JAVA_HOME:-<unset>} and /usr/lib/jvm holds: $(ls /usr/lib/jvm 2>/dev/null | tr '\n' ' ')" >&2
  return 1
}

# Maven's own guava warns about sun.misc.Unsafe on JDK 25; the warning is noise.
export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
