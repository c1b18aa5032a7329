# Sourced by the launcher and the scripts: finds a JDK 22+ and exports JAVA_HOME, or says where it looked.
# Order: $JAVA_HOME, /usr/lib/jvm/temurin-25-jdk-amd64, any /usr/lib/jvm/*, `java` on PATH.
# The common case starts no process (the launcher runs on every command, and each fork of bash costs it several
# milliseconds of CPU): the JDK's release file is read by bash itself, and `java` on PATH is resolved only when no
# JDK was found in the places before it.

MF_JAVA_MAJOR= # the feature version of the JDK mf_find_jdk chose

mf_java_major() { # sets MF_JAVA_MAJOR to the feature version of the JDK at $1, or to nothing
  MF_JAVA_MAJOR=
  local line
  if [ -f "$1/release" ]; then
    while IFS= read -r line || [ -n "$line" ]; do
      case $line in
        JAVA_VERSION=\"[0-9]*)
          line=${line#JAVA_VERSION=\"}
          MF_JAVA_MAJOR=${line%%[!0-9]*}
          return 0 ;;
      esac
    done <"$1/release"
    return 0
  fi
  MF_JAVA_MAJOR=$("$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n1)
}

mf_try_jdk() { # exports JAVA_HOME=$1 when it is a JDK 22+; appends it to mf_looked otherwise
  if [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ]; then
    mf_java_major "$1"
    if [ -n "$MF_JAVA_MAJOR" ] && [ "$MF_JAVA_MAJOR" -ge 22 ]; then
      export JAVA_HOME="$1"
      return 0
    fi
  fi
  mf_looked+=("$1")
  return 1
}

mf_find_jdk() {
  mf_looked=()
  local candidate java
  [ -n "${JAVA_HOME:-}" ] && mf_try_jdk "$JAVA_HOME" && return 0
  mf_try_jdk /usr/lib/jvm/temurin-25-jdk-amd64 && return 0
  for candidate in /usr/lib/jvm/*; do
    [ -d "$candidate" ] && mf_try_jdk "$candidate" && return 0
  done
  if java=$(command -v java); then
    java=$(readlink -f "$java")
    mf_try_jdk "${java%/bin/java}" && return 0
  fi
  echo "meshforge needs a JDK 22 or newer (25 recommended); none found in: ${mf_looked[*]}. Install one (e.g. Temurin 25) and set JAVA_HOME." >&2
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
