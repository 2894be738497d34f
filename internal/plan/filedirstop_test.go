package plan

import (
	"testing"

	"github.com/wallyqs/borges/internal/org"
)

// TestFileDirStops: a :results file block whose :file stands in a
// directory nothing made by then stops the document once it has run,
// with Emacs's "Opening output file: No such file or directory" (with-temp-file;
// checked with Emacs 28.2: fixtures hunt16_outdir_reports,
// hunt16_outdir_with_dir, hunt17_sep_file_desc, hunt17_file_results_langs,
// filedir_*), its results not written. :mkdirp makes the :dir alone, an
// :output-dir itself alone; the directory named by a program before
// (or a named block), an Emacs Lisp block before, or a visited
// document, plan no stop.
func TestFileDirStops(t *testing.T) {
	for _, c := range []struct {
		text, want string
		visit      bool
	}{
		{block("sh :results file :file out/x.txt :mkdirp yes", "echo x"), "out/x.txt", false},
		{block("sh :results file :output-dir reports :file sub/n.txt", "echo x"), "reports/sub/n.txt", false},
		{block("sh :results file :dir wd :mkdirp yes :output-dir out :file x.txt", "echo x"), "wd/out/x.txt", false},
		{block("sh :results file :output-dir a/b :file c/x.txt", "echo x"), "a/b/c/x.txt", false},
		// Made by Babel: no stop.
		{block("sh :results file :output-dir reports :file n.txt", "echo x"), "", false},
		{block("sh :results file :dir wd :mkdirp yes :file x.txt", "echo x"), "", false},
		{block("sh :results file :output-dir out :file x.txt", "echo x") + block("sh :results file :file out/y.txt", "echo y"), "", false},
		{block("sh :results file :dir out/deep :mkdirp yes", "echo x") + block("sh :results file :file out/y.txt", "echo y"), "", false},
		{block("sh :results file :file x.txt", "echo x"), "", false},
		// A program may make it.
		{block("sh :results file :file out/x.txt", "mkdir -p out; echo x"), "", false},
		{block("sh", "mkdir out") + block("sh :results file :file out/x.txt", "echo x"), "", false},
		{block("sh :results file :file out/x.txt", "echo x") + "#+name: later\n" + block("sh", "mkdir out"), "", false},
		{block("emacs-lisp", "1") + block("sh :results file :file out/x.txt", "echo x"), "", false},
		// Where Babel writes no file, or the directory is not the document's.
		{block("sh :results file link :file out/x.txt", "echo x"), "", false},
		{block("sh :results file none :file out/x.txt", "echo x"), "", false},
		{block("sh :results file :file /nowhere/x.txt", "echo x"), "", false},
		{block("sh :results file :file out/x.txt", "echo x"), "", true},
	} {
		doc := mustParse(t, c.text)
		if c.visit {
			doc.Visit = org.Visit{Dir: "/home/someone/notes"}
		}
		p, err := Build(doc, machine, DefaultOptions)
		if err != nil {
			t.Errorf("%q: %v", c.text, err)
			continue
		}
		var last *Task // the block with a :file
		for _, x := range p.Tasks {
			if x.File != "" {
				last = x
			}
		}
		want := ""
		if c.want != "" {
			want = FileDirStopPrefix + c.want
		}
		if why, written := ResultStop(doc, last, "x\n", nil); why != want || written {
			t.Errorf("%q: stop %q (written %v), want %q", c.text, why, written, want)
		}
	}
}
