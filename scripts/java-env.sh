# Sourced by ./sentinel, ./test.sh and .ci/run: finds a JDK 21 or newer and exports JAVA_HOME.
# Prefers $JAVA_HOME when it is new enough, then the Temurin 25 JDK this project is built with.

sentinel_java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 |
    sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p'
}

sentinel_find_java() {
  local candidate major
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-21-jdk-amd64 \
                   $(ls -d /usr/lib/jvm/*/ 2>/dev/null); do
    candidate=${candidate%/}
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
    major=$(sentinel_java_major "$candidate")
    if [ -n "$major" ] && [ "$major" -ge 21 ]; then
      export JAVA_HOME="$candidate"
      export PATH="$JAVA_HOME/bin:$PATH"
      return 0
    fi
  done
  echo "sentinel: no JDK 21 or newer found. Install one (e.g. Temurin 25) and set JAVA_HOME to it." >&2
  echo "          looked at \$JAVA_HOME='${JAVA_HOME:-}' and /usr/lib/jvm/*" >&2
  return 1
}
