package mesos

import (
	"crypto/rand"
	"encoding/hex"
)

// Mesos' command executor kills a task by its process tree, with the
// process groups and sessions met on the way (SIGTERM, SIGKILL after
// 3 s; at once for max_completion_time), and kills nothing when the
// task's program ends by itself. On an agent with the posix launcher
// (no cgroup per container) whatever the block left behind — a process
// whose parent exited, one that moved to a session of its own — outlives
// the task. So a command task's shell starts a guard first: a process
// that finds every process of the task by a marker in its environment,
// which children inherit whatever group or session they move to, and
// SIGKILLs them all once the task's shell (then the block's program,
// which it execs) has ended, however it ended: by itself, killed, or
// timed out.
//
// Why a guard beside the program and not a wrapper around it: the
// wrapper would be the root of the tree the command executor kills, and
// for max_completion_time the SIGKILL follows the SIGTERM with no grace,
// before a wrapper could look for anything; and a wrapper would stand
// between the executor and the program, whose exit status, death by a
// signal ("Command terminated with signal …") and standard input it
// would have to reproduce. The guard leaves the task's session and tree
// (setsid after its parent exited, as the escaping daemon does), so no
// kill of the task reaches it, and the block's program is still the
// process the executor started and waits for, its status and output
// exactly as before. It needs sh, setsid, sleep and /proc on the agent
// (busybox's applets do); without setsid no guard starts and the task
// runs as it did without one.
//
// What the guard does not catch: a process that clears or rewrites its
// environment (env -i, or unsetting BORGES_MESOS_TASK) before it is
// looked for, and a process of another user whose environment the
// task's user cannot read (a setuid program). It finds the task's
// processes within a second of its end (it polls).

// EnvMesosTask marks every process of a command task: the guard finds
// them by it.
const EnvMesosTask = "BORGES_MESOS_TASK"

// guardScript is the guard, run by /bin/sh -c with the task's shell's
// pid as $1 and the marker in its environment. It reads the shell's
// start time (so that a pid used again is not taken for it) before it
// closes its standard output, which the task's shell waits on: by then
// the guard is in a session of its own. It polls the shell once a second
// until it is gone or a zombie, then kills every other process whose
// environment holds the marker, round after round (bounded) until none
// is found. /proc/PID/environ separates its entries with NUL bytes,
// which sh's read drops: the markers all have the same length, so that
// no marker is a prefix of another. Every line here is plain POSIX sh
// that dash, bash and busybox ash run alike.
const guardScript = `p=$1 m=$` + EnvMesosTask + `
unset ` + EnvMesosTask + `
started() {
	read -r s </proc/$p/stat || return 2
	case $s in *") "*) ;; *) return 1 ;; esac
	set -- ${s##*) }
	[ "$1" = Z ] && return 2
	start=${20}
}
started || exit 0
first=$start
exec >/dev/null 2>&1 </dev/null
while :; do
	started
	case $? in
	0) [ "$start" = "$first" ] || break ;;
	2) break ;;
	esac
	sleep 1
done
n=0
while [ $n -lt 100 ]; do
	n=$((n+1))
	found=
	for d in /proc/[0-9]*; do
		[ "${d#/proc/}" = $$ ] && continue
		while IFS= read -r l || [ -n "$l" ]; do
			case $l in *"` + EnvMesosTask + `=$m"*) kill -KILL ${d#/proc/}; found=1; break ;; esac
		done <$d/environ
	done
	[ -n "$found" ] || break
done
`

// guardPrefix is the part of a command task's shell that marks it and
// starts its guard: the shell waits (the command substitution) until
// the guard has left its session and closed its output.
func guardPrefix() string {
	var buf [16]byte
	rand.Read(buf[:])
	return EnvMesosTask + "=" + hex.EncodeToString(buf[:]) + "; export " + EnvMesosTask + "\n" +
		"if command -v setsid >/dev/null 2>&1; then\n" +
		": \"$( (setsid /bin/sh -c '" + guardScript + "' borges-guard \"$$\" </dev/null 2>/dev/null &) )\"\n" +
		"fi\n"
}
