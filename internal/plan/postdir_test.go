package plan

import (
	"strings"
	"testing"
)

// TestPostRunsInBlockDir: org-babel-execute-src-block resolves a block's
// :post inside its binding of default-directory to the block's :dir, so
// the block the :post calls runs there, its own relative :dir taken from
// there (fixture hunt19_post_dir_inherit.org).
func TestPostRunsInBlockDir(t *testing.T) {
	cases := []struct{ name, header, callee, want string }{
		{"callee with no :dir", "sh :dir work :post f(x=*this*)", `sh :var x=""`, "work"},
		{"callee with a relative :dir", "sh :dir work :post f(x=*this*)", `sh :var x="" :dir sub`, "work/sub"},
		{"callee with an absolute :dir", "sh :dir work :post f(x=*this*)", `sh :var x="" :dir /tmp`, "/tmp"},
		{"block with no :dir", "sh :post f(x=*this*)", `sh :var x="" :dir sub`, "sub"},
		{"block under ~", "sh :dir ~/w :post f(x=*this*)", `sh :var x=""`, "~/w"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc := block(c.header, "echo one") + "#+name: f\n" + block(c.callee, "echo $x")
			p, err := Build(mustParse(t, doc), machine, DefaultOptions)
			if err != nil {
				t.Fatal(err)
			}
			var found bool
			for _, task := range p.Tasks {
				if task.Post {
					found = true
					if task.Dir != c.want {
						t.Errorf("the :post's task runs in %q, want %q", task.Dir, c.want)
					}
				}
			}
			if !found {
				t.Fatal("no :post task")
			}
		})
	}
}

// TestStdinRunsInBlockDir: ob-shell resolves :stdin inside
// org-babel-execute:sh, within org-babel-execute-src-block's binding of
// default-directory to the block's :dir, so the block :stdin names runs
// again there, for the reference, a call with arguments too (fixture
// hunt19_dir_refs_where_run.org); a :var reference is resolved before
// that binding, and served by the block's own run.
func TestStdinRunsInBlockDir(t *testing.T) {
	where := "#+name: where\n" + block(`sh :var x="none"`, "pwd")
	cases := []struct{ name, header, want string }{
		{"plain reference", "sh :dir site :stdin where", "site"},
		{"call with arguments", `sh :dir site :stdin where(x="s")`, "site"},
		{"block with no :dir", "sh :stdin where", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dep := stdinRun(t, where+block(c.header, "cat"))
			if dep.Dir != c.want {
				t.Errorf("the :stdin's run (%s) runs in %q, want %q", dep.Block, dep.Dir, c.want)
			}
		})
	}
}

// TestPostRefsRunInBlockDir: the :var and noweb references of the block a
// :post calls are resolved inside the binding of default-directory to the
// :dir of the block whose :post it is, so a block they name plainly runs
// again there (fixture hunt19_post_dir_refs.org).
func TestPostRefsRunInBlockDir(t *testing.T) {
	for _, callee := range []string{`sh :var x="" :var loc=here`, `sh :var x="" :noweb yes`} {
		t.Run(callee, func(t *testing.T) {
			doc := "#+name: here\n" + block("sh", "pwd") +
				"#+name: f\n" + block(callee, "echo $x <<here()>>") + block("sh :dir app :post f(x=*this*)", "echo one")
			p, err := Build(mustParse(t, doc), machine, DefaultOptions)
			if err != nil {
				t.Fatal(err)
			}
			// Two runs of here: one for f's own run, in the
			// document's directory, then one for the :post's, in app.
			var runs, dirs []string
			for _, task := range p.Tasks {
				if strings.Contains(task.Block, "loc=here") || strings.Contains(task.Block, "<<here()>>") {
					runs = append(runs, task.Block+" in "+task.Dir)
					dirs = append(dirs, task.Dir)
				}
			}
			if len(runs) > 0 && strings.Join(dirs, ",") != ",app" {
				t.Errorf("runs of here: %q, want one in the document's directory, then one in app", runs)
			}
			if len(runs) == 0 {
				var all []string
				for _, task := range p.Tasks {
					all = append(all, task.Block+" in "+task.Dir)
				}
				t.Fatalf("no run of here for the :post's reference: %q", all)
			}
		})
	}
}

// TestStdinRerunsCallsAndLaterCaches: a named #+call: line with no
// arguments, and a :cache yes block standing after the referrer (its
// hash not yet current), are run again by org-babel-ref-resolve inside
// the binding of default-directory to the :dir of the block whose :stdin
// names them (a :dir of the call line's own taken from there); a :cache
// yes block that ran before is served by its own run (fixture
// hunt19_dir_calls_caches.org).
func TestStdinRerunsCallsAndLaterCaches(t *testing.T) {
	here := "#+name: here\n" + block("sh", "pwd")
	reader := func(ref string) string { return block("sh :dir site :stdin "+ref, "cat") }
	cases := []struct{ name, doc, want string }{
		{"named call", here + "#+name: hcall\n#+call: here()\n\n" + reader("hcall"), "site"},
		{"named call with :dir", here + "#+name: hcall\n#+call: here() :dir b\n\n" + reader("hcall"), "site/b"},
		{"cache yes after", reader("later") + "#+name: later\n" + block("sh :cache yes", "pwd"), "site"},
		{"cache yes before", "#+name: early\n" + block("sh :cache yes", "pwd") + reader("early"), ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dep := stdinRun(t, c.doc)
			if dep.Dir != c.want {
				t.Errorf("the :stdin's run (%s) runs in %q, want %q", dep.Block, dep.Dir, c.want)
			}
		})
	}
}

// TestStdinLaterCacheWithOldHashRefused: a :cache yes block standing after
// a :dir block whose :stdin names it, with results under a hash: Emacs
// runs it again in the :dir unless that hash is current at the
// reference, which Borges cannot tell, so it refuses the document rather
// than serve the reference from a run elsewhere.
func TestStdinLaterCacheWithOldHashRefused(t *testing.T) {
	doc := block("sh :dir site :stdin later", "cat") + "#+name: later\n" + block("sh :cache yes", "pwd") +
		"#+RESULTS[0123456789abcdef0123456789abcdef01234567]: later\n: /old\n"
	_, err := Build(mustParse(t, doc), machine, DefaultOptions)
	if err == nil || !strings.Contains(err.Error(), "Borges cannot tell") {
		t.Fatalf("got %v, want a refusal saying Borges cannot tell whether the hash is current", err)
	}
}

// stdinRun plans doc and returns the task serving the :stdin of its
// (last) block reading one.
func stdinRun(t *testing.T, doc string) *Task {
	t.Helper()
	p, err := Build(mustParse(t, doc), machine, DefaultOptions)
	if err != nil {
		t.Fatal(err)
	}
	var reader *Task
	for _, task := range p.Tasks {
		if task.stdin != nil {
			reader = task
		}
	}
	if reader == nil {
		t.Fatal("no task reads :stdin")
	}
	for _, task := range p.Tasks {
		if task.Block == reader.stdin.ref {
			return task
		}
	}
	t.Fatalf("no task %q", reader.stdin.ref)
	return nil
}
