package plan

import (
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/org"
)

// TestReadNextResultsNotFollowed: two blocks write nothing under
// #+name: data, and the element so named after both is a block, which
// Babel would run for the reference: Borges does not follow it there,
// and the reader fails saying so rather than bind old data. With a
// table there instead, the reader binds it (testdata stalenext_chain).
func TestReadNextResultsNotFollowed(t *testing.T) {
	const two = "#+begin_src sh :results output\ntrue\n#+end_src\n\n#+name: data\n#+RESULTS:\n: old\n\n" +
		"#+begin_src sh :results output\ntrue\n#+end_src\n\n#+name: data\n#+RESULTS:\n: stale\n\n" +
		"#+name: user\n#+begin_src sh :var x=data :results output\necho \"[$x]\"\n#+end_src\n\n#+name: data\n"
	for _, c := range []struct{ third, want string }{
		{"#+begin_src sh\necho third\n#+end_src\n", "does not follow"},
		{"| third |\n", "third"},
	} {
		doc := mustParse(t, two+c.third)
		p, err := Build(doc, machine, DefaultOptions)
		if err != nil {
			t.Fatal(err)
		}
		var user *Task
		byName := map[string]*Task{}
		for _, task := range p.Tasks {
			byName[task.Block] = task
			if task.Block == "user" {
				user = task
			}
		}
		if user == nil {
			t.Fatalf("no task user: %+v", p.Tasks)
		}
		refs := map[string]Value{}
		for _, d := range user.ReadsBack() {
			if byName[d] == nil {
				t.Fatalf("no task %s", d)
			}
			if v, missing, ok := ReadBackData(doc, byName[d], "", nil, user.ReadBackName(d)); ok {
				refs[ReadBackKey(d)] = v
			} else {
				refs[NotReadBackKey(d)] = Value{Scalar: missing}
			}
		}
		if len(refs) != 2 {
			t.Fatalf("%q: read back %v, want the two blocks'", c.third, refs)
		}
		blk, err := user.blockIn(doc)
		if err != nil {
			t.Fatal(err)
		}
		b, err := user.bind(blk, refs)
		got := ""
		if err != nil {
			got = err.Error()
		} else if len(b) == 1 {
			got = b[0].value.text()
		}
		if !strings.Contains(got, c.want) || c.want == "third" && err != nil {
			t.Errorf("%q: bound %q, err %v; want %q", c.third, got, err, c.want)
		}
		if rb := user.ReadsBack(); len(rb) == 0 || refs[NotReadBackKey(rb[0])].Scalar != org.RefNotFound("data") {
			t.Errorf("the first writer's nothing not seen: %v", refs)
		}
	}
}

// writerWritesDocs are documents whose writer (line 1) writes over
// #+name: data and whose next element of that name is the results of
// block B: B's results are rewritten with append, a file, a :post, or a
// block refers to the reader from the other side of B (B itself
// included). When the writer writes data, Emacs never reads B's results
// and the documents run as any other; when it writes nothing, Borges
// cannot give the reader the value Emacs gives it where B rewrites its
// results so, and the reader fails saying why (want). A reference from
// the other side of B is a run of the reader of its own, at that
// reference's place (rerun.go), which reads B's results as they stand
// there, as the reader's own run does at its place: want "", the reader
// binding B's results.
var writerWritesDocs = func() []struct{ name, doc, want string } {
	const head = "#+begin_src sh :results output\necho new\n#+end_src\n\n#+name: data\n#+RESULTS:\n: old\n\n"
	const results = "\n#+name: data\n#+RESULTS:\n: stale\n\n"
	const user = "#+name: user\n#+begin_src sh :var x=data :results output\necho \"[$x]\"\n#+end_src\n\n"
	const b = "#+begin_src sh :results output\necho fresh\n#+end_src\n"
	return []struct{ name, doc, want string }{
		{"append", head + strings.Replace(b, "output", "output append", 1) + results + user, "(:results append)"},
		{"file", head + strings.Replace(b, "output", "output file :file out.txt", 1) + results + user, "(:results file)"},
		{"post", head + strings.Replace(b, "output", "output :post wrap(x=*this*)", 1) + results + user +
			"#+name: wrap\n#+begin_src sh :var x=\"\" :results output\necho \"<$x>\"\n#+end_src\n", ":post"},
		{"summary", head + user + b + results + "#+begin_src sh :var y=user :results output\necho \"$y\"\n#+end_src\n", ""},
		{"B refers", head + strings.Replace(b, "output", "output :var y=user", 1) + results + user, ""},
		{"between", head + "#+begin_src sh :var y=user :results output\necho \"$y\"\n#+end_src\n\n" + b + results + user, ""},
	}
}()

// TestReadNextResultsWriterWrites: the documents of writerWritesDocs
// build; the reader binds the writer's data when it wrote some, and
// fails naming the line at fault when it wrote nothing.
func TestReadNextResultsWriterWrites(t *testing.T) {
	for _, c := range writerWritesDocs {
		user, blk := readerOf(t, c.doc)
		if user == nil {
			continue
		}
		w := user.values[0].readBack
		b, err := user.bind(blk, map[string]Value{ReadBackKey(w): {Scalar: "new"}})
		if err != nil || len(b) != 1 || b[0].value.text() != "new" {
			t.Errorf("%s: the writer wrote new: bound %+v, err %v", c.name, b, err)
		}
		refs := map[string]Value{NotReadBackKey(w): {Scalar: org.RefNotFound("data")}}
		if next := user.values[0].nextOf; next != "" {
			refs[ReadBackKey(next)] = Value{Scalar: "fresh"}
		}
		b, err = user.bind(blk, refs)
		if c.want == "" {
			if err != nil || len(b) != 1 || b[0].value.text() == "" {
				t.Errorf("%s: the writer wrote nothing: bound %+v, err %v; want B's results", c.name, b, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "wrote nothing") {
			t.Errorf("%s: the writer wrote nothing: err %v, want it to say %q", c.name, err, c.want)
		}
	}
}

// readerOf is block user of text's plan, reading back the data a
// writer writes over (its only :var), and its block; nil, having failed
// t, when the document does not build or has no such reader.
func readerOf(t *testing.T, text string) (*Task, *org.Block) {
	t.Helper()
	doc := mustParse(t, text)
	p, err := Build(doc, machine, DefaultOptions)
	if err != nil {
		t.Errorf("%q: %v", text, err)
		return nil, nil
	}
	for _, task := range p.Tasks {
		if task.Block != "user" {
			continue
		}
		if len(task.values) != 1 || task.values[0].readBack == "" {
			break
		}
		blk, err := task.blockIn(doc)
		if err != nil {
			t.Errorf("%q: %v", text, err)
			return nil, nil
		}
		return task, blk
	}
	t.Errorf("%q: no reader of data", text)
	return nil, nil
}
