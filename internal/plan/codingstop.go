package plan

import (
	"slices"
	"strings"

	"github.com/wallyqs/borges/internal/org"
)

// CodingStopError is the error org-babel-execute-buffer stops with (Emacs
// in batch, as Borges's reference runs it) once a block has run whose
// output the language's function writes to a temporary file
// (with-temp-file), or whose value Babel writes to its :file, and that
// holds a raw byte (a byte of no UTF-8 character as Emacs decodes it):
// write-region finds that utf-8-unix cannot encode it and asks for a
// coding system (select-safe-coding-system), reading standard input,
// where there is none. It is signalled before the results are inserted
// (inside the language's function, under :results silent too, or
// writing the :file): the block's results are left as they were.
const CodingStopError = "End of file during parsing: Error reading from stdin"

// writesOutputFile reports whether task t's block, blk, has its output
// written to a temporary file by the language's function before Babel
// reads it: ob-shell's reading of a value that is no scalar under
// org-babel-result-cond (not under :results none, where it reads
// nothing), ob-perl's :results output (always, before
// org-babel-result-cond). A task of a :post chain too: the block it
// calls, blk, runs under its own :results words with silent added
// (org-babel-ref-resolve; org-babel-merge-params puts silent in place
// of none), inside the :post, before the results of the chain's block
// are written.
func writesOutputFile(blk *org.Block, t *Task) bool {
	if t.ReadsOutput || t.lispVar != nil {
		return false
	}
	v, _ := blk.Args.Get("results")
	words := strings.Fields(v)
	switch {
	case shellNames[t.Lang]:
		return !slices.Contains(words, "none") && !org.ResultCondScalar(blk.Args)
	case t.Lang == "perl":
		return slices.Contains(words, "output")
	}
	return false
}

// codingStop is CodingStopError when what task t's block printed, raw,
// holds what utf-8-unix cannot encode (org.Unencodable: a raw byte, a
// character past U+10FFFF) and Emacs writes it to a file: the language's
// temporary file (writesOutputFile), or the block's :file, which
// org-babel-execute-src-block writes the value into (FileText), ""
// otherwise.
func codingStop(blk *org.Block, t *Task, raw string) string {
	if writesOutputFile(blk, t) && org.Unencodable(raw) {
		return CodingStopError
	}
	if t.FileWritten && !t.ReadsOutput && !t.Post && org.Unencodable(FileText(t, raw)) {
		return CodingStopError
	}
	return ""
}

// programCodingStop is a *ReferenceError of CodingStopError when the
// program of task t, run outside a session, holds what utf-8-unix
// cannot encode (org.Unencodable: a raw byte, a character past
// U+10FFFF): its body with the :var values bound (the script, as Babel
// expands it; unencodable says whether it holds such, Render having
// checked it once), which every language Borges runs but Emacs Lisp has
// Emacs write to a temporary file first (org-babel-eval's input file;
// ob-shell's script file under :stdin, :cmdline or :shebang; ob-js's
// script file). A value reaches the program so from a block whose
// output Babel keeps as it is (a shell's :results output, say) where
// the language writes its strings with format's %s (a shell's, Perl's
// q(...)); prin1 writes a raw byte as an octal escape (Python's, Ruby's
// strings), which is no raw byte, a character past U+10FFFF as it is.
// Emacs stops before the block runs, writing nothing there.
//
// A surrogate in the program is three raw bytes when a program printed
// it, a character when it comes from a value Emacs printed
// (Value.Chars): Render checks the script rendered of refs with those
// made U+FFFD (charsMasked), so each value is checked as it is.
func programCodingStop(t *Task, unencodable bool) error {
	if elispLangs[t.Lang] && t.shebang == "" || !unencodable {
		return nil
	}
	return &ReferenceError{Line: t.Line, Arg: ":var", Emacs: CodingStopError,
		Why: "the program, with its :var values, holds a raw byte (a byte of no UTF-8 character), which Babel writes to a temporary file: Emacs asks for a coding system, reading standard input, where there is none, before the block runs"}
}

// sessionCodingStop is a *ReferenceError of CodingStopError when the body
// of task t's block (blk), run in a Python session, as expand has it
// (body: blockBody, as Babel runs it), holds what
// utf-8-unix cannot encode once its noweb references are expanded (a
// raw byte a reference's result brings in; a :var value reaches Python
// as prin1 writes it, an octal escape): ob-python writes the body to a
// temporary file for the session (write-region), and Emacs asks for a
// coding system, reading standard input, where there is none: it stops
// before the block runs, writing nothing there. A shell session is not
// stopped so: ob-shell sends the body to the shell as it is, and only an
// output holding the byte, read as a value through a temporary file,
// stops Emacs once the block has run (codingStop decides that).
func sessionCodingStop(t *Task, blk *org.Block, body string) error {
	if t.Lang != "python" || !org.NowebEnabled(blk.Args) || !org.Unencodable(body) {
		return nil
	}
	return &ReferenceError{Line: t.Line, Arg: ":noweb", Emacs: CodingStopError,
		Why: "the program, its noweb references expanded, holds a raw byte (a byte of no UTF-8 character), which ob-python writes to a temporary file: Emacs asks for a coding system, reading standard input, where there is none, and stops at the block"}
}
