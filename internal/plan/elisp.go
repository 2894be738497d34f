package plan

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/wallyqs/borges/internal/org"
)

// elispLangs are the languages ob-emacs-lisp evaluates ("elisp" is its
// alias).
var elispLangs = map[string]bool{"emacs-lisp": true, "elisp": true}

// surrogatesEscaped is printed, a Lisp value as the program of an Emacs
// Lisp block holds it, with each surrogate (ED, A0-BF, a continuation
// byte: a character of a value Emacs printed, Value.Chars) written as
// the Lisp reader's "\uD83D": Emacs reads the program's file in UTF-8,
// where those bytes would be three raw bytes.
func surrogatesEscaped(printed string) string {
	var b strings.Builder
	for i := 0; i < len(printed); i++ {
		if c := printed[i]; org.IsSurrogate(printed[i:]) {
			fmt.Fprintf(&b, "\\u%04X", rune(c&0x0f)<<12|rune(printed[i+1]&0x3f)<<6|rune(printed[i+2]&0x3f))
			i += 2
			continue
		}
		b.WriteByte(printed[i])
	}
	return b.String()
}

// elispInterpreter runs the program elispProgram writes: a batch Emacs
// without init files, which loads it and exits.
var elispInterpreter = []string{"emacs", "-Q", "--batch", "-l"}

// isLispForm reports whether a :var value is Lisp that org-babel-read
// evaluates: a form, a quoted or backquoted one, a vector.
func isLispForm(rhs string) bool {
	return rhs != "" && strings.ContainsRune("('`[", rune(rhs[0]))
}

// elispProgram is the program of an Emacs Lisp block: in the Org buffer
// of the document (orgBuffer: the document's Emacs's, with the results
// in inserted put in first; else the text as submitted), with point at the block
// (where org-babel-execute-buffer has it), Emacs reads the :var values as
// Babel does there (org-babel-read: Lisp is evaluated, with lexical
// binding), calls ob-emacs-lisp's own org-babel-execute:emacs-lisp with
// the block's body and parameters, and prints the value for org.ReadLisp
// (see emacsProgram).
func elispProgram(doc *org.Document, t *Task, blk *org.Block, refs map[string]Value, inserted map[string]org.Result) (string, error) {
	body, bound, err := elispBody(doc, t, blk, refs, false)
	if err != nil {
		return "", err
	}
	var params strings.Builder
	for i, bv := range t.values {
		name := elispString(bv.name)
		if bv.lisp != "" {
			read := "(org-babel-read " + elispString(bv.lisp) + ")"
			if t.LispVarsStop {
				// An error the value signals stops the document, not
				// the block's: signalled as a condition of its own
				// (lispVarError, LispVarErrorStop).
				read = "(condition-case borges--err " + read + "\n           (error (define-error '" + lispVarError + " \"Emacs Lisp error, evaluating a Lisp :var value\")\n                  (signal '" + lispVarError + " (list (error-message-string borges--err)))))"
			}
			fmt.Fprintf(&params, "\n         (cons :var (cons (intern %s) %s))", name, read)
			continue
		}
		if v := bound[i].value; v.Sandbox || v.Home {
			// A file link: its path in the sandbox, the document's
			// directory (see Value.Sandbox), or in the home directory.
			base := `(or (getenv "BORGES_SANDBOX") default-directory)`
			if v.Home {
				base = `(getenv "HOME")`
			}
			// "~user/…" (Value.User) Emacs expands itself.
			fmt.Fprintf(&params, "\n         (cons :var (cons (intern %s) (expand-file-name %s %s)))", name, elispString(v.Scalar), base)
			continue
		}
		printed := lispValue(bound[i].value)
		if bound[i].value.holdsChars() {
			printed = surrogatesEscaped(printed)
		}
		fmt.Fprintf(&params, "\n         (cons :var (cons (intern %s) '%s))", name, printed)
	}
	results, _ := blk.Args.Get("results")
	words := strings.Fields(results)
	quoted := make([]string, len(words))
	for i, w := range words {
		quoted[i] = elispString(w)
	}
	resultType := "value"
	if !valueMode(blk.Args) {
		resultType = "output"
	}
	// :lexical as Babel parsed it (org-babel-read): "yes", or a Lisp
	// form Emacs evaluates, such as '((x . 1)), the lexical environment
	// itself.
	lexical := `""`
	if a, ok := blk.Args.Lookup("lexical"); ok {
		lexical = elispString(a.Value)
		if a.Written != "" {
			// A constant Borges read ('(x), '"yes"): Emacs reads
			// the text itself.
			lexical = "(org-babel-read " + elispString(a.Written) + ")"
		} else if !a.String {
			lexical = "(org-babel-read " + lexical + ")"
		}
	}
	// Point: at the start of the #+begin_src (or #+call:) line, or at
	// the "src_" (or "call_") of an inline block, where
	// org-babel-map-executables leaves it.
	open, prelude, err := orgBuffer(doc, t, blk, inserted)
	if err != nil {
		return "", err
	}
	printed := fmt.Sprintf("(borges--print result (member \"list\" '(%s)))", strings.Join(quoted, " "))
	if t.valueForReference() {
		wrap := "nil"
		if resultType == "value" && (contains(words, "vector") || contains(words, "table")) {
			wrap = "t"
		}
		printed = "(borges--reference result " + wrap + ")"
	}
	if t.Session != nil {
		// In the document's Emacs: a block that changed the buffer
		// while a block found before it is not marked there signals
		// (borges--report could not report it).
		printed = "(progn (borges--no-gap-edited) " + printed + ")"
		if t.BodyErrorStops && !t.valueForReference() && !contains(words, "silent") && !contains(words, "none") {
			// Where its body left point off any block (text it
			// inserted at the block's start, point kept before it),
			// org-babel-insert-result finds no block there and
			// signals: org-babel-execute-buffer stops, no results
			// written (BodyErrorStop).
			printed = "(progn (borges--point-off-block) " + printed + ")"
		}
	}
	form := fmt.Sprintf(elispForm, open, params.String(),
		lexical, strings.Join(quoted, " "), resultType, elispString(body), printed)
	return emacsProgram(t, elispPrelude+prelude, form), nil
}

