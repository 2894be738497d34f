package plan

import (
	"strings"
	"testing"
)

// TestPostStopKnownFromDocument: a :post that Emacs cannot resolve, known
// from the document alone, stops org-babel-execute-buffer at the block
// whose :post it is (Plan.Stop), before it writes that block's results:
// the block and those after it are not run (Task.Replaced), the blocks
// before it are. A :post binding *this* to a block with no :var (on the
// second block of a name as on any other), and a :post naming a block of
// a language with no org-babel-execute function, which Emacs reaches
// there, before that block's own turn.
func TestPostStopKnownFromDocument(t *testing.T) {
	cases := []struct{ name, doc, stopAt, why string }{
		{"unbound on a second block of a name",
			"#+name: f\n" + block("sh :results output", "echo post") +
				"#+name: n\n" + block("sh", "echo first") +
				"#+name: n\n" + block("sh :post f(*this*)", "echo second") + block("sh", "echo after"),
			"echo second", `Variable "*this*" must be assigned a default value`},
		{"unbound",
			"#+name: f\n" + block("sh :results output", "echo post") +
				block("sh :post f(*this*)", "echo second") + block("sh", "echo after"),
			"echo second", `Variable "*this*" must be assigned a default value`},
		{"no org-babel-execute function",
			block("sh", "echo before") + block("sh :post f(x=*this*)", "echo second") +
				"#+name: f\n" + block(`nolang :var x=""`, "anything") + block("sh", "echo after"),
			"echo second", "No org-babel-execute function for nolang!"},
		{"no org-babel-execute function, inner :post of a chain",
			block("sh :post a(y=*this*)", "echo second") +
				"#+name: a\n" + block(`sh :var y="" :post f(x=*this*)`, "echo a") +
				"#+name: f\n" + block(`nolang :var x=""`, "anything") + block("sh", "echo after"),
			"echo second", "No org-babel-execute function for nolang!"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, want := builtStop(t, c.doc, c.stopAt)
			if p.StopLine != want || p.Stop != c.why {
				t.Fatalf("stop at line %d (%q), want line %d (%q)", p.StopLine, p.Stop, want, c.why)
			}
			// The block the :post calls aside, the block whose
			// :post it is not run either.
			runsBefore(t, p, want, want-1, func(task *Task) bool { return strings.HasPrefix(task.Block, "f") })
		})
	}
}

// TestPostEvalCheckedBeforeLanguage: org-babel-execute-src-block weighs
// :eval (org-babel-check-evaluate, org-babel-confirm-evaluate) before it
// looks for the language's org-babel-execute function: a :post naming a
// block of no such function under :eval no gives nil and stops nothing
// (the block after runs); under :eval query Emacs stops at the
// question, inside the :post: at the block whose :post it is, before
// the callee's own turn.
func TestPostEvalCheckedBeforeLanguage(t *testing.T) {
	cases := []struct{ name, eval, why string }{
		{"eval no", ":eval no", ""},
		{"eval query", ":eval query", QueryStop},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc := block("sh :post f(x=*this*)", "echo one") +
				"#+name: f\n" + block(`nolang :var x="" `+c.eval, "anything") + block("sh", "echo after")
			p, err := Build(mustParse(t, doc), machine, DefaultOptions)
			if err != nil {
				t.Fatal(err)
			}
			if p.Stop != c.why {
				t.Fatalf("stop %q at line %d, want %q", p.Stop, p.StopLine, c.why)
			}
			if c.why != "" {
				if want := blockLineOf(doc, "echo one"); p.StopLine != want {
					t.Fatalf("stop at line %d, want %d", p.StopLine, want)
				}
				return
			}
			after := blockLineOf(doc, "echo after")
			runsBefore(t, p, after+1, after+1, func(*Task) bool { return false })
		})
	}
}
