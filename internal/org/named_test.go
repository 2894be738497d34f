package org

import (
	"slices"
	"testing"
)

func TestNamedData(t *testing.T) {
	text := `#+begin_example
#+name: hidden
| not | data |
#+end_example

* COMMENT skipped
#+name: t
| from | comment |

* Real
#+name: t
| a | b |
|---+---|
| 1 | 2 |

#+name: blk
#+begin_src sh
echo
#+end_src

#+name: l
- one
  more text
- 2
  - nested

#+name: ex
#+begin_example
  x
  y
#+end_example
`
	doc, err := Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := doc.NamedData("hidden"); ok {
		t.Error("a #+name: inside an example block names nothing")
	}
	if _, ok := doc.NamedData("blk"); ok {
		t.Error("a source block is not data")
	}
	got, ok := doc.NamedData("t")
	kind, table := got.Kind, got.Table
	if !ok || kind != ValueTable || len(table) != 3 || table[0][0] != "a" || !IsRule(table[1]) || table[2][1] != "2" {
		t.Errorf("t: %v %v %v", ok, kind, table)
	}
	got, ok = doc.NamedData("l")
	if list := got.List; !ok || len(list) != 2 || list[0].Text != "one\nmore text" || list[0].Parts != nil || list[1].Text != "2" ||
		len(list[1].Parts) != 1 || list[1].Parts[0].Kind != "unordered" || len(list[1].Parts[0].Items) != 1 || list[1].Parts[0].Items[0].Text != "nested" {
		t.Errorf("l: %v %q", ok, got.List)
	}
	if got, ok := doc.NamedData("ex"); !ok || got.Scalar != "x\ny\n" {
		t.Errorf("ex: %v %q", ok, got.Scalar)
	}
}

// TestNamedDataQuotedCells: a named table's cells written in double
// quotes that read as numbers are marked, row and column counting rules;
// bare numbers, quoted text and cells with inner quotes are not.
func TestNamedDataQuotedCells(t *testing.T) {
	doc, err := Parse("#+name: q\n| a | b |\n|---+---|\n| \"12\" | 12 |\n| \"x\" | \"1e3\" |\n| a \"1\" | \" 5\" |\n")
	if err != nil {
		t.Fatal(err)
	}
	got, ok := doc.NamedData("q")
	if !ok || len(got.Table) != 5 {
		t.Fatalf("q: %v %q", ok, got.Table)
	}
	want := [][2]int{{2, 0}, {3, 1}}
	if !slices.Equal(got.Quoted, want) || got.Table[2][0] != "12" || got.Table[3][1] != "1e3" {
		t.Errorf("quoted %v, want %v; table %q", got.Quoted, want, got.Table)
	}
}

func TestHeadingBody(t *testing.T) {
	text := `#+name: foo
#+begin_src sh
echo new
#+end_src

* One
SCHEDULED: <2020-01-01>
:PROPERTIES:
:CUSTOM_ID: One-Id
:END:
body
** Child
child text
* Two
:PROPERTIES:
:CUSTOM_ID: named
:END:
#+name: named
: data
* Three
:PROPERTIES:
:custom_id: live
:END:
src_sh{echo x}
* Words
:PROPERTIES:
:CUSTOM_ID: words
:END:
see do_call_back and my_src_file
* Elsewhere
:PROPERTIES:
:CUSTOM_ID: elsewhere
:END:
#+RESULTS: foo
: old
* Last
:PROPERTIES:
:CUSTOM_ID: last
:END:
end`
	doc, err := Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		id, body string
		live, ok bool
	}{
		{"one-id", "body\n** Child\nchild text", false, true},
		{"named", "", false, false}, // an element of that name comes first
		{"live", "src_sh{echo x}", true, true},
		// Words that only look like inline blocks or calls.
		{"words", "see do_call_back and my_src_file", false, true},
		// Results a block outside the subtree writes into it.
		{"elsewhere", "#+RESULTS: foo\n: old", true, true},
		{"last", "end", false, true},
		{"none", "", false, false},
	} {
		body, live, ok := doc.HeadingBody(c.id)
		if body != c.body || live != c.live || ok != c.ok {
			t.Errorf("%s: %q %v %v, want %q %v %v", c.id, body, live, ok, c.body, c.live, c.ok)
		}
	}
}

// TestNameDeletedWithResults: a #+name: below the "#+RESULTS:" keyword
// is among the old results the block deletes when it writes its own
// (org-babel-where-is-src-block-result's region starts at the keyword's
// next line): a reference after that finds no such name. One above it
// stays.
func TestNameDeletedWithResults(t *testing.T) {
	const writer = "#+begin_src sh\necho new\n#+end_src\n\n"
	for _, c := range []struct {
		doc     string
		deleted bool
	}{
		{writer + "#+RESULTS:\n#+name: data\n: old\n", true},
		{writer + "#+RESULTS:\n#+caption: c\n#+NAME: data\n: old\n", true},
		{writer + "#+name: data\n#+RESULTS:\n: old\n", false},
	} {
		d, err := Parse(c.doc)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := d.NamedResultsBlock("data"); !ok {
			t.Errorf("%q: no results named", c.doc)
			continue
		}
		if got := d.NameDeletedWithResults("data"); got != c.deleted {
			t.Errorf("%q: deleted %v, want %v", c.doc, got, c.deleted)
		}
	}
}

// TestNamedResultsBlockOfNamedBlock: a #+name: on the results of a named
// block ("#+RESULTS: summary", where org-babel-where-is-src-block-result
// finds them for the block named summary, wherever they stand) names
// that block's results, which Babel rewrites when it runs; a block
// with another name, or none, does not own them.
func TestNamedResultsBlockOfNamedBlock(t *testing.T) {
	for _, c := range []struct {
		doc   string
		owner int // line of the owner's first line; 0: none
	}{
		{"#+name: summary\n#+begin_src ruby\n\"new\"\n#+end_src\n\n#+name: out\n#+RESULTS: summary\n: stale\n", 1},
		{"#+name: summary\n#+begin_src ruby\n\"new\"\n#+end_src\n\n#+RESULTS: summary\n#+name: out\n: stale\n", 1},
		{"#+name: summary\n#+begin_src ruby\n\"new\"\n#+end_src\n\ntext\n\n#+name: out\n#+RESULTS[abc]: summary\n: stale\n", 1},
		{"#+name: other\n#+begin_src ruby\n\"new\"\n#+end_src\n\n#+name: out\n#+RESULTS: summary\n: stale\n", 0},
		{"#+begin_src ruby\n\"new\"\n#+end_src\n\n#+name: out\n#+RESULTS: summary\n: stale\n", 0},
	} {
		d, err := Parse(c.doc)
		if err != nil {
			t.Fatal(err)
		}
		i, ok := d.NamedResultsBlock("out")
		switch {
		case c.owner == 0 && ok:
			t.Errorf("%q: results owned by the block at line %d, want none", c.doc, d.BlockAt(i).Line)
		case c.owner != 0 && !ok:
			t.Errorf("%q: no owner, want the block at line %d", c.doc, c.owner)
		case ok && d.BlockAt(i).Line != c.owner:
			t.Errorf("%q: owner at line %d, want %d", c.doc, d.BlockAt(i).Line, c.owner)
		}
	}
}