// orgBuffer opens the Org buffer a task of Emacs runs in, with point at
// blk, as the start of a form its caller closes: in the document's Emacs
// its buffer of the document (elisp_buffer.go), in a batch Emacs of the
// task's own a buffer of the document as submitted. prelude is what the
// form needs defined.
func orgBuffer(doc *org.Document, t *Task, blk *org.Block, inserted map[string]org.Result) (open, prelude string, err error) {
	if t.Session != nil {
		key := blk.Start
		if t.edit != nil {
			// Planned from the buffer: that Emacs knows the block by
			// its mark, set at its place in the document as submitted,
			// or by the key of a block added to the buffer.
			doc, key = t.edit.submitted, t.edit.added
			if t.edit.origin != nil {
				key = t.edit.origin.Start
			}
		}
		forms, err := bufferForms(doc, t, key, inserted)
		if err != nil {
			return "", "", err
		}
		return "(save-current-buffer\n" + forms, bufferPrelude, nil
	}
	if len(t.BufferResults) > 0 {
		// A batch Emacs of its own: the document with the results put
		// in before the block, point at it.
		results := make(map[int]org.Result, len(t.BufferResults))
		for _, br := range t.BufferResults {
			if r, ok := inserted[br.Task]; ok {
				results[br.Index] = r
			}
		}
		text, at := doc.WriteResultsAt(results, doc.Point(blk))
		return fmt.Sprintf("(with-temp-buffer\n(insert %s)\n"+orgModeBatch+"\n(goto-char %d)", elispString(text), 1+utf8.RuneCountInString(text[:at])), "", nil
	}
	return submittedBuffer(doc, blk), "", nil
}

// submittedBuffer opens a buffer of the document as submitted with point
// at blk, as the start of a form its caller closes.
func submittedBuffer(doc *org.Document, blk *org.Block) string {
	goTo := fmt.Sprintf("(forward-line %d)", max(blk.BeginLine, 1)-1)
	if blk.Inline > 0 {
		goTo = fmt.Sprintf("(forward-char %d)", utf8.RuneCountInString(doc.Text[:blk.Start]))
	}
	return "(with-temp-buffer\n(insert " + elispString(doc.Text) + ")\n" + orgModeBatch + "\n(goto-char (point-min))\n" + goTo
}

