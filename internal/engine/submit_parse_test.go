package engine

import (
	"context"
	"testing"
)

// TestSubmitKeepsItsParse: the parse a submission makes is the one the
// engine works from next (its recent parses): the scheduler's first pass
// over a new document parsed it again, a 1,000-block document's parse
// once more under e.mu. The engine's loop is not started: nothing but
// the submission can have put it there.
func TestSubmitKeepsItsParse(t *testing.T) {
	e := New(Config{Backend: newReportBackend()})
	v, err := e.Submit(context.Background(), "#+begin_src sh\necho a\n#+end_src\n")
	if err != nil {
		t.Fatal(err)
	}
	doc, ok := e.recent.get(v.ID)
	if !ok {
		t.Fatal("the submitted document's parse is not kept")
	}
	if len(doc.Executables()) != 1 {
		t.Fatalf("kept parse has %d blocks, want 1", len(doc.Executables()))
	}
}
