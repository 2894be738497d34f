package local

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/outside"
	"github.com/wallyqs/borges/internal/plan"
	"github.com/wallyqs/borges/internal/session"
)

// TestContainerOutputWithoutFinalNewline: a container block's last output
// with no newline after it is kept, on stdout and on stderr alike, as a
// process block's is.
func TestContainerOutputWithoutFinalNewline(t *testing.T) {
	outside.Docker(t)
	for _, docker := range []bool{false, true} {
		t.Run(fmt.Sprintf("docker %v", docker), func(t *testing.T) { outputWithoutFinalNewline(t, docker) })
	}
}

func outputWithoutFinalNewline(t *testing.T, docker bool) {
	for _, tc := range []struct{ script, out, errOut string }{
		{`printf x`, "x", ""},
		{`printf 'a\nb'`, "a\nb", ""},
		{`printf e >&2`, "", "e"},
		{`printf 'o'; printf 'e\nf' >&2`, "o", "e\nf"},
	} {
		b, r := newBackend(t, t.TempDir())
		a := attempt(tc.script, nil)
		if docker {
			a = inContainer(tc.script, nil)
		}
		if err := b.Launch(context.Background(), a); err != nil {
			t.Fatal(err)
		}
		if u := r.wait(t, a.ID); u.State != engine.Finished {
			t.Fatalf("%s: update = %+v", tc.script, u)
		}
		errOut, _, err := b.ReadLog(context.Background(), a.ID, "stderr", 0, 1000)
		if err != nil {
			t.Fatal(err)
		}
		if got := stdout(t, b, a.ID); got != tc.out || string(errOut) != tc.errOut {
			t.Errorf("%s: stdout %q, stderr %q; want %q, %q", tc.script, got, errOut, tc.out, tc.errOut)
		}
	}
}

// TestSessionOutputWithoutFinalNewline: in a session a block's last line
// with no newline after it is Emacs's to drop (comint takes it with the
// prompt), and a session in a container keeps what one of processes does.
func TestSessionOutputWithoutFinalNewline(t *testing.T) {
	outside.Docker(t)
	cmd := session.Command(session.Shell, "sh", nil)
	scripts := []string{"printf x", `printf 'a\nb'`, "printf e >&2", "echo y; printf x"}
	var outputs [2][]string
	for i, docker := range []bool{false, true} {
		b, r := newBackend(t, t.TempDir())
		// The first block is left out: it may carry the shell's banner.
		attempts := []*engine.Attempt{sessionAttempt("d.0-z.0.1", "d/shell:n/1", "shell", "true", cmd)}
		for j, script := range scripts {
			attempts = append(attempts, sessionAttempt(fmt.Sprintf("d.%d-a.0.1", j+1), "d/shell:n/1", "shell", script, cmd))
		}
		if docker {
			for _, a := range attempts {
				a.Task.Container = &plan.Container{Image: outside.TestImage, Kind: "docker"}
			}
		}
		for _, u := range runSession(t, b, r, attempts...) {
			if u.State != engine.Finished {
				t.Fatalf("docker %v: %+v", docker, u)
			}
		}
		for _, a := range attempts[1:] {
			outputs[i] = append(outputs[i], readStream(t, b, a.ID, "stdout"))
		}
		b.CloseSession(context.Background(), "d/shell:n/1")
	}
	if !slices.Equal(outputs[0], outputs[1]) {
		t.Fatalf("%q: processes %q, container %q", scripts, outputs[0], outputs[1])
	}
	if outputs[0][3] != "y" {
		t.Fatalf("echo y; printf x: %q", outputs[0][3])
	}
}
