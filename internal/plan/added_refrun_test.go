package plan

import (
	"fmt"
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/org"
)

// addedEdits plans the document of blocks sub (joined by blank lines)
// and reads it again from a report of the buffer of blocks buf, whose
// marks are sub's blocks', then those of added, in that order.
func addedEdits(t *testing.T, sub, buf, added []string) (*Edits, map[string]*Task) {
	t.Helper()
	doc, p, task := planned(t, "* T\n\n"+strings.Join(sub, "\n"))
	text := "* T\n\n" + strings.Join(buf, "\n")
	var rep strings.Builder
	fmt.Fprintf(&rep, "%d\n", len(sub)+len(added))
	for _, bl := range append(append([]string(nil), sub...), added...) {
		at := strings.Index(text, bl)
		if at < 0 {
			t.Fatalf("%q is not in the buffer", bl)
		}
		point, end := at+len(strings.SplitN(bl, "\n", 2)[0])+1, at+len(bl)
		fmt.Fprintf(&rep, "%d %d %d %d - =\n", point, end, end, end)
	}
	return reportEdits(t, doc, p, rep.String()+text), task
}

// reportEdits is plan p of doc read again from report, a report of the
// document's Org buffer as its Emacs writes it.
func reportEdits(t *testing.T, doc *org.Document, p *Plan, report string) *Edits {
	t.Helper()
	r, err := org.ParseBufferReport(report)
	if err != nil {
		t.Fatal(err)
	}
	e, err := BufferEdits(doc, p, r, Limits{}, DefaultOptions)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

var (
	refRunPre     = "#+begin_src sh :session ctr\nc=0\n#+end_src\n"
	refRunAdder   = "#+name: adder\n#+begin_src emacs-lisp :results silent\n(ignore)\n#+end_src\n"
	refRunCounter = "#+name: counter\n#+begin_src sh :session ctr :var d=1\nc=$((c+d)); echo $c\n#+end_src\n"
	refRunUser    = "#+name: user\n#+begin_src sh :var v=counter\necho \"ref $v\"\n#+end_src\n"
	refRunNoweb   = "#+name: nw\n#+begin_src sh :noweb yes\necho \"<<counter()>>\"\n#+end_src\n"
	refRunArgs    = "#+name: args\n#+begin_src sh :var v=counter(d=5)\necho $v\n#+end_src\n"
	refRunNow     = "#+name: now\n#+begin_src sh :session ctr\necho $c\n#+end_src\n"
)

// TestAddedBlockRefRuns: a block of a session that an Emacs Lisp block
// added is run again for each reference to it, as org-babel-ref-resolve
// runs it, from blocks of the document (:var, <<counter()>>) and from a
// block added too (a call with arguments): each a task of its own on
// the added block's Addition, named after the referring block, in the
// session after the blocks before that block, its results written
// nowhere; the referring blocks take their values from them.
func TestAddedBlockRefRuns(t *testing.T) {
	e, task := addedEdits(t,
		[]string{refRunPre, refRunAdder, refRunUser, refRunNoweb, refRunNow},
		[]string{refRunPre, refRunAdder, refRunCounter, refRunUser, refRunNoweb, refRunArgs, refRunNow},
		[]string{refRunCounter, refRunArgs})
	added := e.Added()
	if len(added) != 2 || added[0].Task == nil || added[0].Why != "" || added[1].Task == nil || added[1].Why != "" {
		t.Fatalf("added: %+v", added)
	}
	want := []string{"user :var v=counter", "nw <<counter()>>", "args :var v=counter(d=5)"}
	var got []string
	prev := "counter"
	for _, r := range added[0].Runs {
		got = append(got, r.Block)
		if !r.RefusedCall() || r.ResultsIndex() >= 0 || r.Session == nil || r.Session.Key != added[0].Task.Session.Key || r.SessionPrev() != prev {
			t.Errorf("run %s: call %v, results at %d, session %+v after %q, want after %q", r.Block, r.RefusedCall(), r.ResultsIndex(), r.Session, r.SessionPrev(), prev)
		}
		prev = r.Block
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("runs of counter: %q, want %q", got, want)
	}
	if a := added[1].Task; fmt.Sprint(a.After) != "[args :var v=counter(d=5)]" || len(added[1].Runs) != 0 {
		t.Errorf("args: after %q, runs %d", a.After, len(added[1].Runs))
	}
	for name, run := range map[string]string{"user": want[0], "nw": want[1]} {
		d := e.Decide(task[name])
		if d.Kind != Changed || fmt.Sprint(d.Task.After) != "["+run+"]" {
			t.Errorf("%s: %v %q %+v", name, d.Kind, d.Why, d.Task)
		}
	}
	if d := e.Decide(task["now"]); d.Kind != Kept {
		t.Errorf("now: %+v", d)
	}
}

// TestAddedBlockRefRunRefused: a run for a reference to an added block
// that Borges cannot run as Emacs does (the block has a :post) is none:
// the referring block fails, naming the run, its reference and its line,
// rather than run with what it refers to half resolved.
func TestAddedBlockRefRunRefused(t *testing.T) {
	post := "#+name: twice\n#+begin_src sh :var x=0\necho $((x*2))\n#+end_src\n"
	counter := strings.Replace(refRunCounter, ":var d=1", ":var d=1 :post twice(x=*this*)", 1)
	e, task := addedEdits(t,
		[]string{refRunPre, refRunAdder, post, refRunUser},
		[]string{refRunPre, refRunAdder, counter, post, refRunUser, refRunArgs},
		[]string{counter, refRunArgs})
	added := e.Added()
	if len(added) != 2 || added[0].Task == nil || len(added[0].Runs) != 0 {
		t.Fatalf("counter: %+v", added)
	}
	if added[1].Task != nil || !strings.Contains(added[1].Why, "args :var v=counter(d=5)") || !strings.Contains(added[1].Why, "which Borges cannot run") {
		t.Errorf("args: %+v", added[1])
	}
	d := e.Decide(task["user"])
	if d.Kind != Fails || !strings.Contains(d.Why, "the run of block counter that Emacs makes for :var v=counter at line 22 of the Org buffer, which Borges cannot run") || !strings.Contains(d.Why, ":post") {
		t.Errorf("user: %v %q", d.Kind, d.Why)
	}
}
