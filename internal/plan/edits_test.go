package plan

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/org"
)

// TestBufferEditsDecide: against a buffer where block a is deleted and
// block b's body changed, a is not run, b runs as the buffer holds it
// (renamed as submitted, its results region the submitted one's), c,
// whose :var names a, fails with the error Babel signals, d's noweb
// reference to a expands to nothing, e is kept, and f, whose noweb
// reference evaluates a (<<a()>>), fails with the error Babel signals
// (org-babel-ref-resolve, as Emacs 28 says it of such a block: it
// expanded to nothing, and failed to start on the results it lacked).
func TestBufferEditsDecide(t *testing.T) {
	blocks := []string{
		"#+name: a\n#+begin_src sh\necho a\n#+end_src\n",
		"#+name: b\n#+begin_src sh\necho b\n#+end_src\n",
		"#+name: c\n#+begin_src sh :var x=a\necho $x\n#+end_src\n",
		"#+name: d\n#+begin_src sh :noweb yes\n<<a>>\necho d\n#+end_src\n",
		"#+name: e\n#+begin_src sh\necho e\n#+end_src\n",
		"#+name: f\n#+begin_src sh :noweb yes\n<<a()>>\necho f\n#+end_src\n",
	}
	text := "* T\n\n" + strings.Join(blocks, "\n")
	doc, p, task := planned(t, text)
	edited := append([]string{""}, blocks[1:]...)
	edited[1] = strings.Replace(edited[1], "echo b", "echo B", 1)
	buf := "* T\n\n" + strings.Join(edited, "\n")
	// a: deleted, its marks together.
	r := bufferReport(t, len(blocks), "5 5 5 5 - x\n", edited[1:], len("* T\n\n")+1, buf)
	e, err := BufferEdits(doc, p, r, Limits{}, DefaultOptions)
	if err != nil {
		t.Fatal(err)
	}
	if d := e.Decide(task["a"]); d.Kind != Deleted || !strings.Contains(d.Why, "deleted it from the Org buffer (line 3 of the document)") {
		t.Errorf("a: %+v", d)
	}
	d := e.Decide(task["b"])
	if d.Kind != Changed || d.Task.Block != "b" || d.Task.ResultsIndex() != task["b"].ResultsIndex() {
		t.Fatalf("b: %+v", d)
	}
	if prog, err := Render(doc, d.Task, nil); err != nil || !strings.Contains(prog, "echo B") {
		t.Errorf("b as it stands: %q, %v", prog, err)
	}
	if d := e.Decide(task["c"]); d.Kind != Fails || d.Why != "line 9 of the Org buffer, :var x=a: Reference ‘a’ not found in this buffer" {
		t.Errorf("c: %+v", d)
	}
	d = e.Decide(task["d"])
	if d.Kind != Changed {
		t.Fatalf("d: %+v", d)
	}
	if prog, err := Render(doc, d.Task, nil); err != nil || strings.Contains(prog, "echo a") || !strings.Contains(prog, "echo d") {
		t.Errorf("d as it stands: %q, %v", prog, err)
	}
	if d := e.Decide(task["e"]); d.Kind != Kept {
		t.Errorf("e: %+v", d)
	}
	if d := e.Decide(task["f"]); d.Kind != Fails || d.Why != "line 25 of the Org buffer, <<a()>>: Reference ‘a’ not found in this buffer" {
		t.Errorf("f: %+v", d)
	}
}

// A block an Emacs Lisp block renamed from #+name: to #+srcname: is no
// longer found by references: Emacs signals "Reference not found" for a
// :var naming it, and its noweb reference expands to nothing.
func TestBufferEditsOldNameSpelling(t *testing.T) {
	blocks := []string{
		"#+name: a\n#+begin_src sh\necho a\n#+end_src\n",
		"#+name: c\n#+begin_src sh :var x=a\necho $x\n#+end_src\n",
		"#+name: d\n#+begin_src sh :noweb yes\n<<a>>\necho d\n#+end_src\n",
	}
	text := "* T\n\n" + strings.Join(blocks, "\n")
	doc, p, task := planned(t, text)
	edited := append([]string{}, blocks...)
	edited[0] = strings.Replace(edited[0], "#+name: a", "#+srcname: a", 1)
	buf := "* T\n\n" + strings.Join(edited, "\n")
	r := bufferReport(t, len(blocks), "", edited, len("* T\n\n"), buf)
	e, err := BufferEdits(doc, p, r, Limits{}, DefaultOptions)
	if err != nil {
		t.Fatal(err)
	}
	if d := e.Decide(task["c"]); d.Kind != Fails || d.Why != "line 8 of the Org buffer, :var x=a: Reference ‘a’ not found in this buffer" {
		t.Errorf("c: %+v", d)
	}
	d := e.Decide(task["d"])
	if d.Kind != Changed {
		t.Fatalf("d: %+v", d)
	}
	if prog, err := Render(doc, d.Task, nil); err != nil || strings.Contains(prog, "echo a") || !strings.Contains(prog, "echo d") {
		t.Errorf("d as it stands: %q, %v", prog, err)
	}
}

