package engine

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/plan"
)

// TestShellBindStopAtRun: a "shell" block given a table keeping its
// rule, whose shell is chosen where it runs, stops the document where
// that shell is bash (its program says Emacs's error instead of running
// the block: plan's shellbindstop.go), its results left as they were and
// the block after it not run; where the shell is sh it runs, its results
// written, and nothing stops.
func TestShellBindStopAtRun(t *testing.T) {
	const head = "#+name: two\n| k | v |\n|---+---|\n| a | 1 |\n\n" +
		"#+name: stop\n#+begin_src shell :var tb=two :hlines yes :colnames no\necho \"$tb\"\n#+end_src\n\n#+RESULTS: stop\n: old\n\n"
	for _, c := range []struct {
		name, shell, written string
		stops                bool
	}{
		{"bash", "/bin/bash", "#+RESULTS: stop\n: old\n", true},
		{"sh", "/bin/sh", "| hline |", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			e, rb, id := submitToReport(t, head+
				"#+name: slow\n#+begin_src sh\necho slow\n#+end_src\n\n"+
				"#+name: after\n#+begin_src sh :var s=slow\necho after\n#+end_src\n")
			stop := launchOf(t, rb.fakeBackend, "stop", 1)
			slow := launchOf(t, rb.fakeBackend, "slow", 1)
			rb.setOutput(stop.ID, programOutput(t, stop, c.shell))
			finish(rb.fakeBackend, stop, Finished, 0)
			finish(rb.fakeBackend, slow, Finished, 0)
			if !c.stops {
				endedOrLaunched(e, rb, id, "after")
				after := launchOf(t, rb.fakeBackend, "after", 1)
				rb.setOutput(after.ID, "after\n")
				finish(rb.fakeBackend, after, Finished, 0)
			}
			// after's run of slow, launched as the document starts,
			// runs on.
			d := endedFinishingRefRuns(t, e, rb, id, "after")
			if c.stops {
				stoppedBeforeAfter(t, rb, d, 2, 6, plan.BashAssocRuleError)
			} else if m, _ := blockMessage(d, "after"); strings.Contains(m, "stopped") {
				t.Errorf("after: %q", m)
			}
			doc, err := e.ResultDocument(context.Background(), id)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(doc, c.written) {
				t.Errorf("results document, want %q:\n%s", c.written, doc)
			}
		})
	}
}

// programOutput is what attempt a's program prints run here by sh, its
// SHELL shell: the fake backend's output is the program's.
func programOutput(t *testing.T, a *Attempt, shell string) string {
	t.Helper()
	cmd := exec.Command("sh", "-c", a.Script)
	cmd.Dir = t.TempDir()
	cmd.Env = append(os.Environ(), "SHELL="+shell)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	return string(out)
}
