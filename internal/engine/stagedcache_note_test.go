package engine

import (
	"context"
	"strings"
	"testing"
)

// TestCachedWriterNoteOnlyOfRunReaders: the note that a reader of a
// standing cached writer's :file runs without it is given only of a
// reader that runs; one that does not (refused, or its own cached
// results standing) gets none.
func TestCachedWriterNoteOnlyOfRunReaders(t *testing.T) {
	writer := strings.SplitAfter(cachedWriterDoc, "[[file:out.txt]]\n")[0]
	for _, c := range []struct {
		name, reader string
		noted        bool
	}{
		{"runs", "\n#+begin_src sh :results output\ncat out.txt 2>/dev/null || echo no file\n#+end_src\n", true},
		{"refused", "\n#+begin_src sh :results output :eval no\ncat out.txt\n#+end_src\n", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			e, _, stop := newTestEngine(t, t.TempDir())
			defer stop()
			v, err := e.Submit(context.Background(), writer+c.reader)
			if err != nil {
				t.Fatal(err)
			}
			waitInstance(t, e, v.ID, "block-1", func(i InstanceView) bool { return i.State.Terminal() })
			if c.noted {
				waitInstance(t, e, v.ID, "block-2", func(i InstanceView) bool { return i.State != Queued })
			}
			d, err := e.Document(v.ID)
			if err != nil {
				t.Fatal(err)
			}
			noted := false
			for _, n := range d.Notes {
				noted = noted || strings.Contains(n, "out.txt") && strings.Contains(n, "block-2")
			}
			if noted != c.noted {
				t.Fatalf("noted %v, want %v: %q", noted, c.noted, d.Notes)
			}
		})
	}
}

// TestCachedWriterNoteNotByMessage: whether a writer's cached results
// stood is known from its record's flag, not from its message's words.
func TestCachedWriterNoteNotByMessage(t *testing.T) {
	e, _, stop := newTestEngine(t, t.TempDir())
	defer stop()
	v, err := e.Submit(context.Background(), cachedWriterDoc)
	if err != nil {
		t.Fatal(err)
	}
	waitInstance(t, e, v.ID, "block-2", func(i InstanceView) bool { return i.State != Queued })
	e.mu.Lock()
	ds := e.docs[v.ID]
	ds.byName["block-1"].instances[0].rec.Message = "reworded"
	notes := ds.cachedFilesMissing(nil)
	e.mu.Unlock()
	if len(notes) != 1 {
		t.Fatalf("notes %q, want the one of block-2", notes)
	}
}
