// Package proclist lists the machine's processes with what killing a
// tree, a group or a session of them needs: each one's parent, process
// group and session, as /proc/PID/stat gives them.
package proclist

import (
	"bytes"
	"os"
	"strconv"
	"strings"
)

// Proc is one process.
type Proc struct {
	PID, PPID, PGID, SID int
	State                byte // R, S, D, Z…: the first letter of its state
}

// Zombie reports whether the process has ended and waits only for its
// parent to reap it.
func (p Proc) Zombie() bool { return p.State == 'Z' }

// Of reads one process (false: it is not there, or has just ended).
func Of(pid int) (Proc, bool) {
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return Proc{}, false
	}
	return ParseStat(pid, stat)
}

// All lists the live processes; one that ends while the list is read is
// left out.
func All() []Proc {
	var out []Proc
	entries, _ := os.ReadDir("/proc")
	for _, en := range entries {
		pid, err := strconv.Atoi(en.Name())
		if err != nil {
			continue
		}
		if p, ok := Of(pid); ok {
			out = append(out, p)
		}
	}
	return out
}

// StatFields splits a /proc/PID/stat line into its fields from the
// state on (field 3 of proc(5) at index 0: field n at n-3); nil if the
// line is cut. The command before them, in parentheses, may hold spaces
// and parentheses itself: the fields are those after its last ")".
func StatFields(stat []byte) []string {
	i := bytes.LastIndexByte(stat, ')')
	if i < 0 {
		return nil
	}
	return strings.Fields(string(stat[i+1:]))
}

// ParseStat reads process pid's /proc/PID/stat line: state, parent,
// process group, session.
func ParseStat(pid int, stat []byte) (Proc, bool) {
	fields := StatFields(stat)
	if len(fields) < 4 {
		return Proc{}, false
	}
	p := Proc{PID: pid, State: fields[0][0]}
	for j, to := range []*int{&p.PPID, &p.PGID, &p.SID} {
		n, err := strconv.Atoi(fields[j+1])
		if err != nil {
			return Proc{}, false
		}
		*to = n
	}
	return p, true
}
