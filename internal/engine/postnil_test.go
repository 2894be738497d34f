package engine

import (
	"context"
	"strings"
	"testing"
)

// TestRefusedPostWritesNil: a block whose :post calls a block :eval
// refuses runs, the block called does not, and the :post's nil
// (org-babel-ref-resolve's "nil") is written in the block's place and
// given to the block referring to it, as in Emacs 28.2.
func TestRefusedPostWritesNil(t *testing.T) {
	e, fb, stop := newTestEngine(t, t.TempDir())
	t.Cleanup(stop)
	doc := "#+name: e\n#+begin_src sh :eval no\necho ran-e\n#+end_src\n\n" +
		"#+name: main\n#+begin_src sh :post e()\necho hi\n#+end_src\n\n" +
		"#+name: user\n#+begin_src sh :var m=main\necho \"m=$m\"\n#+end_src\n"
	v, err := e.Submit(context.Background(), doc)
	if err != nil {
		t.Fatal(err)
	}
	var userScript string
	var launched []string
	// main runs in its place and again for user's reference (its
	// own run, "user :var m=main", whose :post also gives nil).
	endLaunches(t, fb, 3, func(a *Attempt) (string, int) {
		launched = append(launched, a.Script)
		if strings.Contains(a.Script, "ran-e") {
			t.Errorf("the refused block ran: %q", a.Script)
		}
		if strings.Contains(a.Script, `m=$m`) {
			userScript = a.Script
			return "m=nil\n", 0
		}
		return "hi\n", 0
	})
	waitState(t, e, v.ID, "user", Finished)
	res := waitResults(t, e, v.ID, "#+RESULTS: user")
	if !strings.Contains(res, "#+RESULTS: main\n: nil\n") {
		t.Fatalf("main's results are not nil:\n%s", res)
	}
	if !strings.Contains(userScript, "nil") || strings.Contains(userScript, "hi") {
		t.Errorf("user is not given nil: %q (launched %q)", userScript, launched)
	}
}