// emacsProgram is the program of a task Emacs runs: prelude (what the
// form needs) and form, whose value is the text the task's value is
// read from. In the document's Emacs (a session, see elisp_session.go)
// that value is the reply; a batch Emacs of the task's own writes it
// into $BORGES_VALUE_FILE.
//
// In the document's Emacs the form runs in the task's :dir, as Babel
// binds default-directory for a block (a batch Emacs of its own starts
// there): relative to the sandbox that Emacs started in, made if missing;
// without one, in that sandbox, whatever the block before it had.
func emacsProgram(t *Task, prelude, form string) string {
	if t.Session != nil {
		if t.BufferStart {
			// Its first program loads Org (see gcRaised).
			prelude = withGCRaised(prelude)
		}
		return prelude + `(let ((default-directory
       (file-name-as-directory
        (expand-file-name ` + elispString(t.Dir) + ` (or (getenv "BORGES_SANDBOX") default-directory)))))
  (make-directory default-directory t)
  ` + form + ")\n"
	}
	if StopsOnLispError(t) && t.lispVar == nil {
		// The error the block signals inside a :post stops the
		// document: a batch Emacs of its own writes it as its value,
		// marked (lispErrorMark), for ResultStop, where the document's
		// Emacs replies with it (session.ErrSignalled).
		form = "(condition-case borges--err " + form + "\n  (error (concat " + elispString(lispErrorMark) + " (error-message-string borges--err))))"
	}
	return withGCRaised(prelude) + `(let ((text ` + form + `))
  (let ((coding-system-for-write 'utf-8-unix))
    (write-region text nil (or (getenv "BORGES_VALUE_FILE") "borges-value") nil 'silent)))
`
}

// elispPrelude and elispForm are the program around an Emacs Lisp block
// (see elispProgram). The result is printed as org-babel-insert-result
// first sees it: nil (nothing), a string, a list it makes a table of; any
// other atom as %S, a list that is no table as %s; a cell that is neither
// a string, a number nor a symbol as the table's princ prints it.
const elispPrelude = `;; -*- coding: utf-8; lexical-binding: t -*-
;; An Emacs Lisp block run by Borges as org-babel-execute-buffer runs it.
(require 'org)
(require 'ob-emacs-lisp)
(setq org-confirm-babel-evaluate nil)
` + babelLanguages + elispPrinter + lispEncoder + elispReference

// elispPrinter defines borges--print, which prints a value as
// org-babel-insert-result first sees it, for org.ReadLisp: the programs
// of Emacs Lisp blocks and of the tasks reading a block's output in Emacs
// (emacsread.go) share it.
const elispPrinter = `(defun borges--tabulable (r)
  (and (proper-list-p r)
       (cl-every (lambda (e) (or (atom e) (proper-list-p e))) r)))
(defun borges--cell (c)
  (cond ((stringp c) (substring-no-properties c))
        ((or (numberp c) (symbolp c)) c)
        (t (format "%s" c))))
;; borges--unpropertied is e, a string, without its text properties
;; (org-get-heading's org-category, propertize), which prin1 would print
;; where org-babel-insert-result inserts its text; any other value as it is.
(defun borges--unpropertied (e)
  (if (stringp e) (substring-no-properties e) e))
(defun borges--printable (r keep)
  (cond ((null r) nil)
        ((stringp r) (substring-no-properties r))
        ((not (listp r)) (format "%S" r))
        ;; A list that is no table is written as text (examplified),
        ;; and no :results table or vector wraps it, as it is a list:
        ;; under :results list one item per element of a proper list,
        ;; printed with %S (a string as it is), else printed with %s.
        ;; Under :results list a list that is no proper list (a cons)
        ;; stops Emacs once it has written the keyword. These are
        ;; marked (borges--mark, see borges--print).
        ((and keep (not (proper-list-p r)))
         (list borges--mark "#<borges-list-stop>" (format "%s" r)))
        ((and keep (not (borges--tabulable r)))
         (list borges--mark "#<borges-list-items>"
               (mapcar (lambda (e) (borges--unpropertied (if (stringp e) e (format "%S" e)))) r)))
        ((not (borges--tabulable r))
         (list borges--mark "#<borges-list-text>" (format "%s" r)))
        ;; Under :results list a row is printed with %S: its cells stay;
        ;; a string item is inserted as it is, its text properties
        ;; (org-get-heading's org-category) not printed.
        (keep (mapcar #'borges--unpropertied r))
        ((cl-every (lambda (e) (or (eq e 'hline) (listp e))) r)
         (mapcar (lambda (e) (if (listp e) (mapcar #'borges--cell e) e)) r))
        (t (mapcar #'borges--cell r))))
;; borges--print prints a marked value (borges--mark, an uninterned
;; symbol no value of a block can hold, heading it) as its mark, which
;; no printed value starts with (a value prints as nil, a string or a
;; list, which may start with #' but never #<), and then its text
;; printed: org.ReadLisp reads the mark.
(defvar borges--mark (make-symbol "borges--mark"))
(defun borges--print (r keep)
  (let ((print-level nil) (print-length nil) (print-escape-newlines nil)
        (print-escape-control-characters nil) (print-escape-nonascii nil)
        (print-escape-multibyte nil) (print-quoted t)
        (p (borges--printable r keep)))
    (if (and (consp p) (eq (car p) borges--mark))
        (concat (nth 1 p) (prin1-to-string (nth 2 p)))
      (prin1-to-string p))))
`

