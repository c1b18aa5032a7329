# Sourced by the launcher and the scripts: finds a JDK 22+ and exports JAVA_HOME, or says where it looked.
# Order: $JAVA_HOME, /usr/lib/jvm/temurin-25-jdk-amd64, any /usr/lib/jvm/*, `java` on PATH.

mf_java_major() { # prints the feature version of the java binary $1, or nothing
  # The JDK's release file answers without starting a JVM (a tenth of a second or more on every launch).
  local release
  release="$(dirname "$(dirname "$1")")/release"
  if [ -f "$release" ]; then
    sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release" | head -n1
    return 0
  fi
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n1
}

mf_find_jdk() {
  local looked=() candidate major
  local candidates=()
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  candidates+=(/usr/lib/jvm/temurin-25-jdk-amd64)
  for candidate in /usr/lib/jvm/*; do [ -d "$candidate" ] && candidates+=("$candidate"); done
  if command -v java >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  fi
  for candidate in "${candidates[@]}"; do
    looked+=("$candidate")
    if [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ]; then
      major=$(mf_java_major "$candidate/bin/java")
      if [ -n "$major" ] && [ "$major" -ge 22 ]; then
        export JAVA_HOME="$candidate"
        return 0
      fi
    fi
  done
  echo "meshforge needs a JDK 22 or newer (25 recommended); none found in: ${looked[*]}. Install one (e.g. Temurin 25) and set JAVA_HOME." >&2
  return 1
}

mf_require_tools() {
  local t
  for t in mvn cmake g++; do
    if ! command -v "$t" >/dev/null 2>&1; then
      echo "meshforge needs '$t' to build, but it is not on PATH ($PATH); on Debian/Ubuntu: apt-get install maven cmake g++ (or run scripts/prerequisites as root)." >&2
      return 1
    fi
  done
}
