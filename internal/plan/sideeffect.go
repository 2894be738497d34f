package plan

import "strings"

// sideEffectHeads are Emacs Lisp functions and special forms whose call
// does more than compute a value, in ways Lisp of the document's (an
// Emacs Lisp block, a Lisp :var value), a later block or Emacs itself
// sees: a variable, the environment, the directory, a function, a hook,
// a hash table or a list's cells set; the buffer or a file changed; a
// library loaded; an error signalled; a process run; Emacs ended; and
// funcall, apply and eval, whose function or form is anything. A list
// of the pure functions alone (refusing every other call) would refuse
// what Emacs runs well and the tests accept: the document's own
// functions (TestBuildAcceptsLispHeaders) and those of Org's modules.
var sideEffectHeads = map[string]bool{}

func init() {
	for _, f := range strings.Fields(`setq setq-local setq-default set setf set-default defvar defvar-local defconst
		defcustom push pop add-to-list cl-pushnew cl-incf cl-decf incf decf makunbound fmakunbound put setplist
		setenv cd setcar setcdr aset nconc puthash remhash clrhash sort nreverse delete delq cl-remf
		defun defmacro defsubst defalias fset define-advice advice-add advice-remove provide load load-file require
		autoload add-hook remove-hook run-hooks customize-set-variable custom-set-variables customize-set-value
		funcall apply eval eval-buffer eval-region eval-expression org-babel-do-load-languages
		error signal user-error throw kill-emacs
		insert delete-region erase-buffer kill-buffer set-buffer switch-to-buffer find-file goto-char
		write-region with-temp-file delete-file delete-directory make-directory rename-file copy-file
		set-file-modes make-symbolic-link shell-command call-process start-process make-process
		shell-command-to-string process-file org-babel-execute-src-block org-babel-execute-buffer`) {
		sideEffectHeads[f] = true
	}
}

// sideEffectLisp reports whether src, Emacs Lisp, calls one of
// sideEffectHeads anywhere in it, or names one as a function (#'set):
// a conservative look, as any other function may do the same. What is
// not a call is skipped: strings, characters, comments, quoted data and
// vectors, let-bound names, lambda arguments, condition-case's and
// ignore-error's conditions, cond's clauses (their forms are looked at).
// A backquoted form is looked at as code.
func sideEffectLisp(src string) bool {
	r := lispScan{src: src}
	for {
		x, ok := r.read()
		if !ok {
			return false
		}
		if sideEffectForm(x) {
			return true
		}
	}
}

// sexp is a datum lispScan read: a symbol (or other atom), a list, or
// data never evaluated (a string, character, number, vector, quoted).
type sexp struct {
	sym    string
	list   []sexp
	isList bool
	data   bool
	// fn is a datum under #' (function).
	fn bool
}

type lispScan struct {
	src string
	i   int
}

const lispDelims = " \t\n\r\f()[]\"';`,"

// read reads the next datum; false at the end or a closing bracket.
func (r *lispScan) read() (sexp, bool) {
	for r.i < len(r.src) {
		c := r.src[r.i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f':
			r.i++
		case c == ';':
			for r.i < len(r.src) && r.src[r.i] != '\n' {
				r.i++
			}
		case c == ')' || c == ']':
			r.i++
			return sexp{}, false
		case c == '(' || c == '[':
			r.i++
			var l []sexp
			for {
				x, ok := r.read()
				if !ok {
					break
				}
				l = append(l, x)
			}
			return sexp{list: l, isList: true, data: c == '['}, true
		case c == '"':
			for r.i++; r.i < len(r.src) && r.src[r.i] != '"'; r.i++ {
				if r.src[r.i] == '\\' {
					r.i++
				}
			}
			r.i++
			return sexp{data: true}, true
		case c == '?':
			// A character: ?( and ?\( hold no list.
			r.i++
			if r.i < len(r.src) && r.src[r.i] == '\\' {
				r.i++
			}
			r.i++
			r.symbolRest()
			return sexp{data: true}, true
		case c == '\'':
			r.i++
			x, ok := r.read()
			return sexp{data: true, list: x.list}, ok
		case c == '#' && strings.HasPrefix(r.src[r.i:], "#'"):
			r.i += 2
			x, ok := r.read()
			x.fn = true
			return x, ok
		case c == '`' || c == ',':
			// Looked at as code: a backquote's unquoted forms run.
			r.i++
			if c == ',' && r.i < len(r.src) && r.src[r.i] == '@' {
				r.i++
			}
		default:
			start := r.i
			r.symbolRest()
			if r.i == start {
				r.i++
			}
			return sexp{sym: r.src[start:r.i]}, true
		}
	}
	return sexp{}, false
}

// symbolRest steps over a symbol's characters (a ? in it, foo?, is one).
func (r *lispScan) symbolRest() {
	for r.i < len(r.src) && !strings.ContainsRune(lispDelims, rune(r.src[r.i])) {
		if r.src[r.i] == '\\' {
			r.i++
		}
		r.i++
	}
}

// sideEffectForm reports whether x, evaluated, may call one of
// sideEffectHeads.
func sideEffectForm(x sexp) bool {
	if x.data {
		return false
	}
	if !x.isList {
		return x.fn && sideEffectHeads[x.sym]
	}
	if len(x.list) == 0 {
		return false
	}
	head := x.list[0]
	args := x.list[1:]
	if head.isList || head.data {
		return anySideEffect(x.list)
	}
	if sideEffectHeads[head.sym] {
		return true
	}
	switch head.sym {
	case "quote":
		return false
	case "function":
		if len(args) > 0 {
			args[0].fn = true
			return sideEffectForm(args[0])
		}
		return false
	case "lambda":
		if len(args) > 0 {
			return anySideEffect(args[1:])
		}
		return false
	case "let", "let*":
		if len(args) == 0 {
			return false
		}
		for _, b := range args[0].list {
			if b.isList && len(b.list) > 1 && anySideEffect(b.list[1:]) {
				return true
			}
		}
		return anySideEffect(args[1:])
	case "condition-case":
		if len(args) < 2 {
			return false
		}
		if sideEffectForm(args[1]) {
			return true
		}
		for _, h := range args[2:] {
			if h.isList && len(h.list) > 0 && anySideEffect(h.list[1:]) {
				return true
			}
		}
		return false
	case "ignore-error":
		if len(args) == 0 {
			return false
		}
		return anySideEffect(args[1:])
	case "cond":
		for _, c := range args {
			if c.isList && anySideEffect(c.list) {
				return true
			}
		}
		return false
	}
	return anySideEffect(args)
}

func anySideEffect(xs []sexp) bool {
	for _, x := range xs {
		if sideEffectForm(x) {
			return true
		}
	}
	return false
}
