# Sourced by the launcher: the client of the resident meshforge JVM (cli/src/main/java/dev/meshforge/cli/Daemon.java,
# which describes the protocol). Plain bash, no process started on the way (but `cat` for output relayed to a file,
# and setsid for a daemon it starts): /dev/tcp for the connection, builtins for the rest, so that a call costs the
# launcher a few milliseconds of CPU.

MF_DAEMON_RC=        # the exit code of a command the daemon ran
MF_DAEMON_START=     # 1 when no usable daemon answered and the launcher should start one

mf_daemon_state() { # the state file of the daemon for this checkout and JDK, in MF_DAEMON_STATE_FILE
  local key="${1//\//_}${JAVA_HOME//\//_}"
  MF_DAEMON_STATE_FILE="${XDG_CACHE_HOME:-$HOME/.cache}/meshforge/daemon/${key//[^A-Za-z0-9._-]/_}"
}

# mf_daemon_read STATE: the daemon's port, token and pid from its state file, in MF_DAEMON_PORT, MF_DAEMON_TOKEN and
# MF_DAEMON_PID; false when there is no readable, complete state file.
mf_daemon_read() {
  MF_DAEMON_PID=
  [ -r "$1" ] && read -r MF_DAEMON_PORT MF_DAEMON_TOKEN MF_DAEMON_PID <"$1" 2>/dev/null && [ -n "$MF_DAEMON_PID" ]
}

# mf_daemon_connect STATE: opens fd 3 to the daemon that STATE names; false when there is none to reach.
mf_daemon_connect() {
  mf_daemon_read "$1" || return 1
  { exec 3<>"/dev/tcp/127.0.0.1/$MF_DAEMON_PORT"; } 2>/dev/null
}

