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
	hash, kind, _, table, list, ok := doc.CachedResult(doc.Blocks[0])
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
