package org

import (
	"reflect"
	"strings"
	"testing"
)

// TestBufferReportLibrary: a report's Library of Babel entries are read
// (name, language, body, parameters), and the planning document holds
// each as a named block after the buffer whose arguments are the entry's
// parameters alone, no default merged; the buffer's text and its parse
// stay the buffer's.
func TestBufferReportLibrary(t *testing.T) {
	const text = "#+begin_src sh :var z=nosuch\necho $z\n#+end_src\n"
	lib := "\"nosuch\" \"emacs-lisp\" \"(+ 40\\n 2)\" 2\n:results s \"silent\"\n:var s \"n=1\"\n" +
		"\"bad\" - \"x\" 0\n"
	rep, err := ParseBufferReport("1 0 3 4\n0 47 47 47 - =\nblock 0\ninline 0\nlob 0\n" + lib + text)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Library) != 2 || rep.Library[0].Name != "nosuch" || rep.Library[0].Body != "(+ 40\n 2)" || rep.Library[0].Lang != "emacs-lisp" || rep.Library[1].Unread == "" {
		t.Fatalf("library %+v", rep.Library)
	}
	if rep.Text != text {
		t.Errorf("text %q", rep.Text)
	}
	d, err := rep.PlanDocument(Visit{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(d.Text, text) || d.LibraryFrom() != len(text) {
		t.Errorf("planning text %q, library from %d", d.Text, d.LibraryFrom())
	}
	if len(d.Blocks) != 3 {
		t.Fatalf("%d blocks", len(d.Blocks))
	}
	b := d.Blocks[1]
	if _, ok := d.LibraryBlock(b); !ok || b.Name != "nosuch" || b.Lang != "emacs-lisp" || b.Body != "(+ 40\n 2)" {
		t.Errorf("entry block %+v", b)
	}
	if !reflect.DeepEqual(b.Vars, []string{"n=1"}) {
		t.Errorf("vars %q", b.Vars)
	}
	if v, _ := b.Args.Get("results"); v != "silent" {
		t.Errorf(":results %q", v)
	}
	if _, ok := b.Args.Get("session"); ok {
		t.Errorf("a default merged in: %v", b.Args)
	}
	if d.Blocks[2].Problem == "" {
		t.Errorf("an unread entry runs: %+v", d.Blocks[2])
	}
	if _, ok := d.LibraryBlock(d.Blocks[0]); ok {
		t.Errorf("the buffer's block counts as the library's")
	}
	if plain, _ := rep.Document(Visit{}); len(plain.Blocks) != 1 {
		t.Errorf("the buffer's parse holds %d blocks", len(plain.Blocks))
	}
	// A name the buffer has is the buffer's: no entry block.
	named, err := ParseBufferReport("1 0 3 2\n0 47 47 47 - =\nblock 0\ninline 0\nlob 0\n\"x\" \"sh\" \"echo\" 0\n\"y\" \"sh\" \"echo\" 0\n" + "#+name: x\n| 1 |\n" + text)
	if err != nil {
		t.Fatal(err)
	}
	d, _ = named.PlanDocument(Visit{})
	if len(d.Blocks) != 2 || d.Blocks[1].Name != "y" {
		t.Errorf("blocks %d", len(d.Blocks))
	}
	for _, s := range []string{"0 0 3 1\nblock 0\ninline 0\nlob 0\n", "0 0 3 1\nblock 0\ninline 0\nlob 0\nnosuch \"sh\" \"x\" 0\n", "0 0 3 1\nblock 0\ninline 0\nlob 0\n\"n\" \"sh\" \"x\" 2\n:a - \n"} {
		if _, err := ParseBufferReport(s); err == nil {
			t.Errorf("%q: no error", s)
		}
	}
}

// TestLibraryEntryShadowedByHeadingID: org-babel-ref-resolve looks for a
// heading by CUSTOM_ID or ID before the Library of Babel, so an entry of
// that name never runs: the planning document holds no block for it and
// the reference still reads the heading's body (review F1).
func TestLibraryEntryShadowedByHeadingID(t *testing.T) {
	for _, prop := range []string{"CUSTOM_ID", "ID"} {
		text := "* Notes\n:PROPERTIES:\n:" + prop + ": foo\n:END:\nhello\n* B\n#+begin_src sh :var z=foo\necho $z\n#+end_src\n"
		rep, err := ParseBufferReport("0 0 3 1\nblock 0\ninline 0\nlob 0\n\"foo\" \"sh\" \"rm -rf ~/x\" 0\n" + text)
		if err != nil {
			t.Fatal(err)
		}
		d, err := rep.PlanDocument(Visit{})
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range d.Blocks {
			if _, ok := d.LibraryBlock(b); ok || b.Name == "foo" {
				t.Errorf("%s: the entry foo is a block of the planning document: %+v", prop, b)
			}
		}
		if prop == "CUSTOM_ID" {
			if body, _, ok := d.HeadingBody("foo"); !ok || body != "hello" {
				t.Errorf("heading body %q %v", body, ok)
			}
		}
	}
}

// TestLibraryEntryOrphanedName: an orphaned #+name: line or one inside
// another block names no element, so org-babel-ref-resolve goes on to
// the Library of Babel (review F5).
func TestLibraryEntryOrphanedName(t *testing.T) {
	text := "#+begin_example\n#+name: foo\n#+end_example\n#+begin_src sh :var z=foo\necho $z\n#+end_src\n"
	rep, err := ParseBufferReport("0 0 3 1\nblock 0\ninline 0\nlob 0\n\"foo\" \"sh\" \"echo hi\" 0\n" + text)
	if err != nil {
		t.Fatal(err)
	}
	d, err := rep.PlanDocument(Visit{})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, b := range d.Blocks {
		if _, ok := d.LibraryBlock(b); ok && b.Name == "foo" && b.Problem == "" {
			found = true
		}
	}
	if !found {
		t.Errorf("no runnable entry block foo")
	}
}

// TestLibraryEntryTooBig: an entry the document's Emacs reports by name
// alone (+ + 0: past its cap on the count or size of the entries it
// copies) is read, unread: a reference to it fails saying why (review F3).
func TestLibraryEntryTooBig(t *testing.T) {
	rep, err := ParseBufferReport("0 0 3 1\nblock 0\ninline 0\nlob 0\n\"big\" + + 0\n#+begin_src sh :var z=big\necho $z\n#+end_src\n")
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Library) != 1 || rep.Library[0].Name != "big" || !strings.Contains(rep.Library[0].Unread, "does not know") {
		t.Fatalf("library %+v", rep.Library)
	}
}
