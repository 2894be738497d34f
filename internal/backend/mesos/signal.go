package mesos

import (
	"regexp"
	"strconv"
	"strings"

	mesos "github.com/mesos/mesos-go/api/v1/lib"
)

// A task its program's death by a signal ended (a SIGKILL it sent
// itself, the kernel's SIGSEGV) has no exit status in Mesos: its
// executor says which signal, in words — Mesos' command executor
// strsignal's ("Command terminated with signal Killed"), Borges' executor
// Go's ("… signal killed"). The block is given the status a shell gives
// it, 128 and the signal's number, as the local backend's wrapper and
// Kubernetes report it, so that it fails the same way on every backend:
// org-babel-eval has nil for it, and where the language's function uses
// that nil (plan.FailedNilStops) the document stops there, on Mesos too.
// A kill Borges asked for (TASK_KILLED) and a :timeout's (TASK_FAILED,
// "timed out after D") are told apart by their state and message.

// signalRe finds the signal's words in a task's status message: the
// executor's own words only, at its start (Mesos' command executor's
// "Command …", its Docker executor's "Container …", Borges' executor's
// "Command …"), never a message that carries a program's text after
// Borges' own ("Emacs Lisp error: …", "its session's interpreter ended
// (…): …").
var signalRe = regexp.MustCompile(`^(?:Command|Container) terminated with signal (.+)$`)

// linuxSignals are the numbers of the signals on Linux (the agents'), by
// their descriptions, which strsignal and Go's syscall give alike but
// for their case.
var linuxSignals = map[string]int{
	"hangup": 1, "interrupt": 2, "quit": 3, "illegal instruction": 4,
	"trace/breakpoint trap": 5, "aborted": 6, "bus error": 7,
	"floating point exception": 8, "killed": 9, "user defined signal 1": 10,
	"segmentation fault": 11, "user defined signal 2": 12, "broken pipe": 13,
	"alarm clock": 14, "terminated": 15, "stack fault": 16, "child exited": 17,
	"continued": 18, "stopped (signal)": 19, "stopped": 20,
	"stopped (tty input)": 21, "stopped (tty output)": 22,
	"urgent i/o condition": 23, "cpu time limit exceeded": 24,
	"file size limit exceeded": 25, "virtual timer expired": 26,
	"profiling timer expired": 27, "window changed": 28, "i/o possible": 29,
	"power failure": 30, "bad system call": 31,
}

// sigRTMin is glibc's SIGRTMIN on Linux, from which strsignal counts its
// "Real-time signal N".
const sigRTMin = 34

// signalStatus is the exit status a shell gives the program of a task
// whose executor's status says a signal ended it (128 and its number);
// ok is false for a status its executor did not send (the agent's, the
// master's), any other message, or a signal not known by its words.
func signalStatus(st mesos.TaskStatus) (int, bool) {
	if st.GetSource() != mesos.SOURCE_EXECUTOR {
		return 0, false
	}
	m := signalRe.FindStringSubmatch(strings.TrimRight(st.GetMessage(), " \t\r\n"))
	if m == nil {
		return 0, false
	}
	name := strings.ToLower(strings.TrimSpace(strings.TrimSuffix(m[1], "(core dumped)")))
	if n, ok := linuxSignals[name]; ok {
		return 128 + n, true
	}
	for prefix, base := range map[string]int{"real-time signal ": sigRTMin, "unknown signal ": 0, "signal ": 0} {
		if rest, ok := strings.CutPrefix(name, prefix); ok {
			if n, err := strconv.Atoi(rest); err == nil && n >= 0 && base+n > 0 && base+n < 128 {
				return 128 + base + n, true
			}
		}
	}
	return 0, false
}
