package engine

import (
	"slices"
	"testing"
	"time"
)

// Org 9.5.5 writes `:results wrap` (the spelling of drawer before Org
// 7.9.2) as it writes drawer: in a :results: drawer, unescaped, and
// org-babel-execute-buffer runs the blocks printed there (the plan's
// wrap_output_prints_block and found_wrap_output_prints_block fixtures).

// TestWrapOutputDocumentBlockSearched: a block of the document with
// `:results output wrap` that prints a source block has it run.
func TestWrapOutputDocumentBlockSearched(t *testing.T) {
	doc := "#+begin_src sh :results output wrap\ncat b\n#+end_src\n"
	_, rb, e, _, id := submitOnDisk(t, doc)
	fb := rb.fakeBackend
	finishLaunch(fb, launchOf(t, fb, "block-1", 1), srcEcho("deep"))
	if !listedBeforeEnd(e, id, "block-1-found-1") {
		t.Fatalf("blocks %v: the block printed in `:results output wrap` not run", blockNames(e, id))
	}
	finishLaunch(fb, launchOf(t, fb, "block-1-found-1", 1), "deep\n")
	waitDocumentEnded(t, e, id)
}

// TestWrapOutputFoundBlockSearched: a block found in results, with
// `:results output wrap`, that prints a source block has it run.
func TestWrapOutputFoundBlockSearched(t *testing.T) {
	doc := "#+begin_src sh :results drawer\ncat b\n#+end_src\n"
	_, rb, e, _, id := submitOnDisk(t, doc)
	fb := rb.fakeBackend
	finishLaunch(fb, launchOf(t, fb, "block-1", 1), "#+begin_src sh :results output wrap\ncat c\n#+end_src\n")
	finishLaunch(fb, launchOf(t, fb, "block-1-found-1", 1), srcEcho("deep"))
	if !listedBeforeEnd(e, id, "block-1-found-1-found-1") {
		t.Fatalf("blocks %v: the block printed in a found block's `:results output wrap` not run", blockNames(e, id))
	}
	finishLaunch(fb, launchOf(t, fb, "block-1-found-1-found-1", 1), "deep\n")
	waitDocumentEnded(t, e, id)
}

// listedBeforeEnd reports whether block name is listed in document id
// before the document ends (bounded: false if neither comes).
func listedBeforeEnd(e *Engine, id, name string) bool {
	for range 12000 {
		if slices.Contains(blockNames(e, id), name) {
			return true
		}
		if d, _ := e.Document(id); d != nil && d.State != Running && d.State != Queued {
			return slices.Contains(blockNames(e, id), name)
		}
		time.Sleep(5 * time.Millisecond)
	}
	return false
}
