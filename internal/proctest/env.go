package proctest

import (
	"slices"
	"strings"
	"testing"
)

// EnvNames are the names of an environment as a program printed it:
// NAME=VALUE entries separated by sep ("\n" from env, "\x00" from
// /proc/PID/environ).
func EnvNames(data, sep string) []string {
	var names []string
	for _, kv := range strings.Split(data, sep) {
		if name, _, ok := strings.Cut(kv, "="); ok {
			names = append(names, name)
		}
	}
	return names
}

// CheckEnv fails the test unless names (a program's environment) has
// every one of want and none of gone, the variables the document's Emacs
// removed.
func CheckEnv(t testing.TB, names, want, gone []string) {
	t.Helper()
	for _, n := range want {
		if !slices.Contains(names, n) {
			t.Errorf("%s is not in the program's environment %q", n, names)
		}
	}
	for _, n := range gone {
		if slices.Contains(names, n) {
			t.Errorf("%s, which the document's Emacs removed, is in the program's environment %q", n, names)
		}
	}
}
