package plan

import (
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/org"
)

// TestFileDirStops: a :results file block whose :file stands in a
// directory nothing made by then stops the document once it has run,
// with Emacs's "Opening output file: No such file or directory" (with-temp-file;
// checked with Emacs 28.2: fixtures hunt16_outdir_reports,
// hunt16_outdir_with_dir, hunt17_sep_file_desc, hunt17_file_results_langs,
// filedir_*), its results not written. :mkdirp makes the :dir alone
// (of a block Babel runs), an :output-dir itself alone; any program
// that may run before (an earlier block, a named block it refers to, its
// :post), whatever its text, a directory its own text names, or a
// visited document, plan no stop.
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
		// Its own program may make it under a name it computes: a
		// command or call that makes or unpacks directories; a name
		// read from elsewhere makes nothing by itself.
		{block("sh :results file :file run1/x.txt", "for i in 1 2; do mkdir -p run$i; done; echo x"), "", false},
		{block("python :results file :file fig0/a.txt", "import os\nos.makedirs(f\"fig{0}\")\nreturn 1"), "", false},
		{block("sh :results file :file pkg-1/x.txt", "tar xzf p.tgz; echo x"), "", false},
		{"#+name: cfg\n| plots |\n\n" + block("sh :results file :var d=cfg[0,0] :file plots/a.txt", `mkdir -p "$d"; echo "$d"`), "", false},
		{"#+name: cfg\n| plots |\n\n" + block("sh :results file :var d=cfg[0,0] :file plots/a.txt", `echo "$d"`), "plots/a.txt", false},
		{block(`sh :results file :var d=(concat "pl" "ots") :file plots/a.txt`, `echo "$d" > made.txt`), "plots/a.txt", false},
		{block("js :results file :file out/a.txt", "require('fs').mkdirSync(process.env.D); return 1"), "", false},
		{block(`sh :results file :var d="x" n=3 :file plots/a.txt`, `echo "$d $n"`), "plots/a.txt", false},
		{block("sh :results file :var v=later :file out/x.txt", "echo x") + "#+name: later\n" + block("sh", "mkdir out"), "", false},
		{block("sh :noweb yes :results file :file gen/out.txt", "<<helper>>\necho x") + "#+name: helper\n" +
			block("sh :eval no :output-dir gen :file h.txt", "echo h"), "", false},
		{block("sh :noweb yes :results file :file gen/out.txt", "<<prep>>\necho x") + block("sh :noweb-ref prep :eval no", "echo p") +
			block("sh :eval no :output-dir gen :file l.txt", "echo l"), "", false},
		{block("sh :eval no :var v=mk", "echo $v") + block("sh :results file :file made/out.txt", "echo x") + "#+name: mk\n" +
			block("sh", "mkdir -p made"), "", false},
		{block("sh :results file :file out/x.txt :post p(x=*this*)", "echo x") + "#+name: p\n" + block("sh :var x=\"\"", "mkdir out"), "", false},
		{block("emacs-lisp", "1") + block("sh :results file :file out/x.txt", "echo x"), "", false},
		// Its noweb references take in a program that may make it under a
		// name computed (a block :eval no or after it, a :noweb-ref
		// collection, a nested reference); a heading's body:
		// TestFileDirStopHeadingBody.
		{"#+name: setup\n" + block("sh :eval no", "for i in 1 2; do mkdir -p run$i; done") + block("sh :noweb yes :results file :file run1/out.txt", "<<setup>>\necho x"), "", false},
		{block("sh :noweb yes :results file :file run1/out.txt", "<<setup>>\necho x") + "#+name: setup\n" + block("sh", "for i in 1 2; do mkdir -p run$i; done"), "", false},
		{block("sh :noweb yes :results file :file run1/out.txt", "<<prep>>\necho x") + block("sh :noweb-ref prep", "echo a") + block("sh :noweb-ref prep", "for i in 1 2; do mkdir -p run$i; done"), "", false},
		{block("sh :noweb yes :results file :file run1/out.txt", "<<outer>>\necho x") + "#+name: outer\n" + block("sh :noweb yes", "<<inner>>") + "#+name: inner\n" + block("sh", "for i in 1 2; do mkdir -p run$i; done"), "", false},
		// Noweb references that take in no maker, or are not expanded.
		{block("sh :noweb yes :results file :file run1/out.txt", "<<setup>>\necho x") + "#+name: setup\n" + block("sh", "echo set"), "run1/out.txt", false},
		{block("sh :results file :file run1/out.txt", "<<setup>>\necho x") + "#+name: setup\n" + block("sh", "for i in 1 2; do mkdir -p run$i; done"), "run1/out.txt", false},
		{block("sh :noweb yes :results file :file run1/out.txt", "<<outer>>\necho x") + "#+name: outer\n" + block("sh", "<<inner>>") + "#+name: inner\n" + block("sh", "for i in 1 2; do mkdir -p run$i; done"), "run1/out.txt", false},
		// Any program that may run before: no stop, whatever its text
		// names (review rv_fd_*: names computed at run time).
		{"#+name: cfg\n| plots |\n\n" + block("sh :var d=cfg[0,0]", `mkdir -p "$d"`) + block("sh :results file :file plots/a.txt", "echo a"), "", false},
		{block("sh", "for i in 1 2; do mkdir -p run$i; done") + block("sh :results file :file run1/x.txt", "echo x"), "", false},
		{block("python", "import os\nfor n in range(2): os.makedirs(f\"fig{n}\", exist_ok=True)") + block("python :results file :file fig0/a.txt", "return 1"), "", false},
		{block("sh", "git clone https://example.com/org/repo.git") + block("sh :results file :file repo/x.txt", "echo x"), "", false},
		{block("sh", "curl -s https://example.com/p.tgz | tar xz") + block("sh :results file :file p-1/x.txt", "echo x"), "", false},
		{block(`sh :var d=(concat "pl" "ots")`, `mkdir -p "$d"`) + block("sh :results file :file plots/x.txt", "echo x"), "", false},
		{block("sh", "echo hi") + block("sh :results file :file out/x.txt", "echo x"), "", false},
		{"#+name: mk\n" + block("sh :var d=\"x\"", `mkdir -p "$d"`) + "#+call: mk(d=\"plots\")\n\n" + block("sh :results file :file plots/x.txt", "echo x"), "", false},
		{block("sh :prologue \"mkdir -p pro\"", "echo p") + block("sh :results file :file pro/x.txt", "echo x"), "", false},
		{block("sh :session s", "mkdir -p ses") + block("sh :results file :file ses/x.txt", "echo x"), "", false},
		{"src_sh{mkdir -p inl}\n\n" + block("sh :results file :file inl/x.txt", "echo x"), "", false},
		// A named block after it that it does not refer to runs after it.
		{block("sh :results file :file out/x.txt", "echo x") + "#+name: later\n" + block("sh", "mkdir out"), "out/x.txt", false},
		// A block Babel does not run (:eval no) runs no program and
		// makes no :dir under :mkdirp; its :output-dir is made
		// (org-babel-get-src-block-info, review F3).
		{block("sh :eval no :dir gen :mkdirp yes", "mkdir gen") + block("sh :results file :file gen/y.txt", "echo y"), "gen/y.txt", false},
		{block("sh :eval no", "mkdir out") + block("sh :results file :file out/x.txt", "echo x"), "out/x.txt", false},
		{block("sh :eval no :output-dir made :file a.txt", "echo a") + block("sh :results file :file made/y.txt", "echo y"), "", false},
		// Its own :dir missing (no :mkdirp): Emacs stops before it runs,
		// with another error (review F2; dirStop, TestDirStops).
		{block("sh :results file :dir out :file x.txt", "echo x"), "", false},
		// Where Babel writes no file, or the directory is not the document's.
		{block("sh :results file link :file out/x.txt", "echo x"), "", false},
		{block("sh :results file none :file out/x.txt", "echo x"), "", false},
		{block("sh :results file :file /nowhere/x.txt", "echo x"), "", false},
		{block("sh :results file :file out/x.txt", "echo x"), "", true},
	} {
		doc, p, ok := buildVisited(t, c.text, c.visit)
		if !ok {
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

// TestFileDirStopHeadingBody: a block whose noweb expansion takes in a
// heading's body (which may make the directory) plans no :file stop;
// Emacs runs it, writes the file, and stops inserting its results, point
// left at the heading (fixture filedir_noweb_mkdir_heading).
func TestFileDirStopHeadingBody(t *testing.T) {
	doc := mustParse(t, block("sh :noweb yes :results file :file run1/out.txt", "<<prep>>\necho x")+
		"* Prep\n:PROPERTIES:\n:CUSTOM_ID: prep\n:END:\nfor i in 1 2; do mkdir -p run$i; done\n")
	p, err := Build(doc, machine, DefaultOptions)
	if err != nil {
		t.Fatal(err)
	}
	if why, written := ResultStop(doc, p.Tasks[0], "x\n", nil); why != org.NowebHeadingError || written {
		t.Errorf("stop %q (written %v), want %q", why, written, org.NowebHeadingError)
	}
}

// TestDirStops: a block whose :dir names a directory that does not exist,
// without :mkdirp, stops org-babel-execute-buffer before it runs, with
// "Setting current directory: No such file or directory, " and the
// directory (call-process, starting its program in it; checked with
// Emacs 28.2: fixtures dirstop_*): its results are not written, the
// blocks after it not run. Planned with fileDirStop's certainty: no
// program may run before it, Babel did not make the directory (:mkdirp,
// an :output-dir), not a session (a shell session's process is running
// already), not Emacs Lisp (no process), not a visited document.
func TestDirStops(t *testing.T) {
	for _, c := range []struct {
		text, want string
		visit      bool
	}{
		{block("sh :results output :dir nowhere", "echo x") + block("sh", "echo after"), "nowhere/", false},
		{block("python :results file :file x.txt :dir ./deep/er/", "return 1"), "deep/er/", false},
		{block("sh :results none :dir nowhere", "echo x"), "nowhere/", false},
		{block("sh :eval no :output-dir other :file a.txt", "echo a") + block("ruby :dir nowhere", "1"), "nowhere/", false},
		{block("sh :eval no", "mkdir nowhere") + block("perl :dir nowhere", "1"), "nowhere/", false},
		{"#+name: tbl\n| a |\n\n" + block("sh :var t=tbl :dir nowhere", "echo $t"), "nowhere/", false},
		// Made by Babel: no stop.
		{block("sh :dir nowhere :mkdirp yes", "echo x"), "", false},
		{block("sh :eval no :output-dir nowhere :file a.txt", "echo a") + block("sh :dir nowhere", "echo x"), "", false},
		{block("sh :eval no :output-dir nowhere/deep :file a.txt", "echo a") + block("sh :dir nowhere", "echo x"), "", false},
		{block("sh :results file :dir nowhere :output-dir nowhere :file a.txt", "echo x"), "", false},
		// A program may run before it, or make it.
		{block("sh", "echo hi") + block("sh :dir nowhere", "echo x"), "", false},
		{block("emacs-lisp", "(make-directory \"nowhere\")") + block("sh :dir nowhere", "echo x"), "", false},
		{"src_sh{mkdir nowhere}\n\n" + block("sh :dir nowhere", "echo x"), "", false},
		{block("sh :var v=later :dir nowhere", "echo $v") + "#+name: later\n" + block("sh", "mkdir nowhere; echo 1"), "", false},
		{block("sh :noweb yes :dir nowhere", "<<later()>>") + "#+name: later\n" + block("sh", "mkdir nowhere"), "", false},
		{block("sh :stdin later :dir nowhere", "cat") + "#+name: later\n" + block("sh", "mkdir nowhere"), "", false},
		{block("sh :var v=(make-directory \"nowhere\") :dir nowhere", "echo x"), "", false},
		// Made by Babel reading a block's header arguments expanding
		// its noweb references (a block taken in, or every block).
		{block("sh :noweb yes :dir gen", "<<helper>>\npwd") + "#+name: helper\n" + block("sh :eval no :output-dir gen :file h.txt", "echo h"), "", false},
		{block("sh :noweb yes :dir gen", "<<prep>>\npwd") + block("sh :noweb-ref prep :eval no", "echo p") +
			block("sh :results file :output-dir gen :file late.txt", "echo l"), "", false},
		{block("sh :noweb yes :dir gen", "# <<no-such-name>>\npwd") + block("sh :eval no :output-dir gen :file x.txt", "echo x"), "", false},
		{block("sh :dir gen", "pwd") + "#+name: helper\n" + block("sh :eval no :output-dir gen :file h.txt", "echo h"), "gen/", false},
		// A block :eval no resolves its references first.
		{block("sh :eval no :var v=mk", "echo $v") + block("sh :dir made", "pwd") + "#+name: mk\n" + block("sh", "mkdir -p made"), "", false},
		{block(`sh :eval no :var x=(progn (make-directory "made" t) "y")`, "echo $x") + block("sh :dir made", "pwd"), "", false},
		// Not certain, or no process started in it.
		{block("sh :session s :dir nowhere", "echo x"), "", false},
		{block("emacs-lisp :dir nowhere", "1"), "", false},
		{block("sh :dir (concat \"now\" \"here\")", "echo x"), "", false},
		{block("sh :dir /nowhere", "echo x"), "", false},
		{block("sh :dir ../nowhere", "echo x"), "", false},
		{block("sh :dir .", "echo x"), "", false},
		{block("sh :dir nowhere :cache yes", "echo x"), "", false},
		{block("sh :dir nowhere", "echo x"), "", true},
		// Emacs stops there with another error: a :dir read as a
		// number ("Wrong type argument: stringp, 2024"), a language
		// Org 9.5 has no org-babel-execute function for.
		{block("sh :dir 2024", "pwd"), "Wrong type argument: stringp, 2024", false},
		{block("sh :dir 1.5", "pwd"), "", false},
		{block(`sh :dir "2024"`, "pwd"), "2024/", false},
		{block("python3 :dir nowhere", "return 1"), "", false},
		{block("node :dir nowhere", "return 1"), "", false},
		{block("javascript :dir nowhere", "return 1"), "", false},
		{block("js :dir nowhere", "return 1"), "nowhere/", false},
	} {
		_, p, _, stops := dirStopPlan(t, c.text, c.visit, c.want)
		if !stops {
			continue
		}
		for _, x := range p.Tasks {
			if x.Line >= p.StopLine && x.Replaced == "" {
				t.Errorf("%q: %s at line %d runs, past the stop at line %d", c.text, x.Block, x.Line, p.StopLine)
			}
		}
	}
}

// dirStopPlan is the plan of text (visited where visit is set), the
// stop a row of a table of missing directories wants, w (a directory,
// DirStopPrefix and it; another error whole; "" for none), and whether
// the plan stops, once it is checked that it stops with that (a plan
// refused, or a stop other than want, is an error).
func dirStopPlan(t *testing.T, text string, visit bool, w string) (doc *org.Document, p *Plan, want string, stops bool) {
	t.Helper()
	want = w
	if w != "" && !strings.HasPrefix(w, DirNumberStopPrefix) {
		want = DirStopPrefix + w
	}
	doc, p, ok := buildVisited(t, text, visit)
	if !ok {
		return nil, nil, want, false
	}
	if p.Stop != want {
		t.Errorf("%q: stop %q, want %q", text, p.Stop, want)
		return doc, p, want, false
	}
	return doc, p, want, want != ""
}

// buildVisited is the plan of text, whose sender visits it (in a
// directory of its own) where visit is set; ok is false, the error
// reported, where it is refused.
func buildVisited(t *testing.T, text string, visit bool) (*org.Document, *Plan, bool) {
	t.Helper()
	doc := mustParse(t, text)
	if visit {
		doc.Visit = org.Visit{Dir: "/home/someone/notes"}
	}
	p, err := Build(doc, machine, DefaultOptions)
	if err != nil {
		t.Errorf("%q: %v", text, err)
		return nil, nil, false
	}
	return doc, p, true
}
