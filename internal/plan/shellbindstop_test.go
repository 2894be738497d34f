package plan

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestShellBindStopChosenAtRun: a "shell" block given a value bash's
// forms cannot bind stops the document where its shell, chosen where it
// runs, is bash (the program prints the mark, ResultStop reads Emacs's
// error from it), and runs with one string where it is sh; a block that
// prints the mark's text without its digest is no stop.
func TestShellBindStopChosenAtRun(t *testing.T) {
	table := "#+name: two\n| k | v |\n|---+---|\n| a | 1 |\n\n"
	cases := []struct {
		name, header, body, shell, stop, out string
	}{
		{"bash rule", "shell :var tb=two :hlines yes :colnames no", `echo "$tb"`, "/bin/bash", BashAssocRuleError, ""},
		{"bash rule stdin", "shell :var tb=two :hlines yes :colnames no :stdin two", `echo "$tb"`, "/bin/bash", BashAssocRuleError, ""},
		{"sh rule", "shell :var tb=two :hlines yes :colnames no", `echo "$tb"`, "/bin/sh", "", "k\tv\nhline\na\t1\n"},
		{"bash no rule", "shell :var tb=two", `echo "${!tb[@]}"`, "/bin/bash", "", "a\n"},
		{"bash forged mark", "shell :var tb=two", `printf '%s' '` + shellBindStopMark + `0>` + BashAssocRuleError + `'`, "/bin/bash", "", shellBindStopMark + "0>" + BashAssocRuleError},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc := mustParse(t, table+block(c.header, c.body))
			p, err := Build(doc, machine, DefaultOptions)
			if err != nil {
				t.Fatal(err)
			}
			task := p.Tasks[len(p.Tasks)-1]
			if !ResultMayStop(doc, task) {
				t.Fatal("a shell block given values must be read for its stop")
			}
			refs := map[string]Value{}
			for _, x := range p.Tasks[:len(p.Tasks)-1] {
				refs[x.Block] = ResultValue(x, "")
			}
			script, err := Render(doc, task, refs)
			if err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command("sh", "-c", script)
			cmd.Dir = t.TempDir()
			cmd.Env = append(os.Environ(), "SHELL="+c.shell)
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("%v: %s", err, out)
			}
			why, written := ResultStop(doc, task, string(out), refs)
			if why != c.stop || written {
				t.Fatalf("stop %q (written %v), want %q; output %q", why, written, c.stop, out)
			}
			if c.stop == "" && !strings.HasSuffix(string(out), c.out) {
				t.Fatalf("output %q, want %q", out, c.out)
			}
		})
	}
}

// TestShellBindStopMayBeOnlyLists: a "shell" block's output is read for
// the binding stop only where a value may be a list or a table (one
// written so, named data, a block's results): scalars bash binds always.
func TestShellBindStopMayBeOnlyLists(t *testing.T) {
	head := "#+name: two\n| k | v |\n|---+---|\n| a | 1 |\n\n#+name: r\n#+begin_src sh\necho 1\n#+end_src\n\n"
	for _, c := range []struct {
		name, header string
		may          bool
	}{
		{"scalars", `shell :var x=1 :var y="s" :var z=2.5`, false},
		{"no values", "shell", false},
		{"list", "shell :var x='((a 1) b)", true},
		{"table", "shell :var x=two", true},
		{"results", "shell :var x=r", true},
		{"scalar and table", "shell :var y=1 :var x=two", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			doc := mustParse(t, head+block(c.header, "echo"))
			p, err := Build(doc, machine, DefaultOptions)
			if err != nil {
				t.Fatal(err)
			}
			task := p.Tasks[len(p.Tasks)-1]
			if got := shellBindStopMayBe(task); got != c.may {
				t.Fatalf("shellBindStopMayBe %v, want %v", got, c.may)
			}
		})
	}
}
