package engine

import (
	"context"
	"strconv"
	"strings"
	"testing"
)

// elispRefDrop is a document where a appends a line to a file and prints
// how many it holds, b prints from-b, editor (an Emacs Lisp block, whose
// body is given) edits the buffer, and ref, after it, has :var x=a.
func elispRefDrop(editor string) string {
	return elispRefDropAB + "#+name: editor\n#+begin_src emacs-lisp :results silent\n" + editor + "#+end_src\n\n" +
		"#+name: ref\n#+begin_src sh :var x=a\necho \"got [$x]\"\n#+end_src\n"
}

const elispRefDropAB = "#+name: a\n#+begin_src sh\necho line >> count.txt\nwc -l < count.txt\n#+end_src\n\n" +
	"#+name: b\n#+begin_src sh\necho from-b\n#+end_src\n\n"

// elispRefDropABRun is a and b with their results as Emacs writes them,
// each run once at its own turn.
const elispRefDropABRun = "#+name: a\n#+begin_src sh\necho line >> count.txt\nwc -l < count.txt\n#+end_src\n\n#+RESULTS: a\n: 1\n\n" +
	"#+name: b\n#+begin_src sh\necho from-b\n#+end_src\n\n#+RESULTS: b\n: from-b\n\n"

// The editors' searches are split, so that they do not find their own
// text.
const (
	elispRewritesRef = "(save-excursion\n  (goto-char (point-min))\n  (search-forward (concat \":var x\" \"=a\"))\n  (replace-match (concat \":var x\" \"=b\")))\n"
	elispDeletesRef  = "(save-excursion\n  (goto-char (point-min))\n  (search-forward (concat \"#+name: \" \"ref\"))\n  (delete-region (match-beginning 0) (point-max)))\n"
)

// TestElispDroppedRefDropsItsRun: an Emacs Lisp block rewrites a later
// block's :var x=a into :var x=b (b defined before that block), or
// deletes that block. The submitted plan made a run of a for the
// reference as submitted ("ref :var x=a"); Emacs never makes it, finding
// :var x=b, or no block, when it gets there. Before, that run was still
// launched: a's side effect (a line appended) happened twice, with no
// refusal. Now a runs once, and the results document is the one Emacs
// 28.2 (Org 9.5.5) leaves, emacs -Q --batch, org-babel-execute-buffer
// (count.txt holding one line at the end).
func TestElispDroppedRefDropsItsRun(t *testing.T) {
	for _, c := range []struct {
		name, editor string
		// report is the editor's report of the buffer it leaves.
		report func(t *testing.T, doc string) string
		want   string
	}{
		{"rewritten", elispRewritesRef, func(t *testing.T, doc string) string {
			return marksReport(t, strings.Replace(doc, ":var x=a", ":var x=b", 1), "", 3)
		}, elispRefDropABRun + "#+name: editor\n#+begin_src emacs-lisp :results silent\n" + elispRewritesRef + "#+end_src\n\n" +
			"#+name: ref\n#+begin_src sh :var x=b\necho \"got [$x]\"\n#+end_src\n\n#+RESULTS: ref\n: got [from-b]\n"},
		{"deleted", elispDeletesRef, func(t *testing.T, doc string) string {
			buffer := doc[:strings.Index(doc, "#+name: ref")]
			// ref's mark, where its text was: at the end.
			return withDeletedMark(addedReport(t, buffer, markAt{at: "#+begin_src sh\necho line"}, markAt{at: "#+begin_src sh\necho from-b"}, markAt{at: "#+begin_src emacs-lisp"}), 3, len(buffer))
		}, elispRefDropABRun + "#+name: editor\n#+begin_src emacs-lisp :results silent\n" + elispDeletesRef + "#+end_src\n\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			doc := elispRefDrop(c.editor)
			e, rb, id := submitToReport(t, doc)
			lines := 0 // count.txt, as the runs of a leave it
			launched := answerLaunches(t, e, rb, id, 0, func(at *Attempt) string {
				switch {
				case at.Block == "editor":
					rb.setReport(at.ID, c.report(t, doc))
				case at.Block == "a" || strings.HasSuffix(at.Block, "=a"):
					lines++
					return strconv.Itoa(lines) + "\n"
				case at.Block == "b" || strings.HasSuffix(at.Block, "=b"):
					return "from-b\n"
				case at.Block == "ref":
					if !strings.Contains(at.Script, "x='from-b'") {
						t.Errorf("ref ran with a value other than b's:\n%s", at.Script)
					}
					return "got [from-b]\n"
				}
				return ""
			})
			checkRunsOfA(t, e, id, launched, lines, 1, c.want)
		})
	}
}

// checkRunsOfA checks that block a ran runs times, as want (Emacs's
// count), and that document id's results document is want (Emacs's),
// launched the launches, for the messages.
func checkRunsOfA(t *testing.T, e *Engine, id string, launched map[string]int, runs, wantRuns int, want string) {
	t.Helper()
	if runs != wantRuns {
		t.Errorf("a ran %d times (launches %v), want %d as in Emacs", runs, launched, wantRuns)
	}
	got, err := e.ResultDocument(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Errorf("results document (launches %v):\n%s\nwant Emacs's:\n%s", launched, got, want)
	}
}

