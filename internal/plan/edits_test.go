package plan

import (
	"fmt"
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/org"
)

// TestBufferEditsDecide: against a buffer where block a is deleted and
// block b's body changed, a is not run, b runs as the buffer holds it
// (renamed as submitted, its results region the submitted one's), c,
// whose :var names a, fails with the error Babel signals, d's noweb
// reference to a expands to nothing, and e is kept.
func TestBufferEditsDecide(t *testing.T) {
	blocks := []string{
		"#+name: a\n#+begin_src sh\necho a\n#+end_src\n",
		"#+name: b\n#+begin_src sh\necho b\n#+end_src\n",
		"#+name: c\n#+begin_src sh :var x=a\necho $x\n#+end_src\n",
		"#+name: d\n#+begin_src sh :noweb yes\n<<a>>\necho d\n#+end_src\n",
		"#+name: e\n#+begin_src sh\necho e\n#+end_src\n",
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
	if d := e.Decide(task["c"]); d.Kind != Fails || d.Why != "Reference ‘a’ not found in this buffer" {
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
	if d := e.Decide(task["c"]); d.Kind != Fails || d.Why != "Reference ‘a’ not found in this buffer" {
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
	var rep strings.Builder
	fmt.Fprintf(&rep, "%d\n%s", n, head)
	for i, bl := range parts {
		point := at + len(strings.SplitN(bl, "\n", 2)[0]) + 1
		end := at + len(bl)
		changed := "="
		if i == 0 {
			changed = "x"
		}
		fmt.Fprintf(&rep, "%d %d %d %d - %s\n", point, end, end, end, changed)
		at = end + 1
	}
	r, err := org.ParseBufferReport(rep.String() + buf)
	if err != nil {
		t.Fatal(err)
	}
	return r
}
