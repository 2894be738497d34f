// Package wordsyntax asks Emacs which characters are word constituents
// in an Org buffer (char-syntax is ?w under org-mode's syntax table), for
// the table internal/org finds word starts ("\<") by (wordsyntax_table.go,
// made by go generate from Emacs) and the test that holds that table to
// Emacs; and which match [[:alnum:]] in a regexp (alnum_table.go), the
// class Org's regexps take letters and digits by.
package wordsyntax

import "github.com/wallyqs/borges/internal/org/charwidth"

// Query prints emacs-version, then each run of code points that are all
// word constituents (1) or all not (0) in an org-mode buffer as
// "LO HI 1|0", every code point of Unicode in order (charwidth.Runs).
const Query = `(with-temp-buffer
  (org-mode)
  (let ((prev nil) (start 0) (c 0))
    (princ (format "%s\n" emacs-version))
    (while (<= c #x10FFFF)
      (let ((w (if (eq (char-syntax c) ?w) 1 0)))
        (unless (eql w prev)
          (when prev (princ (format "%X %X %d\n" start (1- c) prev)))
          (setq prev w start c)))
      (setq c (1+ c)))
    (princ (format "%X %X %d\n" start (1- c) prev))))`

// AlnumQuery prints emacs-version, then the runs of code points that
// match [[:alnum:]] (1) or not (0) in an org-mode buffer, as Query does:
// Emacs's letters, marks and decimal and letter numbers (alphanumericp),
// of the Unicode its tables have.
const AlnumQuery = `(with-temp-buffer
  (org-mode)
  (let ((prev nil) (start 0) (c 0))
    (princ (format "%s\n" emacs-version))
    (while (<= c #x10FFFF)
      (let ((w (if (string-match-p "[[:alnum:]]" (string c)) 1 0)))
        (unless (eql w prev)
          (when prev (princ (format "%X %X %d\n" start (1- c) prev)))
          (setq prev w start c)))
      (setq c (1+ c)))
    (princ (format "%X %X %d\n" start (1- c) prev))))`

// Range is a run of code points, all word constituents or all not.
type Range struct {
	Lo, Hi rune
	Word   bool
}

// FromEmacs runs emacs and returns its version and the runs of word and
// non-word characters of org-mode's syntax table, covering every code
// point.
func FromEmacs(emacs string) (version string, ranges []Range, err error) {
	return runsOf(emacs, Query)
}

// AlnumFromEmacs runs emacs and returns its version and the runs of
// characters that match [[:alnum:]] (Word set) and that do not.
func AlnumFromEmacs(emacs string) (version string, ranges []Range, err error) {
	return runsOf(emacs, AlnumQuery)
}

func runsOf(emacs, query string) (version string, ranges []Range, err error) {
	version, runs, err := charwidth.Runs(emacs, query)
	if err != nil {
		return "", nil, err
	}
	for _, r := range runs {
		ranges = append(ranges, Range{r.Lo, r.Hi, r.Width == 1})
	}
	return version, ranges, nil
}