// elispRefDropNumbered is a document where g appends a line to a file
// and prints how many it holds, f (:var z=g) prints f[z], and an Emacs
// Lisp block rewrites ref1's :var x=f into :var x=b; ref2 (:var y=f)
// follows ref1.
const elispRefDropNumbered = "#+name: g\n#+begin_src sh\necho line >> count.txt\nwc -l < count.txt\n#+end_src\n\n" +
	"#+name: f\n#+begin_src sh :var z=g\necho \"f[$z]\"\n#+end_src\n\n" +
	"#+name: b\n#+begin_src sh\necho from-b\n#+end_src\n\n" +
	"#+name: editor\n#+begin_src emacs-lisp :results silent\n" + elispRewritesRef1 + "#+end_src\n\n" +
	"#+name: ref1\n#+begin_src sh :var x=f\necho \"got1 [$x]\"\n#+end_src\n\n" +
	"#+name: ref2\n#+begin_src sh :var y=f\necho \"got2 [$y]\"\n#+end_src\n"

const elispRewritesRef1 = "(save-excursion\n  (goto-char (point-min))\n  (search-forward (concat \":var x\" \"=f\"))\n  (replace-match (concat \":var x\" \"=b\")))\n"

// TestElispDroppedRefNumberedRun: the runs of f for ref1 and ref2 are
// numbered in plan order, and so is the run of g each makes inside it
// (f :var z=g~2 in ref1's, ~3 in ref2's). Once the Emacs Lisp block
// rewrote ref1's reference away, the buffer's plan gives ref2's run of g
// the name ~2: before, ref1's was kept by that name and launched, g
// running once more than in Emacs (ref2 got f[4]). Now the results
// document is the one Emacs 28.2 (Org 9.5.5) leaves, emacs -Q --batch,
// org-babel-execute-buffer (rerun_elisp_ref_numbered.org alike).
func TestElispDroppedRefNumberedRun(t *testing.T) {
	e, rb, id := submitToReport(t, elispRefDropNumbered)
	lines := 0 // runs of g
	valueOf := func(script, name string) string {
		_, v, ok := strings.Cut(script, name+"='")
		if !ok {
			t.Errorf("no %s in the script:\n%s", name, script)
			return ""
		}
		v, _, _ = strings.Cut(v, "'")
		return v
	}
	launched := answerLaunches(t, e, rb, id, 0, func(at *Attempt) string {
		switch {
		case at.Block == "editor":
			rb.setReport(at.ID, marksReport(t, strings.Replace(elispRefDropNumbered, ":var x=f", ":var x=b", 1), "", 4))
		case at.Block == "g" || strings.HasSuffix(trimSeq(at.Block), "=g"):
			// Answered by the run, not the launch order (g's own
			// run and f's need not wait for each other): in Emacs's
			// order, g's own run, f's run of it, then one for ref2.
			lines++
			switch at.Block {
			case "g":
				return "1\n"
			case "f :var z=g":
				return "2\n"
			}
			return "3\n"
		case at.Block == "f" || strings.HasSuffix(at.Block, "=f"):
			return "f[" + valueOf(at.Script, "z") + "]\n"
		case at.Block == "b" || strings.HasSuffix(at.Block, "=b"):
			return "from-b\n"
		case at.Block == "ref1":
			return "got1 [" + valueOf(at.Script, "x") + "]\n"
		case at.Block == "ref2":
			return "got2 [" + valueOf(at.Script, "y") + "]\n"
		}
		return ""
	})
	if lines != 3 {
		t.Errorf("g ran %d times (launches %v), want 3 as in Emacs", lines, launched)
	}
	got, err := e.ResultDocument(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	want := "#+name: g\n#+begin_src sh\necho line >> count.txt\nwc -l < count.txt\n#+end_src\n\n#+RESULTS: g\n: 1\n\n" +
		"#+name: f\n#+begin_src sh :var z=g\necho \"f[$z]\"\n#+end_src\n\n#+RESULTS: f\n: f[2]\n\n" +
		"#+name: b\n#+begin_src sh\necho from-b\n#+end_src\n\n#+RESULTS: b\n: from-b\n\n" +
		"#+name: editor\n#+begin_src emacs-lisp :results silent\n" + elispRewritesRef1 + "#+end_src\n\n" +
		"#+name: ref1\n#+begin_src sh :var x=b\necho \"got1 [$x]\"\n#+end_src\n\n#+RESULTS: ref1\n: got1 [from-b]\n\n" +
		"#+name: ref2\n#+begin_src sh :var y=f\necho \"got2 [$y]\"\n#+end_src\n\n#+RESULTS: ref2\n: got2 [f[3]]\n"
	if got != want {
		t.Errorf("results document (launches %v):\n%s\nwant Emacs's:\n%s", launched, got, want)
	}
}

// trimSeq is a run's name without its number ("f :var z=g~2").
func trimSeq(name string) string {
	if i := strings.LastIndexByte(name, '~'); i >= 0 {
		if _, err := strconv.Atoi(name[i+1:]); err == nil {
			return name[:i]
		}
	}
	return name
}