# mf_daemon_call STATE ARGS...: hands the command to the daemon. Returns 0 with MF_DAEMON_RC set when the daemon ran
# it; 1 when the caller must run it itself (no daemon, a stale or busy one, another environment), with
# MF_DAEMON_START=1 where a new daemon should be started.
mf_daemon_call() {
  local state=$1 reply name rs mf_out mf_err env=() out err relay=
  shift
  MF_DAEMON_START=1
  # A stdout or stderr that is a regular file or a socket is relayed: the daemon sends what the command wrote there
  # after its exit line, and `cat` here writes it through this process's own descriptor, at the caller's offset (see
  # Daemon.java). Both into the same file (`>f 2>&1`) share one stream, in the order written; two files get one each.
  if [ -f /proc/self/fd/1 ] || [ -S /proc/self/fd/1 ]; then
    relay=1
    if [ -f /proc/self/fd/2 ] || [ -S /proc/self/fd/2 ]; then
      relay=1+2
      [ /proc/self/fd/1 -ef /proc/self/fd/2 ] && relay=12
    fi
  elif [ -f /proc/self/fd/2 ] || [ -S /proc/self/fd/2 ]; then
    relay=2
  fi
  mf_daemon_connect "$state" || return 1
  # The settings a call must share with the daemon (Daemon.java compares them; the launcher's own are left out there).
  for name in ${!MESHFORGE_@} XDG_CACHE_HOME JAVA_TOOL_OPTIONS JDK_JAVA_OPTIONS _JAVA_OPTIONS HOME \
              LANG LC_ALL LC_CTYPE; do
    [ -n "${!name+set}" ] && env+=("$name=${!name}")
  done
  local tty=0
  [ -t 2 ] && tty=1
  # The daemon opens the caller's stdout and stderr as copies made here: bash points fd 1 at the socket for a
  # moment while `printf >&3` runs, and the daemon may look at it then.
  exec {mf_out}>&1 {mf_err}>&2
  out=$mf_out err=$mf_err
  case $relay in 1) out=r ;; 2) err=r ;; 12) out=r err=r ;; 1+2) out=r err=e ;; esac
  # A write to a daemon that has just died fails with EPIPE (SIGPIPE ignored meanwhile): then run in-process.
  trap '' PIPE
  # BASHPID, not $$: the descriptors copied above are this (sub)shell's, and the daemon opens them through its pid.
  if ! { printf '%s\0' meshforge-daemon-2 "$MF_DAEMON_TOKEN" run "$BASHPID" "$PWD" "$tty" "$JAVA_HOME" "$out" "$err" \
           "${#env[@]}" "${env[@]}" "$#" "$@" >&3; } 2>/dev/null; then
    trap - PIPE
    exec 3>&- {mf_out}>&- {mf_err}>&-
    return 1
  fi
  trap - PIPE
  # The answer comes at once from a live daemon, even a busy one (each call has its thread). None in 10 s: the
  # daemon hangs; it is stopped, and the command runs here. The connection closed without an answer: a daemon
  # that died or another process on its port; the launcher starts a new one.
  read -r -t 10 reply <&3
  rs=$?
  if [ "$rs" != 0 ]; then
    exec 3>&- {mf_out}>&- {mf_err}>&-
    [ "$rs" -gt 128 ] && kill -KILL "$MF_DAEMON_PID" 2>/dev/null
    rm -f "$state" 2>/dev/null
    return 1
  fi
  case $reply in
    ok) ;;
    "no stale") exec 3>&- {mf_out}>&- {mf_err}>&-; return 1 ;;
    *) exec 3>&- {mf_out}>&- {mf_err}>&-; MF_DAEMON_START=; return 1 ;;
  esac
  # Ctrl-C or a kill of this script closes the connection: the daemon cancels the run at its next progress step.
  trap 'exec 3>&-; exit 130' INT
  trap 'exec 3>&-; exit 143' TERM
  if read -r reply <&3 && [ "${reply#exit }" != "$reply" ]; then
    reply=${reply#exit }
    MF_DAEMON_RC=${reply%% *}
    reply=${reply#* }
    # `read` takes a socket's bytes one at a time, so what follows the line is still there for head and cat (head -c
    # reads no further than its count).
    if [ "${reply#* }" != 0 ]; then
      [ "${reply%% *}" = 0 ] || head -c "${reply%% *}" <&3
      cat <&3 >&2
    elif [ "${reply%% *}" != 0 ]; then
      cat <&3 >&"${relay:0:1}"
    fi
    exec 3>&- {mf_out}>&- {mf_err}>&-
    return 0
  fi
  exec 3>&-
  echo "meshforge: the daemon stopped during the command (see $state.log); run it again, or with MESHFORGE_DAEMON=0" >&2
  MF_DAEMON_RC=3
  return 0
}

# mf_daemon_stop STATE: asks the daemon to end; true when one answered.
mf_daemon_stop() {
  local reply
  mf_daemon_connect "$1" || return 1
  printf '%s\0' meshforge-daemon-2 "$MF_DAEMON_TOKEN" stop "$$" "$PWD" 0 "$JAVA_HOME" 1 2 0 0 >&3 2>/dev/null
  read -r -t 10 reply <&3
  exec 3>&-
  [ "$reply" = "ok stopping" ]
}

# mf_daemon_start STATE JAVA-ARGS...: starts the daemon detached (a session of its own, no inherited stdin, stdout
# or stderr, so that no caller, CI step or test waits on it) once this process, and the command it goes on to exec,
# have ended: the daemon's starter waits on a pipe whose only writer is a descriptor of this process, which the exec
# keeps open, so that the daemon's start does not compete with the first command, which runs in-process meanwhile
# (a cube's inspect waited about 0.4 s for a daemon to listen, against about 0.34 s in-process). Nothing starts when a
# start is under way: STATE.starting, made here with O_EXCL, touched again when the daemon's JVM starts and removed
# by the daemon once it listens, keeps a burst of calls from starting one JVM each (they run in-process meanwhile).
# Until the starter runs, the marker holds the pid of the process whose end it waits for (this one, then the command
# it execs), so that a first command running for minutes keeps its marker; a marker older than a minute whose
# process has ended (or, once the starter has emptied it, the daemon's JVM start) is a start that failed (see
# STATE.log) and is tried again. False when no start was set up here.
mf_daemon_start() {
  local state=$1 starting=$1.starting
  shift
  [ -d "${state%/*}" ] || mkdir -p -m 700 "${state%/*}" 2>/dev/null || return 1
  if [ -e "$starting" ]; then
    local waiting=
    read -r waiting <"$starting" 2>/dev/null
    [[ $waiting =~ ^[0-9]+$ ]] && kill -0 "$waiting" 2>/dev/null && return 1
    [ -n "$(find "$starting" -mmin +1 2>/dev/null)" ] || return 1
    rm -f "$starting"
  fi
  set -C
  if { echo "$BASHPID" >"$starting"; } 2>/dev/null; then
    set +C
    # The starter reads its stdin, this pipe, to its end: the end comes when the last holder of MF_DAEMON_HOLD, this
    # process or what it execs, ends.
    # shellcheck disable=SC2016 # expanded by the starter
    exec {MF_DAEMON_HOLD}> >(exec setsid -f bash -c 'IFS= read -r -d "" _; : >"$1"; shift; exec "$@" </dev/null' \
      mf-daemon-start "$starting" "$@" "$state" "${MESHFORGE_DAEMON_IDLE:-900}" >/dev/null 2>&1)
    return 0
  fi
  set +C
  return 1
}
