// Package charwidth asks Emacs how many columns each character takes
// (char-width, which string-width and so org-string-width add up), for
// the table internal/org aligns tables by (charwidth_table.go, made by
// go generate from Emacs) and the test that holds that table to Emacs.
package charwidth

import (
	"bufio"
	"bytes"
	"fmt"
	"go/format"
	"os"
	"os/exec"
	"strconv"
	"strings"
)

// Range is a run of characters of one width.
type Range struct {
	Lo, Hi rune
	Width  int
}

// Query prints emacs-version, then each run of code points of one
// char-width as "LO HI WIDTH" (hexadecimal code points), every code point
// of Unicode in order: the form FromEmacs has Emacs print the widths by.
const Query = `(let ((prev nil) (start 0) (c 0))
  (princ (format "%s\n" emacs-version))
  (while (<= c #x10FFFF)
    (let ((w (char-width c)))
      (unless (eql w prev)
        (when prev (princ (format "%X %X %d\n" start (1- c) prev)))
        (setq prev w start c)))
    (setq c (1+ c)))
  (princ (format "%X %X %d\n" start (1- c) prev)))`

// Generate writes file, the Go source write puts in b (gofmt'd) from the
// runs emacs (on PATH) prints for form (Runs): the generators of package
// org's tables (go generate) share it.
func Generate(file, form string, write func(b *bytes.Buffer, version string, runs []Range)) error {
	emacs, err := exec.LookPath("emacs")
	if err != nil {
		return err
	}
	version, runs, err := Runs(emacs, form)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	write(&b, version, runs)
	src, err := format.Source(b.Bytes())
	if err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	return os.WriteFile(file, src, 0o644)
}

// FromEmacs runs emacs (emacs -Q --batch in a UTF-8 locale that is not
// CJK's, where ambiguous-width characters take one column) and returns
// its version and the runs of widths it gives, covering every code point.
func FromEmacs(emacs string) (version string, ranges []Range, err error) {
	return Runs(emacs, Query)
}

// Compiled is form made a byte-compiled function called at once: what it
// prints is the same, but a loop over every code point of Unicode runs
// in a fraction of the CPU the interpreter takes (the word-syntax query
// 1.7 s against 6.2, the [[:alnum:]] one 3.7 against 9.6, char-width 0.3
// against 2.3, emacs -Q --batch's start included).
func Compiled(form string) string {
	return "(funcall (byte-compile (lambda () " + form + ")))"
}

// Runs runs emacs -Q --batch in a UTF-8 locale that is not CJK's on an
// Emacs Lisp form that prints emacs-version, then each run of code points
// of one value as "LO HI VALUE" (hexadecimal code points, a decimal
// value), every code point of Unicode in order, as Query does; it returns
// the version and the runs (the value in Width), checked to cover every
// code point once. Other per-character tables (word syntax) are read by it.
func Runs(emacs, form string) (version string, ranges []Range, err error) {
	cmd := exec.Command(emacs, "-Q", "--batch", "--eval", Compiled(form))
	cmd.Env = append(os.Environ(), "LC_ALL=C.UTF-8", "LANG=C.UTF-8")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", nil, fmt.Errorf("%s: %v: %s", emacs, err, stderr.String())
	}
	sc := bufio.NewScanner(bytes.NewReader(out))
	if !sc.Scan() {
		return "", nil, fmt.Errorf("%s printed nothing", emacs)
	}
	version = strings.TrimSpace(sc.Text())
	next := rune(0)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) != 3 {
			return "", nil, fmt.Errorf("%s printed %q, not LO HI WIDTH", emacs, sc.Text())
		}
		lo, err1 := strconv.ParseInt(f[0], 16, 32)
		hi, err2 := strconv.ParseInt(f[1], 16, 32)
		w, err3 := strconv.Atoi(f[2])
		if err1 != nil || err2 != nil || err3 != nil || rune(lo) != next || hi < lo {
			return "", nil, fmt.Errorf("%s printed %q after code point %X", emacs, sc.Text(), next-1)
		}
		ranges = append(ranges, Range{rune(lo), rune(hi), w})
		next = rune(hi) + 1
	}
	if next != 0x110000 {
		return "", nil, fmt.Errorf("%s stopped at code point %X", emacs, next)
	}
	return version, ranges, nil
}