// bufferReport is the report of buf, of n executables: head (the marks of
// blocks gone), then the marks of the blocks of parts, laid out from
// offset at, the first changed ("x"), the others not ("=").
func bufferReport(t *testing.T, n int, head string, parts []string, at int, buf string) *org.BufferReport {
	t.Helper()
	return parsedReport(t, n, head+partMarks(parts, at, 0), buf)
}

// partMarks are the marks of the blocks of parts, laid out from offset
// at, the changed'th changed ("x"; -1 for none), the others not ("=").
func partMarks(parts []string, at, changed int) string {
	var rep strings.Builder
	for i, bl := range parts {
		point := at + len(strings.SplitN(bl, "\n", 2)[0]) + 1
		end := at + len(bl)
		flag := "="
		if i == changed {
			flag = "x"
		}
		fmt.Fprintf(&rep, "%d %d %d %d - %s\n", point, end, end, end, flag)
		at = end + 1
	}
	return rep.String()
}

// parsedReport is the report of buf, of n executables, with marks.
func parsedReport(t *testing.T, n int, marks, buf string) *org.BufferReport {
	t.Helper()
	r, err := org.ParseBufferReport(fmt.Sprintf("%d\n%s", n, marks) + buf)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestBufferEditsAdded: a block added to the buffer (the report's mark
// past the executables') gets a task planned from the buffer: named as
// there, its :var reference a run of its own added with it, its
// results keyed org.AddedKey; a second block of a submitted block's name
// (whose results go to the first's) is not run, and says why; PuttingIn adds its results to a task's buffer work once.
func TestBufferEditsAdded(t *testing.T) {
	a := "#+name: a\n#+begin_src sh\necho a\n#+end_src\n"
	b := "#+name: b\n#+begin_src sh\necho b\n#+end_src\n"
	ins := "#+name: ins\n#+begin_src sh :var x=a\necho $x\n#+end_src\n"
	dup := "#+name: b\n#+begin_src sh\necho other b\n#+end_src\n"
	doc, p, task := planned(t, "* T\n\n"+a+"\n"+b)
	buf := "* T\n\n" + a + "\n" + ins + "\n" + b + "\n" + dup
	var rep strings.Builder
	rep.WriteString("4\n")
	for _, bl := range []string{a, b, ins, dup} {
		at := strings.Index(buf, bl)
		if bl == dup {
			at = strings.LastIndex(buf, bl)
		}
		point, end := at+len(strings.SplitN(bl, "\n", 2)[0])+1, at+len(bl)
		fmt.Fprintf(&rep, "%d %d %d %d - =\n", point, end, end, end)
	}
	r, err := org.ParseBufferReport(rep.String() + buf)
	if err != nil {
		t.Fatal(err)
	}
	e, err := BufferEdits(doc, p, r, Limits{}, DefaultOptions)
	if err != nil {
		t.Fatal(err)
	}
	if d := e.Decide(task["b"]); d.Kind != Kept {
		t.Errorf("b: %+v", d)
	}
	got := e.Added()
	if len(got) != 2 {
		t.Fatalf("added: %+v", got)
	}
	n := got[0].Task
	if n == nil || got[0].Why != "" || got[0].Key != org.AddedKey || n.Block != "ins" || n.ResultsIndex() != org.AddedKey ||
		fmt.Sprint(n.After) != "[ins :var x=a]" || got[0].Line != 8 {
		t.Fatalf("ins: %+v %+v", got[0], n)
	}
	// Its reference is a run of a of its own (rerun.go), added with it.
	if len(got[0].Runs) != 1 || got[0].Runs[0].Block != "ins :var x=a" || got[0].Runs[0].called == nil || got[0].Runs[0].called.name != "a" {
		t.Fatalf("ins's runs: %+v", got[0].Runs)
	}
	if prog, err := Render(doc, n, map[string]Value{"ins :var x=a": {Scalar: "A"}}); err != nil || !strings.Contains(prog, "echo $x") || !strings.Contains(prog, "x='A'") {
		t.Errorf("ins as it stands: %q, %v", prog, err)
	}
	if got[1].Task != nil || got[1].Why == "" || got[1].Name != "b" || got[1].Lang != "sh" || got[1].Line != 18 {
		t.Errorf("the second b: %+v", got[1])
	}
	x := &Task{Block: "x", BufferResults: []BufferResult{{Task: "a", Index: 0}}}
	y := x.PuttingIn(n)
	if len(x.BufferResults) != 1 || len(y.BufferResults) != 2 || y.BufferResults[1].Index != org.AddedKey || y.PuttingIn(n) != y {
		t.Errorf("PuttingIn: %+v then %+v", x.BufferResults, y.BufferResults)
	}
}

// TestUnresolvedReferences: a :var or noweb reference to a block the
// document does not have is planned when an Emacs Lisp block before it
// may insert it (refused otherwise); with no report of the buffer before
// it, the :var one fails with Babel's error, naming the line and the
// :var, and the noweb one expands to nothing, as submitted.
func TestUnresolvedReferences(t *testing.T) {
	lisp := "#+name: ins\n#+begin_src emacs-lisp\n(+ 1 1)\n#+end_src\n\n"
	byVar := "#+name: v\n#+begin_src sh :var x=later\necho $x\n#+end_src\n\n"
	byNoweb := "#+name: n\n#+begin_src sh :noweb yes\n<<later>>\necho n\n#+end_src\n"
	_, _, task := planned(t, lisp+byVar+byNoweb)
	if d := WithoutReport(task["v"]); d.Kind != Fails || d.Why != "line 6, :var x=later: Reference ‘later’ not found in this buffer" {
		t.Errorf("v: %+v", d)
	}
	if d := WithoutReport(task["n"]); d.Kind != Kept {
		t.Errorf("n: %+v", d)
	}
	if d := WithoutReport(task["ins"]); d.Kind != Kept {
		t.Errorf("ins: %+v", d)
	}
	_, err := Build(mustParse(t, byVar+lisp), machine, DefaultOptions)
	var rej *RejectError
	if !errors.As(err, &rej) || !strings.Contains(err.Error(), `no runnable block named "later"`) {
		t.Errorf("no Emacs Lisp block before it: %v", err)
	}
}

// Named data a block takes in (noweb <<tbl()>>, :var x=tbl) is read
// from the buffer as Emacs reads it when the block runs: a block an
// Emacs Lisp block changed still expands its data reference, and a
// block whose data was changed in the buffer runs with the new value.
func TestBufferEditsNamedData(t *testing.T) {
	tbl := "#+name: tbl\n| 1 | 2 |\n"
	d := "#+name: d\n#+begin_src sh :noweb yes\necho '<<tbl()>>'\necho d\n#+end_src\n"
	v := "#+name: v\n#+begin_src sh :var x=tbl\necho \"$x\"\n#+end_src\n"
	doc, p, task := planned(t, "* T\n\n"+tbl+"\n"+d+"\n"+v)
	for _, c := range []struct {
		name, tbl, d string
		want         map[string]string // block → what its program holds
	}{
		{"block changed", tbl, strings.Replace(d, "echo d", "echo D", 1),
			map[string]string{"d": "echo '((1 2))'\necho D"}},
		{"data changed", "#+name: tbl\n| 3 | 4 |\n", d,
			map[string]string{"d": "echo '((3 4))'\necho d", "v": "3\t4"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			buf := "* T\n\n" + c.tbl + "\n" + c.d + "\n" + v
			at := len("* T\n\n" + c.tbl + "\n")
			r := bufferReport(t, 2, "", []string{c.d, v}, at, buf)
			r.Marks[0].Changed = c.d != d
			e, err := BufferEdits(doc, p, r, Limits{}, DefaultOptions)
			if err != nil {
				t.Fatal(err)
			}
			for name, want := range c.want {
				dec := e.Decide(task[name])
				if dec.Kind != Changed {
					t.Fatalf("%s: %+v", name, dec)
				}
				if prog, err := Render(doc, dec.Task, nil); err != nil || !strings.Contains(prog, want) {
					t.Errorf("%s as it stands: %q, %v; want it to hold %q", name, prog, err, want)
				}
			}
		})
	}
}

// TestBufferEditsDefaultsProblem: an Emacs Lisp block set Babel's
// default :results to a symbol, which org-babel-merge-params evaluates
// for each block after it (Emacs writes their results as that symbol's
// value says): a block whose text is as submitted but whose arguments
// Borges cannot read with those defaults (no task planned from the
// buffer) fails, naming its line and the argument, where it ran as
// submitted before and wrote no results.
func TestBufferEditsDefaultsProblem(t *testing.T) {
	blocks := []string{
		"#+begin_src emacs-lisp :results silent\n(setq org-babel-default-header-args '((:results . zzr)))\n#+end_src\n",
		"#+name: b\n#+begin_src sh\necho b\n#+end_src\n",
	}
	doc, p, task := planned(t, strings.Join(blocks, "\n"))
	for value, want := range map[string]string{
		"zzr":            "line 5: :results: the default header argument is the symbol zzr",
		`(concat "raw")`: `line 5: org-babel-default-header-args: default header argument :results: its value (concat "raw") is Lisp data`,
	} {
		e := defaultsEdits(t, doc, p, blocks, ":results x "+value)
		if d := e.Decide(task["b"]); d.Kind != Fails || !strings.Contains(d.Why, want) {
			t.Errorf("%s: b: %+v", value, d)
		}
	}
}

// defaultsEdits is what the buffer makes of doc's blocks, each as
// submitted, where the report of the Emacs after the first gives one
// entry of org-babel-default-header-args (entry: key, kind, value).
func defaultsEdits(t *testing.T, doc *org.Document, p *Plan, blocks []string, entry string) *Edits {
	t.Helper()
	var rep strings.Builder
	fmt.Fprintf(&rep, "%d 0 4\n", len(blocks))
	at := 0
	for _, bl := range blocks {
		point, end := at+len(strings.SplitN(bl, "\n", 2)[0])+1, at+len(bl)
		fmt.Fprintf(&rep, "%d %d %d %d - =\n", point, end, end, end)
		at = end + 1
	}
	rep.WriteString("block 1\n" + entry + "\ninline 0\nlob 0\n")
	return reportEdits(t, doc, p, rep.String()+strings.Join(blocks, "\n"))
}

// TestBufferEditsDefaultExportsStops: a block whose text is as
// submitted, after an Emacs Lisp block that set the default :exports to
// a symbol or a number, fails with the error Emacs stops the document
// with as it merges the block's header (org-babel-merge-params'
// split-string: fixture stop_exports_default_symbol.org), naming its
// line and :exports; a string or nil runs it.
func TestBufferEditsDefaultExportsStops(t *testing.T) {
	blocks := []string{
		"#+begin_src emacs-lisp :results silent\n(setq org-babel-default-header-args '((:exports . both)))\n#+end_src\n",
		"#+name: b\n#+begin_src sh :cache yes\necho b\n#+end_src\n",
	}
	doc, p, task := planned(t, strings.Join(blocks, "\n"))
	for _, c := range []struct {
		entry, stop string
	}{
		{":exports x both", "Wrong type argument: stringp, both"},
		{":exports n 1.50", "Wrong type argument: stringp, 1.5"},
		{`:exports s "both"`, ""},
		{":exports - nil", ""},
	} {
		d := defaultsEdits(t, doc, p, blocks, c.entry).Decide(task["b"])
		switch {
		case c.stop == "" && d.Kind == Fails:
			t.Errorf("%s: b: %+v", c.entry, d)
		case c.stop != "" && (d.Kind != Fails || d.Stop != c.stop || !strings.Contains(d.Why, "line 5: :exports")):
			t.Errorf("%s: b: %+v, want it to fail at line 5, stopping with %q", c.entry, d, c.stop)
		}
	}
}

// TestBufferEditsDropsRunOfReferenceGone: the submitted plan's run of a
// for ref's :var x=a ("ref :var x=a") is not run once an Emacs Lisp
// block rewrote that reference into :var x=b: org-babel-ref-resolve
// never runs a for it (Deleted, saying why); nor once the block was
// deleted. A block renamed that still makes the reference keeps its run
// (its run is named otherwise in the buffer), as does a block kept as
// submitted.
func TestBufferEditsDropsRunOfReferenceGone(t *testing.T) {
	blocks := []string{
		"#+name: a\n#+begin_src sh\necho a\n#+end_src\n",
		"#+name: b\n#+begin_src sh\necho b\n#+end_src\n",
		"#+name: ref\n#+begin_src sh :var x=a\necho $x\n#+end_src\n",
		"#+name: kept\n#+begin_src sh :var y=a\necho $y\n#+end_src\n",
	}
	doc, p, task := planned(t, strings.Join(blocks, "\n"))
	for _, n := range []string{"ref :var x=a", "kept :var y=a"} {
		if task[n] == nil {
			t.Fatalf("no task %q planned", n)
		}
	}
	for _, c := range []struct {
		name, ref string // ref: block ref as the buffer holds it, "" deleted
		want      EditKind
		why       string
	}{
		{"rewritten", strings.Replace(blocks[2], ":var x=a", ":var x=b", 1), Deleted, "changed block ref (line 11 of the document) in the Org buffer, where it no longer makes this reference (:var x=a)"},
		{"deleted", "", Deleted, "deleted block ref (line 11 of the document), whose reference (:var x=a) makes this run"},
		{"renamed", strings.Replace(blocks[2], "#+name: ref", "#+name: ref2", 1), Kept, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			parts := []string{blocks[0], blocks[1], c.ref, blocks[3]}
			marks := partMarks(parts, 0, 2)
			if c.ref == "" {
				// ref's marks together, where its text was.
				parts = []string{blocks[0], blocks[1], blocks[3]}
				at := len(blocks[0]) + len(blocks[1]) + 2
				marks = partMarks(parts[:2], 0, -1) + fmt.Sprintf("%d %d %d %d - x\n", at, at, at, at) + partMarks(parts[2:], at, -1)
			}
			r := parsedReport(t, len(blocks), marks, strings.Join(parts, "\n"))
			e, err := BufferEdits(doc, p, r, Limits{}, DefaultOptions)
			if err != nil {
				t.Fatal(err)
			}
			if d := e.Decide(task["ref :var x=a"]); d.Kind != c.want || !strings.Contains(d.Why, c.why) {
				t.Errorf("ref :var x=a: %+v, want kind %d saying %q", d, c.want, c.why)
			}
			if d := e.Decide(task["kept :var y=a"]); d.Kind != Kept {
				t.Errorf("kept :var y=a: %+v, want kept", d)
			}
		})
	}
}

// dropEditCase is a document of blocks, an Emacs Lisp block among them
// (editor) editing the Org buffer into parts (block i of the document is
// parts[i], "" where it was deleted), and the runs Decide deletes and
// keeps; moved is a block the editor put at the end of the buffer (its
// mark past the document's, as a block added).
type dropEditCase struct {
	name          string
	blocks, parts []string
	moved         string
	deleted, kept []string
}

// dropEditReport is c's buffer report: the marks of the blocks of
// c.parts (a changed one "x", a deleted one where its text was), then
// c.moved's.
func dropEditReport(t *testing.T, c dropEditCase) *org.BufferReport {
	t.Helper()
	var marks, buf strings.Builder
	for i, bl := range c.parts {
		if i > 0 && c.parts[i-1] != "" {
			buf.WriteString("\n")
		}
		at := buf.Len()
		if bl == "" {
			fmt.Fprintf(&marks, "%d %d %d %d - x\n", at, at, at, at)
			continue
		}
		changed := -1
		if bl != c.blocks[i] {
			changed = 0
		}
		marks.WriteString(partMarks([]string{bl}, at, changed))
		buf.WriteString(bl)
	}
	n := len(c.parts)
	if c.moved != "" {
		buf.WriteString("\n")
		marks.WriteString(partMarks([]string{c.moved}, buf.Len(), 0))
		buf.WriteString(c.moved)
		n++
	}
	return parsedReport(t, n, marks.String(), buf.String())
}

// TestBufferEditsDropsRunOfReferenceGoneByName: a run of the submitted
// plan whose referrer an Emacs Lisp block rewrote or deleted is Deleted
// though the buffer's plan has a run of that name: runs are numbered in
// plan order (f :var z=g~2), a name the referrer's run had goes to
// another referrer's run once it is gone, or to the run of another block
// of the same name, or of the referrer moved further. Nor is a reference
// made twice, as submitted, run twice when the buffer makes it once,
// nor a call with arguments (sq(n=7)) whose referrer calls it no more.
func TestBufferEditsDropsRunOfReferenceGoneByName(t *testing.T) {
	const (
		g      = "#+name: g\n#+begin_src sh\necho g\n#+end_src\n"
		f      = "#+name: f\n#+begin_src sh :var z=g\necho f\n#+end_src\n"
		a      = "#+name: a\n#+begin_src sh\necho a\n#+end_src\n"
		b      = "#+name: b\n#+begin_src sh\necho b\n#+end_src\n"
		editor = "#+name: editor\n#+begin_src emacs-lisp\n(ignore)\n#+end_src\n"
		ref1   = "#+name: ref1\n#+begin_src sh :var x=f\necho $x\n#+end_src\n"
		ref2   = "#+name: ref2\n#+begin_src sh :var y=f\necho $y\n#+end_src\n"
		refA   = "#+name: ref\n#+begin_src sh :var x=a\necho $x\n#+end_src\n"
		refB   = "#+name: ref\n#+begin_src sh :var x=b\necho $x\n#+end_src\n"
		wc     = "#+name: wc\n#+begin_src sh\nwc -l < cnt.txt\n#+end_src\n"
		twice  = "#+name: ref\n#+begin_src sh :noweb yes\necho \"<<a()>> <<a()>>\"\n#+end_src\n"
		once   = "#+name: ref\n#+begin_src sh :noweb yes\necho \"<<a()>>\"\n#+end_src\n"
		sq     = "#+name: sq\n#+begin_src sh :var n=0\necho $((n*n))\n#+end_src\n"
		call7  = "#+name: ref\n#+begin_src sh :var x=sq(n=7)\necho $x\n#+end_src\n"
		call8  = "#+name: ref\n#+begin_src sh :var x=sq(n=8)\necho $x\n#+end_src\n"
		call7b = "#+name: last\n#+begin_src sh :var y=sq(n=7)\necho $y\n#+end_src\n"
	)
	ref1B := strings.Replace(ref1, ":var x=f", ":var x=b", 1)
	numbered := []string{g, f, b, editor, ref1, ref2}
	dup := []string{a, b, editor, refA, refA}
	for _, c := range []dropEditCase{
		{name: "numbered rewritten", blocks: numbered, parts: []string{g, f, b, editor, ref1B, ref2},
			deleted: []string{"ref1 :var x=f", "f :var z=g~2"}, kept: []string{"ref2 :var y=f", "f :var z=g~3", "f :var z=g"}},
		{name: "numbered deleted", blocks: numbered, parts: []string{g, f, b, editor, "", ref2},
			deleted: []string{"ref1 :var x=f", "f :var z=g~2"}, kept: []string{"ref2 :var y=f", "f :var z=g~3", "f :var z=g"}},
		{name: "two blocks of a name", blocks: dup, parts: []string{a, b, editor, refB, refA},
			deleted: []string{"ref :var x=a"}, kept: []string{"ref :var x=a~2"}},
		{name: "moved to the end", blocks: []string{a, b, editor, refA, wc}, parts: []string{a, b, editor, "", wc}, moved: refA,
			deleted: []string{"ref :var x=a"}},
		{name: "made once of twice", blocks: []string{a, editor, twice}, parts: []string{a, editor, once},
			deleted: []string{"ref <<a()>>~2"}, kept: []string{"ref <<a()>>"}},
		{name: "call rewritten", blocks: []string{sq, editor, call7, call7b}, parts: []string{sq, editor, call8, call7b},
			deleted: []string{"sq(n=7)"}, kept: []string{"last :var y=sq(n=7)"}},
		{name: "call kept", blocks: []string{sq, editor, call7, call7b}, parts: []string{sq, editor, strings.Replace(call7, "echo", "echo x", 1), call7b},
			kept: []string{"sq(n=7)", "last :var y=sq(n=7)"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			doc, p, task := planned(t, strings.Join(c.blocks, "\n"))
			e, err := BufferEdits(doc, p, dropEditReport(t, c), Limits{}, DefaultOptions)
			if err != nil {
				t.Fatal(err)
			}
			for _, n := range append(slices.Clone(c.deleted), c.kept...) {
				if task[n] == nil {
					var names []string
					for _, pt := range p.Tasks {
						names = append(names, pt.Block)
					}
					t.Fatalf("no task %q planned: %q", n, names)
				}
			}
			for _, n := range c.deleted {
				if d := e.Decide(task[n]); d.Kind != Deleted || !strings.HasPrefix(d.Why, "not run: ") {
					t.Errorf("%s: %+v, want Deleted saying why", n, d)
				}
			}
			for _, n := range c.kept {
				if d := e.Decide(task[n]); d.Kind != Kept {
					t.Errorf("%s: %+v, want Kept", n, d)
				}
			}
		})
	}
}