const elispForm = `(let ((result
        %s
          (let* ((params
                  (list%s
                   (cons :lexical %s)
                   (cons :result-params '(%s))
                   (cons :result-type '%s))))
            (org-babel-execute:emacs-lisp %s params)))))
  %s)`

// elispReference defines borges--reference, which prints the value of a
// run of an Emacs Lisp block that a reference makes, typed (borges--enc,
// for readLispVar), as org-babel-ref-resolve hands it on: the Lisp value
// itself (nested lists, vectors, symbols inside lists), an atom made a
// table of one cell under :results table or vector (wrap, as
// org-babel-execute-src-block does), a symbol (nil too) its printed name.
const elispReference = `(defun borges--reference (r wrap)
  (let ((print-level nil) (print-length nil) (print-escape-newlines nil)
        (print-escape-control-characters nil) (print-escape-nonascii nil)
        (print-escape-multibyte nil))
    (when (and wrap (not (listp r))) (setq r (list (list r))))
    (borges--enc (if (symbolp r) (format "%S" r) r))))
`

// valueForReference says whether the task is a run of an Emacs Lisp
// block that only a reference uses (its results written nowhere): it
// prints the Lisp value as the reference receives it, not as
// org-babel-insert-result would write it.
func (t *Task) valueForReference() bool {
	return t.Reader == org.ReadLisp && t.lispVar == nil && !t.ReadsOutput && t.ResultsIndex() < 0
}

// elispString is a Lisp string literal of s: only " and \ need a
// backslash; every other character stands for itself.
func elispString(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

// lispValue prints a value as Babel hands it to an Emacs Lisp block:
// numbers as numbers, strings quoted, a list as a list, a table as a list
// of rows (its rules already dropped, :hlines no).
func lispValue(v Value) string {
	if v.Table != nil {
		return "(" + strings.Join(printedRows(v), " ") + ")"
	}
	return printValue(v)
}

// elispExpanded is org-babel-expand-body:emacs-lisp, which the :cache
// hash covers: the body, in a let of the :var values when there are any.
// A value that is Lisp to evaluate has no text before Emacs runs: such a
// block cannot be hashed (Build refuses :cache yes with one).
func elispExpanded(doc *org.Document, t *Task, blk *org.Block, refs map[string]Value) (string, error) {
	body, bound, err := elispBody(doc, t, blk, refs, true)
	if err != nil {
		return "", err
	}
	if len(bound) == 0 {
		return body + "\n", nil
	}
	lets := make([]string, len(bound))
	for i, bv := range bound {
		if lisp := t.values[i].lisp; lisp != "" {
			if _, literal, err := parseLiteral(lisp); err != nil || !literal {
				return "", fmt.Errorf("block %s: :cache yes with a Lisp :var value (%s) cannot be hashed before Emacs evaluates it", t.Block, lisp)
			}
		}
		lets[i] = "(" + org.PrintSymbol(bv.name) + " '" + lispValue(bv.value) + ")"
	}
	return "(let (" + strings.Join(lets, "\n      ") + ")\n" + body + "\n)", nil
}

// elispBody is an Emacs Lisp block's body with its noweb references
// expanded (hashed: coderef labels kept, see blockBody) and the values its
// :var references receive (ob-emacs-lisp takes neither :prologue nor
// :epilogue).
func elispBody(doc *org.Document, t *Task, blk *org.Block, refs map[string]Value, hashed bool) (string, []bound, error) {
	body, err := blockBody(doc, t, blk, refs, hashed)
	if err != nil {
		return "", nil, err
	}
	bound, err := t.bind(blk, refs)
	if err != nil {
		return "", nil, err
	}
	return body, bound, nil
}
