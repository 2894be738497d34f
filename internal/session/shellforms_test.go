package session

import (
	"os"
	"testing"

	"github.com/wallyqs/borges/internal/proctest"
)

// TestShellFormsChosenByShellFileName: a "shell" block's body of two
// forms (ShellFormsBody) is sent in bash's where the session's
// shell-file-name ($SHELL where it starts) ends in "bash", whichever
// shell ESHELL makes it run, else in the other shells'; where bash's
// forms stop Emacs, nothing is sent and the stop is the result.
func TestShellFormsChosenByShellFileName(t *testing.T) {
	for _, c := range []struct {
		name     string
		env      []string
		bashStop string
		want     string
	}{
		{"sh", []string{"SHELL=/bin/sh"}, "", "generic"},
		{"bash", []string{"SHELL=/bin/bash"}, "", "bash"},
		{"bash run by ESHELL sh", []string{"SHELL=/bin/bash", "ESHELL=/bin/sh"}, "", "bash"},
		{"sh run by ESHELL bash", []string{"SHELL=/bin/sh", "ESHELL=/bin/bash"}, "", "generic"},
		{"bash stop", []string{"SHELL=/bin/bash"}, "stopped", "stopped"},
		{"sh no stop", []string{"SHELL=/bin/sh"}, "stopped", "generic"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			env := append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir, "PS1=$ "}, c.env...)
			tty := proctest.StartOnTerminal(t, dir, append(env, Env()...), Command(Shell, "shell", nil))
			conn := NewConn(Shell, tty, tty)
			// A first block, so that the start's output is not the
			// block's.
			eval(t, conn, Request{Body: "true"})
			if got := eval(t, conn, Request{Body: ShellFormsBody("echo generic", "echo bash", c.bashStop)}); got != c.want {
				t.Errorf("result %q, want %q", got, c.want)
			}
		})
	}
}
