package engine

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/org"
)

// TestFoundRefusalNotedAtEnd: a document whose results document Borges
// refuses (org.ErrFoundMarkNotFound: an Emacs Lisp block found in
// results, in a document with no Emacs Lisp block of its own, changed the
// block found after it, which Emacs runs as changed;
// found_elisp_no_emacs_edits_found_block.org of internal/plan) says so in
// its notes once its last task has ended, before anyone asks for the
// document, so that its status shows why at once. The notes and the
// results document agree: the note is there exactly when the document is
// refused.
func TestFoundRefusalNotedAtEnd(t *testing.T) {
	e, id, want := runFoundBlockChanged(t)
	const line = "the block at line 11 of its Org buffer"
	refusalNoted := func() bool {
		v, err := e.Document(id)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range v.Notes {
			if strings.Contains(n, "results document is not written") && strings.Contains(n, line) {
				return true
			}
		}
		return false
	}
	// Waited for, bounded: the check runs off the lock once the
	// document has ended.
	noted := false
	for range 2000 {
		if noted = refusalNoted(); noted {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	got, err := e.ResultDocument(context.Background(), id)
	switch {
	case errors.Is(err, org.ErrFoundMarkNotFound) && !noted:
		t.Fatalf("the results document is refused (%v), and the document's notes did not say so before it was asked for", err)
	case errors.Is(err, org.ErrFoundMarkNotFound) && !strings.Contains(err.Error(), line):
		t.Errorf("not the error of the block changed: %v", err)
	case err == nil && noted:
		t.Errorf("the notes say the results document is refused, and it was written")
	case err == nil && got != want:
		t.Errorf("a document other than Emacs's written, with no error:\n%s\nwant:\n%s", got, want)
	case err != nil && !errors.Is(err, org.ErrFoundMarkNotFound):
		t.Fatal(err)
	}
}
