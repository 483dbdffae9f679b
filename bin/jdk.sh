# Sourced by ./gnn4j and ./run-tests: finds a JDK >= 25 and exports JAVA_HOME for this process only.
# Order: $JAVA_HOME, java on PATH, then the usual install locations. Prints one clear line and
# exits 1 when none is found, so no manual export is ever needed on a machine that has one.

gnn4j_java_major() {  # prints the major version of the java binary $1, or nothing
  # A JDK's release file names its version: reading it costs nothing, where asking the binary
  # starts a JVM (a visible part of every short command). The binary is asked only without one.
  local release
  release="$(dirname "$(dirname "$1")")/release"
  if [ -f "$release" ]; then
    sed -n 's/^JAVA_VERSION="\([0-9][0-9]*\).*/\1/p' "$release" | head -n 1
    return
  fi
  "$1" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1
}

gnn4j_find_jdk() {
  local want=25 cand major
  local candidates=()
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v java >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  fi
  for cand in /usr/lib/jvm/* /opt/java/* /opt/jdk* /usr/local/lib/jvm/* "$HOME"/.sdkman/candidates/java/* \
              "$HOME"/.jdks/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -d "$cand" ] && candidates+=("$cand")
  done
  for cand in "${candidates[@]}"; do
    [ -x "$cand/bin/java" ] && [ -x "$cand/bin/javac" ] || continue
    major=$(gnn4j_java_major "$cand/bin/java")
    if [ -n "$major" ] && [ "$major" -ge "$want" ]; then
      echo "$cand"
      return 0
    fi
  done
  return 1
}

if ! GNN4J_JDK=$(gnn4j_find_jdk); then
  echo "gnn4j: no JDK >= 25 found (looked at \$JAVA_HOME, java on PATH, /usr/lib/jvm, /opt/java, ~/.sdkman, ~/.jdks)." >&2
  echo "gnn4j: install one (for example Temurin 25) or set JAVA_HOME to it." >&2
  exit 1
fi
export JAVA_HOME="$GNN4J_JDK"
export PATH="$JAVA_HOME/bin:$PATH"
