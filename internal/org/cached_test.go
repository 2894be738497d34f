package org

import (
	"reflect"
	"testing"
)

// A :cache yes block's results that are a plain list with sublists, under
// an unchanged hash, are read back as org-babel-read-list reads them (no
// block runs: the engine hands them on). Emacs 28.2 gives the dependents
// (("kept" (unordered ("sub" (ordered ("deeper"))) ("other"))) ("3"
// (unordered ("three")))) for these results.
func TestCachedResultNestedList(t *testing.T) {
	src := "#+name: kept\n#+begin_src sh :cache yes :results output raw\nprintf -- '- kept\\n  - sub\\n- 3\\n'\n#+end_src\n\n" +
		"#+RESULTS[0c841750699f12fe38af629cbe495daf0afb76b4]: kept\n- kept\n  - sub\n    1. deeper\n  - other\n- 3\n  - three\n"
	doc, err := Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	hash, got, ok := doc.CachedResult(doc.Blocks[0])
	kind, table, list := got.Kind, got.Table, got.List
	if !ok || hash != "0c841750699f12fe38af629cbe495daf0afb76b4" || kind != ValueTextTable || table != nil {
		t.Fatalf("CachedResult: hash %q, kind %d, table %q, ok %v", hash, kind, table, ok)
	}
	want := []ListItem{
		{Text: "kept", Parts: []ListPart{{Kind: "unordered", Items: []ListItem{
			{Text: "sub", Parts: []ListPart{{Kind: "ordered", Items: []ListItem{{Text: "deeper"}}}}},
			{Text: "other"},
		}}}},
		{Text: "3", Parts: []ListPart{{Kind: "unordered", Items: []ListItem{{Text: "three"}}}}},
	}
	if !reflect.DeepEqual(list, want) {
		t.Fatalf("list:\n got  %#v\n want %#v", list, want)
	}
}

// TestCachedResultQuotedCells: hashed results holding a quoted cell that
// reads as a number read it back as a string (org-babel-read-table).
func TestCachedResultQuotedCells(t *testing.T) {
	doc, err := Parse("#+begin_src emacs-lisp :cache yes\n'((\"\\\"12\\\"\" 12))\n#+end_src\n\n#+RESULTS[0c841750699f12fe38af629cbe495daf0afb76b4]:\n| \"12\" | 12 |\n")
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Blocks) != 1 {
		t.Fatalf("%d blocks", len(doc.Blocks))
	}
	_, got, ok := doc.CachedResult(doc.Blocks[0])
	if !ok || len(got.Table) != 1 || len(got.Quoted) != 1 || got.Quoted[0] != [2]int{0, 0} {
		t.Errorf("CachedResult: %v %q quoted %v", ok, got.Table, got.Quoted)
	}
}
