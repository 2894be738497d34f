package org

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// This file is Babel's header-argument machinery: splitting a header line
// into arguments (org-babel-parse-header-arguments), reading their values
// (org-babel-read without Lisp evaluation), splitting :var
// (org-babel-parse-multiple-vars) and merging layers
// (org-babel-merge-params).

// rawArg is one parsed header argument before merging. Value is nil when
// the argument has no value (":noweb" alone).
type rawArg struct {
	Key   string // as written, colon included: ":results"
	Value *string
	// Number is set when Babel read the value as a number: Emacs then
	// refuses it for :results, :exports and :var.
	Number bool
	// String is set when the value was a Lisp string ("42", "[]"),
	// which Babel reads as that string whatever it holds.
	String bool
	// Symbol is set when the value is a symbol a default alist holds
	// (an Emacs Lisp block's (:foo . bar)): Value is it as prin1
	// prints it.
	Symbol bool
	// Printed is set when the value is a Lisp list or vector (or an
	// infinity or NaN), Value as prin1 prints it (see lispConstant).
	Printed bool
	// Written is the Lisp text Babel evaluated to Value (see
	// lispConstant), "" for a value not evaluated.
	Written string
	// Form is set when the value is Lisp org-babel-read evaluates and
	// Borges does not (a call such as (concat "n" "o")): Value is the
	// text as written, which only a light read keeps (see Arg.Form).
	Form bool
	// Called is set when a :results or :exports value was a function
	// Babel calls once as it merges (lispConstant): Value is what it
	// returned.
	Called bool
	// fails is set on a Form that is a function Babel calls without
	// arguments and that needs some: Emacs stops at the block
	// (wrong-number-of-arguments), which fails says.
	fails string
	// void is set on a Form that is a function Babel calls once merged
	// whose call calls a function Emacs -Q with Org does not have:
	// Emacs stops at the block (void-function), unless the document
	// defines it first, which a merger told so drops (merger.void).
	// voidRead is set on a Form whose evaluation, as Emacs reads the
	// header, does so: the merger refuses it in whatever layer, replaced
	// by a later value or not.
	void, voidRead string
}

// defaultArgs is org-babel-default-header-args (Org 9.5.5). Its values,
// as those of the other built-in defaults, are Lisp strings (String), as
// an Emacs reports them: a buffer whose defaults no block changed parses
// to the same arguments as the document.
var defaultArgs = []rawArg{
	{Key: ":session", Value: strp("none"), String: true},
	{Key: ":results", Value: strp("replace"), String: true},
	{Key: ":exports", Value: strp("code"), String: true},
	{Key: ":cache", Value: strp("no"), String: true},
	{Key: ":noweb", Value: strp("no"), String: true},
	{Key: ":hlines", Value: strp("no"), String: true},
	{Key: ":tangle", Value: strp("no"), String: true},
}

// langDefaultArgs are the org-babel-default-header-args:LANG of the
// languages Borges reads as Emacs with them loaded (ob-emacs-lisp,
// ob-shell, ob-python, ob-ruby, ob-perl, ob-js): only Emacs Lisp has any.
var langDefaultArgs = map[string][]rawArg{
	"emacs-lisp": {{Key: ":lexical", Value: strp("no"), String: true}},
	"elisp":      {{Key: ":lexical", Value: strp("no"), String: true}},
}

func strp(s string) *string { return &s }

// balancedSplit is org-babel-balanced-split with ALTS ((32 9) . 58): split
// where a space or tab is followed by a colon (dropping the blank), but not
// inside brackets, parentheses or double quotes.
func balancedSplit(s string, twoFold bool) []string {
	pieces, _ := balancedSplitBy(s, twoFold, ' ')
	return pieces
}

// balancedSplitBy is org-babel-balanced-split: with twoFold, split where a
// space or tab is followed by a colon (dropping the blank); otherwise split
// on sep. clean reports that every bracket and double quote closed within
// s: splitting s followed by more text then splits s as here.
//
// Each opening bracket's match is found in one pass over s (bracketEnds),
// and a double quote with no closing one means none of the later ones has
// any: a line of many unclosed brackets or quotes costs its length, not its
// square.
func balancedSplitBy(s string, twoFold bool, sep byte) (result []string, clean bool) {
	var partial []byte
	flush := func() {
		if len(partial) > 0 {
			result = append(result, string(partial))
			partial = partial[:0]
		}
	}
	clean = true
	var ends []int32 // bracketEnds(s), computed at the first bracket
	noQuoteFrom := len(s) + 1
	i := 0
	for i < len(s) {
		c := s[i]
		var past byte
		hasPast := i > 0
		if hasPast {
			past = s[i-1]
		}
		split := false
		if twoFold {
			split = hasPast && (past == ' ' || past == '\t') && c == ':'
		} else {
			split = c == sep
		}
		switch {
		case split:
			if twoFold && len(partial) > 0 {
				partial = partial[:len(partial)-1]
			}
			flush()
			i++
		case c == '(' || c == '[':
			// Include everything up to the balancing bracket.
			if ends == nil {
				ends = bracketEnds(s)
			}
			if j := int(ends[i]); j > 0 {
				partial = append(partial, s[i:j]...)
				i = j
			} else {
				clean = false
				partial = append(partial, c)
				i++
			}
		case c == '"' && !(hasPast && past == '\\'):
			// Up to the next double quote not preceded by a backslash
			// ("[^\\]\"" searched from the quote itself).
			end := -1
			if i < noQuoteFrom {
				for k := i + 1; k < len(s); k++ {
					if s[k] == '"' && s[k-1] != '\\' {
						end = k
						break
					}
				}
				if end < 0 {
					noQuoteFrom = i
				}
			}
			if end >= 0 && end-1 >= i {
				partial = append(partial, s[i:end+1]...)
				i = end + 1
			} else {
				clean = false
				partial = append(partial, '"')
				i++
			}
		default:
			partial = append(partial, c)
			i++
		}
	}
	flush()
	return result, clean
}

// bracketEnds maps each opening bracket or parenthesis of s to the index
// just past the one balancing it (balancedEnd), or 0 when none does. One
// stack serves all: the scan balancedEnd makes from an opening bracket is
// this scan while that bracket is on the stack.
func bracketEnds(s string) []int32 {
	ends := make([]int32, len(s))
	var stack []int32
	for j := 0; j < len(s); j++ {
		switch c := s[j]; c {
		case '[', '(':
			stack = append(stack, int32(j))
		case ']', ')':
			if n := len(stack); n > 0 {
				open := s[stack[n-1]]
				if c == ']' && open == '[' || c == ')' && open == '(' {
					ends[stack[n-1]] = int32(j + 1)
					stack = stack[:n-1]
				}
			}
		}
	}
	return ends
}

// parseHeaderArgs is org-babel-parse-header-arguments with NO-EVAL: the
// arguments of one header line in order, :var split into one per
// variable. An error reports what Emacs would signal.
func parseHeaderArgs(s string) ([]rawArg, error) {
	args, _, err := parseHeaderArgsClean(s)
	return args, err
}

// parseHeaderArgsClean is parseHeaderArgs, also reporting whether s
// splits into at least one piece and its brackets and quotes all close
// within it (see balancedSplitBy): reading s, a blank and an argument is
// then reading s, then the argument.
func parseHeaderArgsClean(s string) (args []rawArg, closed bool, err error) {
	if !hasNonWhite(s) {
		return nil, false, nil
	}
	raw, clean := balancedSplitBy(s, true, ' ')
	out, err := readHeaderPieces(raw)
	return out, clean && len(raw) > 0, err
}

// readHeaderPieces reads the pieces of a split header line.
func readHeaderPieces(raw []string) ([]rawArg, error) {
	var out []rawArg
	for n, piece := range raw {
		arg := piece
		if n > 0 {
			arg = ":" + piece
		}
		key, value, hasValue := splitKeyValue(arg)
		if !hasValue {
			if chomp(arg) == ":var" {
				// org-babel-parse-multiple-vars splits the nil value
				// of a bare :var, inserting it in a buffer.
				return nil, &blockError{
					problem: ":var without a value: Emacs inserts the value in a buffer to split it, and nil is no text: Emacs stops at the block (wrong-type-argument char-or-string-p); write :var NAME=VALUE or drop it",
					stop:    "Wrong type argument: char-or-string-p, nil",
				}
			}
			out = append(out, rawArg{Key: chomp(arg)})
			continue
		}
		v, isNum, err := babelRead(chomp(value))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", key, err)
		}
		isString := !isNum && strings.HasPrefix(chomp(value), `"`)
		if isNum && key == ":var" {
			// org-babel-parse-multiple-vars inserts the number in a
			// buffer (org-babel-balanced-split): the character of
			// that code.
			one, ok, err := varNumber(v)
			if err != nil {
				return nil, err
			}
			if ok {
				out = append(out, rawArg{Key: ":var", Value: strp(one)})
			}
			continue
		}
		if isNum {
			out = append(out, rawArg{Key: key, Value: strp(v), Number: true})
			continue
		}
		if key == ":var" {
			for _, one := range splitVars(v) {
				out = append(out, rawArg{Key: ":var", Value: strp(one)})
			}
			continue
		}
		if !isString && startsLispForm(v) {
			if c, ok := lispConstant(key, v); ok {
				out = append(out, c)
			} else {
				out = append(out, rawArg{Key: key, Value: strp(v), Form: true, fails: c.fails, void: c.void, voidRead: c.voidRead})
			}
			continue
		}
		out = append(out, rawArg{Key: key, Value: strp(v), String: isString})
	}
	return out, nil
}

// varNumber is what org-babel-parse-multiple-vars makes of a :var header
// value org-babel-read read as the number n (as Emacs prints it): it
// inserts n in a buffer, the character of that code, splits that on
// blanks and trims it (org-trim). ok is false when nothing is left (a
// space): no :var at all. A value that is no character code (a float, a
// negative number, one past Emacs's characters) stops Emacs at the block
// (wrong-type-argument char-or-string-p); a code Borges does not hold as
// a character (a surrogate, past U+10FFFF) is refused.
func varNumber(n string) (string, bool, error) {
	c, err := strconv.ParseInt(n, 10, 64)
	if err != nil || c < 0 || c > 0x3FFFFF {
		return "", false, &blockError{
			problem: fmt.Sprintf(":var %s: Emacs inserts a number given to :var as the character of that code, and %s is none: Emacs stops at the block (wrong-type-argument char-or-string-p); write :var NAME=%s", n, n, n),
			stop:    "Wrong type argument: char-or-string-p, " + n,
		}
	}
	if !utf8.ValidRune(rune(c)) {
		return "", false, fmt.Errorf(":var %s: Emacs inserts a number given to :var as the character of that code, which is no Unicode character Borges handles; write :var NAME=%s", n, n)
	}
	if c == ' ' {
		return "", false, nil
	}
	return strings.Trim(string(rune(c)), " \f\t\n\r\v"), true, nil
}

// splitKeyValue applies
// "\([^ \f\t\n\r\v]+\)[ \f\t\n\r\v]+\([^ \f\t\n\r\v]+.*\)" (unanchored).
func splitKeyValue(arg string) (key, value string, ok bool) {
	for start := 0; start < len(arg); start++ {
		if isBabelSpace(arg[start]) {
			continue
		}
		k := start
		for k < len(arg) && !isBabelSpace(arg[k]) {
			k++
		}
		w := k
		for w < len(arg) && isBabelSpace(arg[w]) {
			w++
		}
		if w > k && w < len(arg) && arg[w] != '\n' {
			// ".*" stops at a newline.
			end := strings.IndexByte(arg[w:], '\n')
			if end < 0 {
				end = len(arg)
			} else {
				end += w
			}
			return arg[start:k], arg[w:end], true
		}
		start = k
	}
	return "", "", false
}

// lispConstant is org-babel-read's (eval (read cell) t) of a header
// value starting with ( ' ` or [ where that value is a constant: a quoted
// datum, a backquoted one without a comma, a vector, (quote X), or a
// lambda without arguments Babel calls (callHeaderFunction). The
// value is then what it evaluates to: a string (String), a number, a
// symbol (Symbol, as prin1 prints it), a list or vector (Printed), or
// nil (no value); Written keeps the text, which a called block's own
// header keeps (org-babel-lob-get-info reads it light, unevaluated).
// ok is false for any other form (a call, a comma, syntax Borges does
// not read, such as a dotted pair or a character of a modifier but
// control: readCharOrRadix; characters it reads are integers, as in
// Emacs): its value stays as
// written, where Emacs evaluates it (rawArg.Form). It is false too for
// a function Babel calls without arguments that needs some, and the
// rawArg returned then has fails set (see needsArguments).
func lispConstant(key, text string) (rawArg, bool) {
	d, _, ok := readLispDatum(text, 0)
	if !ok {
		return rawArg{}, false
	}
	if d.kind == lispList && len(d.items) == 2 && d.items[0].kind == lispSym && d.items[0].text == "function" {
		// (function X) is X, as quote gives it (a lambda made a
		// closure, which Babel calls as a quoted lambda).
		d = lispDatum{kind: lispList, items: []lispDatum{{kind: lispSym, text: "quote"}, d.items[1]}}
	}
	v, failed, known := evalLispDatum(d)
	if isLambda(d) {
		// A closure, which Babel calls as a quoted lambda.
		v, failed, known = d, false, true
	}
	if !known || failed {
		return rawArg{voidRead: voidFunction(key, text, "evaluates this form", voidCall(d))}, false
	}
	a := rawArg{Key: key, Written: text}
	if (key == ":results" || key == ":exports") && isHeaderFunction(v) {
		// org-babel-merge-params calls it once and splits what it
		// returns, which must be a string (merger.add).
		called := v
		var needs int
		if v, known, needs = callHeaderFunction(v); !known {
			fails, void := callFails(key, text, callFailure{fn: called, needs: needs})
			return rawArg{fails: fails, void: void}, false
		}
		a.Called = true
	} else {
		var f callFailure
		if v, known, f = callHeaderFunctions(v); !known {
			fails, void := callFails(key, text, f)
			return rawArg{fails: fails, void: void}, false
		}
	}
	switch {
	case v.kind == lispStr:
		a.Value, a.String = strp(v.text), true
	case v.kind == lispNum && !isReadNumber(v.text):
		// An infinity or a NaN, which org-babel-read never reads
		// from text: printed bare, as a list is.
		a.Value, a.Printed = strp(v.text), true
	case v.kind == lispNum:
		a.Value, a.Number = strp(v.text), true
	case isLispNil(v):
		// nil: as the key without a value.
	case v.kind == lispSym:
		a.Value, a.Symbol = strp(printSymbol(v.text)), true
	default:
		a.Value, a.Printed = strp(printLispDatum(v, false)), true
	}
	return a, true
}

// isLambda reports whether d is a lambda form, (lambda ARGS BODY...),
// which eval makes a closure of.
func isLambda(d lispDatum) bool {
	return d.kind == lispList && len(d.items) >= 2 && d.items[0].kind == lispSym && d.items[0].text == "lambda"
}

// isReadNumber reports whether org-babel-read reads s as a number.
func isReadNumber(s string) bool {
	_, ok := lispNumber(s)
	return ok
}

// callFailure is the function whose call, without arguments, Borges
// does not know the value of as Babel calls header value after header
// value (callHeaderFunctions): fn, the header value's value or, second,
// the function a first call returned; needs is the number of arguments
// it needs, where that is above 0.
type callFailure struct {
	fn     lispDatum
	needs  int
	second bool
}

// needsArguments is the error of a header value that is a function
// Babel calls without arguments where it, or the function it returns
// (f.second), needs some (f.needs > 0): Emacs stops at the block with
// wrong-number-of-arguments. "" for needs 0.
func needsArguments(key, text string, f callFailure) string {
	if f.needs <= 0 {
		return ""
	}
	what := fmt.Sprintf("it needs at least %d", f.needs)
	if f.second {
		what = fmt.Sprintf("it returns %s, which Babel calls too, and which needs at least %d", printLispDatum(f.fn, false), f.needs)
	}
	return fmt.Sprintf("%s %s: Emacs calls this function without arguments as it reads the header, and %s: Emacs stops at the block (wrong-number-of-arguments): write the value itself (%s \"VALUE\")", key, text, what, key)
}

// callFails is the error of header value text, a function Babel calls
// without arguments whose value Borges does not know (f), where Emacs
// stops at the block: it needs arguments, or it is a lambda whose list
// of parameters funcall_lambda refuses (fails, wrong-number-of-arguments
// or invalid-function), or one whose body calls a function Emacs does
// not have (void, void-function). "" where Borges does not know it fails.
func callFails(key, text string, f callFailure) (fails, void string) {
	if f.needs > 0 {
		return needsArguments(key, text, f), ""
	}
	how := "calls this function"
	if f.second {
		how = "calls the function this function returns"
	}
	if isLambda(f.fn) && !lambdaListValid(f.fn.items[1]) {
		what := "its parameters " + printLispDatum(f.fn.items[1], false)
		if f.second {
			what = "it returns " + printLispDatum(f.fn, false) + ", which Babel calls too, and whose parameters " + printLispDatum(f.fn.items[1], false)
		}
		return fmt.Sprintf("%s %s: Emacs calls this function as it reads the header, and %s are no lambda list: Emacs stops at the block (invalid-function): write the value itself (%s \"VALUE\")", key, text, what, key), ""
	}
	return "", voidFunction(key, text, how, lambdaVoidCall(f.fn))
}

// voidFunction is the error of header value text whose evaluation (how
// says which) calls fn, a function Emacs does not have (emacsFbound):
// Emacs stops at the block with void-function. "" for fn "".
func voidFunction(key, text, how, fn string) string {
	if fn == "" {
		return ""
	}
	advice := "write the value itself (" + key + ` "VALUE")`
	if key == ":return" {
		// Python's expression, which Emacs reads as Lisp.
		advice = "write the expression as a Lisp string: :return \"" + strings.ReplaceAll(text, `"`, `\"`) + `"`
	}
	return fmt.Sprintf("%s %s: Emacs %s as it reads the header, and it calls %s, which is no function in Emacs (emacs -Q with Org): Emacs stops at the block (void-function %s): %s", key, text, how, fn, fn, advice)
}

// voidCall is the function Emacs does not have (emacsFbound) that
// evaluating form d calls first, "" where none is known to be: a call of
// it, or of a function whose arguments, evaluated in turn, call it
// before anything that is not a constant. A macro's or special form's
// arguments are not looked at (they may be evaluated otherwise, or not).
func voidCall(d lispDatum) string {
	if d.kind != lispList || len(d.items) == 0 || d.items[0].kind != lispSym {
		return ""
	}
	needs, ok := emacsFbound(d.items[0].text)
	if !ok {
		return d.items[0].text
	}
	if needs == notFunction {
		return ""
	}
	for _, arg := range d.items[1:] {
		if _, failed, known := evalLispDatum(arg); !known || failed {
			return voidCall(arg)
		}
	}
	return ""
}

// lambdaVoidCall is voidCall of calling lambda d without arguments: its
// body forms evaluated in turn, up to the first that is not a constant.
func lambdaVoidCall(d lispDatum) string {
	if !isLambda(d) {
		return ""
	}
	if required, ok := lambdaRequired(d.items[1]); !ok || required > 0 || !lambdaListValid(d.items[1]) {
		return ""
	}
	for _, form := range d.items[2:] {
		if form.kind == lispSym && isLambdaParam(d.items[1], form.text) {
			continue
		}
		if _, failed, known := evalLispDatum(form); !known || failed {
			return voidCall(form)
		}
	}
	return ""
}

// callHeaderFunctions is the value Babel runs a block with of a header
// value v: org-babel-merge-params calls a function (callHeaderFunction)
// each time it merges, and merges twice as a block runs
// (org-babel-get-src-block-info, then org-babel-execute-src-block), so a
// function returned by the first call is called too. known is false for
// a value that is a function still, and for one called whose value Borges
// does not know, which f is.
func callHeaderFunctions(v lispDatum) (r lispDatum, known bool, f callFailure) {
	for i := range 2 {
		called := v
		var needs int
		if v, known, needs = callHeaderFunction(v); !known {
			return lispDatum{}, false, callFailure{fn: called, needs: needs, second: i == 1}
		}
	}
	if isLambda(v) || v.kind == lispSym && isEmacsFunction(v.text) {
		return lispDatum{}, false, callFailure{}
	}
	return v, true, callFailure{}
}

// isHeaderFunction reports whether Babel calls v as a header value: a
// lambda, or a symbol naming a function Emacs has.
func isHeaderFunction(v lispDatum) bool {
	if v.kind == lispSym {
		_, constant := functionValues[v.text]
		return constant || isEmacsFunction(v.text)
	}
	return isLambda(v) || v.kind == lispList && len(v.items) > 0 && v.items[0].kind == lispSym && v.items[0].text == "closure"
}

// callHeaderFunction is org-babel-eval-headers of one value: Babel
// calls a value that is a function with no arguments. A lambda whose
// parameters are all optional (none, &optional, &rest: each is nil) and
// whose body forms are constants or its parameters gives its last
// form's value; known is
// false for another function (a body Borges does not evaluate, a
// closure), whose value Borges cannot compute, and for a lambda with a
// required parameter, which Emacs refuses to call without arguments:
// needs is then the number it needs. A symbol naming a function Emacs
// has (emacsFunctions) is called too: known for the few whose value
// without arguments is a constant (functionValues), not for the others,
// with needs set for one that needs arguments. Any other value is
// itself.
func callHeaderFunction(v lispDatum) (r lispDatum, known bool, needs int) {
	if v.kind == lispSym {
		if r, ok := functionValues[v.text]; ok {
			return r, true, 0
		}
		n, ok := emacsFunctionNeeds(v.text)
		if !ok {
			return v, true, 0
		}
		return lispDatum{}, false, max(n, 0)
	}
	if v.kind != lispList || len(v.items) == 0 || v.items[0].kind != lispSym {
		return v, true, 0
	}
	switch v.items[0].text {
	case "closure":
		return lispDatum{}, false, 0
	case "lambda":
	default:
		return v, true, 0
	}
	if len(v.items) < 2 {
		return lispDatum{}, false, 0
	}
	required, ok := lambdaRequired(v.items[1])
	if !ok || required > 0 || !lambdaListValid(v.items[1]) {
		// Emacs refuses to call it: wrong-number-of-arguments, or
		// invalid-function (callFails).
		return lispDatum{}, false, required
	}
	nilValue := lispDatum{kind: lispSym, text: "nil"}
	result := nilValue
	for _, form := range v.items[2:] {
		if form.kind == lispSym && isLambdaParam(v.items[1], form.text) {
			result = nilValue // a parameter, given no argument
			continue
		}
		r, failed, known := evalLispDatum(form)
		if failed || !known {
			return lispDatum{}, false, 0
		}
		result = r
	}
	return result, true, 0
}

// isLambdaParam reports whether name is one of the parameters params
// (a lambda's argument list) lists.
func isLambdaParam(params lispDatum, name string) bool {
	if params.kind != lispList || name == "&optional" || name == "&rest" {
		return false
	}
	for _, p := range params.items {
		if p.kind == lispSym && p.text == name {
			return true
		}
	}
	return false
}

// lambdaRequired is the number of required parameters of a lambda's
// argument list (those before &optional or &rest, t and nil among them:
// Emacs 28.2 signals wrong-number-of-arguments calling (lambda (t) 2)
// with none); ok is false for a list that is not one of symbols, required
// then counting those before the first that is not, and for t or nil
// after &optional or &rest, which Emacs binds or refuses
// (setting-constant) as the lambda's binding is lexical or dynamic.
func lambdaRequired(params lispDatum) (required int, ok bool) {
	if isLispNil(params) {
		return 0, true
	}
	if params.kind != lispList {
		return 0, false
	}
	optional := false
	for _, p := range params.items {
		if !lambdaParamSymbol(p) {
			// The required ones before it still count: funcall_lambda
			// takes the parameters in order, and stops at the first
			// it has no argument for (wrong-number-of-arguments)
			// before it looks at this one.
			return required, false
		}
		switch {
		case p.text == "&optional" || p.text == "&rest":
			optional = true
		case !optional:
			required++
		case isLispNil(p) || p.text == "t":
			return required, false
		}
	}
	return required, true
}

// lambdaParamSymbol reports whether p, in a lambda's list of parameters,
// is a symbol (nil written () too), as funcall_lambda wants; a string
// "&optional" is none.
func lambdaParamSymbol(p lispDatum) bool {
	return p.kind == lispSym || isLispNil(p)
}

// lambdaListValid reports whether funcall_lambda takes params, a lambda's
// list of parameters without required ones (lambdaRequired): each is a
// symbol (not (lambda (1) 2), nor (lambda ("a") 2)), &rest is followed
// by a variable, and neither &optional nor &rest comes twice, or
// &optional after &rest. Emacs signals invalid-function otherwise.
func lambdaListValid(params lispDatum) bool {
	if params.kind != lispList {
		return true // nil
	}
	optional, rest, afterRest := false, false, false
	for _, p := range params.items {
		if !lambdaParamSymbol(p) {
			return false // (lambda (1) 2), (lambda ("a") 2), (lambda ("&optional") 2)
		}
		switch p.text {
		case "&rest":
			if rest {
				return false
			}
			rest, afterRest = true, true
		case "&optional":
			if optional || rest {
				return false
			}
			optional = true
		default:
			afterRest = false
		}
	}
	return !afterRest
}

// babelRead is org-babel-read with INHIBIT-LISP-EVAL: numbers are read and
// printed back as Emacs prints them, a leading double quote reads a Lisp
// string, anything else stays as written.
func babelRead(cell string) (string, bool, error) {
	if !hasNonWhite(cell) {
		return cell, false, nil
	}
	if n, ok := stringToNumber(cell); ok {
		return n, true, nil
	}
	if cell[0] == '"' {
		v, err := readLispStringErr(cell)
		if err != nil {
			return "", false, err
		}
		return v, false, nil
	}
	return cell, false, nil
}

// stringToNumber is org-babel--string-to-number: the number s reads as,
// printed as Emacs prints it. Its pattern "^[0-9e.+ -]+$" (case folded)
// allows spaces, which `read' skips, so " 1" and "1 " (a quoted cell's
// text, org-babel-string-read trimming nothing) read 1; org-trim's text
// may hold no whitespace, so "1 2" is no number.
func stringToNumber(s string) (string, bool) {
	if s == "" || !isTrimByte(s[0]) && !isTrimByte(s[len(s)-1]) {
		// Nothing to trim, the usual cell: the pattern and read are
		// lispNumber's, and a number holds no whitespace. Most cells
		// fail at their first byte.
		return lispNumber(s)
	}
	t := orgTrim(s)
	if t == "" || hasSpaceSyntax(t) || !hasNumberLine(s) {
		return "", false
	}
	// read skips the whitespace before t, and t's token ends with it. A
	// t of bytes outside the pattern is no number here; in Emacs only a
	// text with a line of spaces alone (a newline, which no cell or
	// header value holds) could let read take one (#x10, ?a).
	return lispNumber(t)
}

// hasNumberLine is org-babel--string-to-number's pattern
// "^[0-9e.+ -]+$", case folded: some line of s is bytes of that class
// alone, at least one.
func hasNumberLine(s string) bool {
	for ln, rest, more := "", s, true; more; {
		ln, rest, more = strings.Cut(rest, "\n")
		if ln != "" && strings.Trim(ln, "0123456789eE.+ -") == "" {
			return true
		}
	}
	return false
}

// hasSpaceSyntax reports whether s holds a space, tab, newline, carriage
// return or form feed.
func hasSpaceSyntax(s string) bool {
	for i := 0; i < len(s); i++ {
		if isSpaceSyntax(s[i]) {
			return true
		}
	}
	return false
}

// splitVars is org-babel-parse-multiple-vars for one :var value: split on
// spaces outside brackets and quotes, rejoin around "=", trim.
func splitVars(v string) []string {
	parts := balancedSplit(v, false)
	// Each variable is a run of parts, joined once (joining part by part
	// made "a= = = …" quadratic). A run ends with "=" when its last part
	// does: parts are never empty.
	var runs [][]string
	for _, el := range parts {
		if n := len(runs); n > 0 {
			last := runs[n-1]
			if strings.HasSuffix(last[len(last)-1], "=") || strings.HasPrefix(el, "=") {
				runs[n-1] = append(last, el)
				continue
			}
		}
		runs = append(runs, []string{el})
	}
	if len(runs) == 0 {
		return nil
	}
	joined := make([]string, len(runs))
	for i, run := range runs {
		joined[i] = orgTrim(strings.Join(run, ""))
	}
	return joined
}

// Babel's exclusive groups of :results and :exports words.
var resultsGroups = [][]string{
	{"file", "list", "vector", "table", "scalar", "verbatim"},
	{"raw", "html", "latex", "org", "code", "pp", "drawer", "link", "graphics"},
	{"replace", "silent", "none", "append", "prepend"},
	{"output", "value"},
}

var exportsGroups = [][]string{{"code", "results", "both", "none"}}

// wordMerge is the merge closure of org-babel-merge-params for :results
// or :exports, over all the merges of one block. Each merge pushes the
// words so far and the new ones in turn (so the words so far come out
// reversed), each push first removing the words of its exclusive group,
// then drops duplicates, the first (most recent) occurrence staying. Here
// the words live in a linked list: a merge flips its direction, a push
// unlinks the word's earlier copy and its group's word, so that merging
// n words costs n steps, not n squared.
type wordMerge struct {
	groups  [][]string
	words   []string
	prev    []int32
	next    []int32
	head    int32 // first node in list order, -1 when empty
	tail    int32
	flipped bool // the output runs from tail to head
	// at is the live node of each word, made once the words pushed
	// outnumber the nodes kept inline (a block's few are looked for in
	// its list: every block merges four such closures).
	at      map[string]int32
	inGroup []int32 // the live node of each group's word, or -1
	// The storage of the first nodes and groups, in the closure itself.
	wordsIn      [wordsInline]string
	prevIn       [wordsInline]int32
	nextIn       [wordsInline]int32
	inGroupIn    [4]int32
	joinedLength int // the bytes of the live words, for joined
}

// wordsInline is the number of words a wordMerge holds without storage
// of its own or an index.
const wordsInline = 8

// init starts m empty; m must not be copied afterwards (its slices
// point into it).
func (m *wordMerge) init(groups [][]string) {
	*m = wordMerge{groups: groups, head: -1, tail: -1}
	m.words, m.prev, m.next = m.wordsIn[:0], m.prevIn[:0], m.nextIn[:0]
	if len(groups) <= len(m.inGroupIn) {
		m.inGroup = m.inGroupIn[:len(groups)]
	} else {
		m.inGroup = make([]int32, len(groups))
	}
	for i := range m.inGroup {
		m.inGroup[i] = -1
	}
}

// merge is one call of the closure with the new words.
func (m *wordMerge) merge(words []string) {
	m.flipped = !m.flipped
	for _, w := range words {
		m.push(w)
	}
}

// live is the live node of w, if any.
func (m *wordMerge) live(w string) (int32, bool) {
	if m.at != nil {
		n, ok := m.at[w]
		return n, ok
	}
	for n := m.head; n >= 0; n = m.next[n] {
		if m.words[n] == w {
			return n, true
		}
	}
	return 0, false
}

func (m *wordMerge) push(w string) {
	for g, group := range m.groups {
		if n := m.inGroup[g]; n >= 0 && contains(group, w) {
			m.unlink(n)
		}
	}
	if n, ok := m.live(w); ok {
		m.unlink(n)
	}
	n := int32(len(m.words))
	m.words, m.prev, m.next = append(m.words, w), append(m.prev, -1), append(m.next, -1)
	// The output's front: the head, or the tail when flipped.
	if !m.flipped {
		m.next[n] = m.head
		if m.head >= 0 {
			m.prev[m.head] = n
		}
		m.head = n
		if m.tail < 0 {
			m.tail = n
		}
	} else {
		m.prev[n] = m.tail
		if m.tail >= 0 {
			m.next[m.tail] = n
		}
		m.tail = n
		if m.head < 0 {
			m.head = n
		}
	}
	m.joinedLength += len(w)
	switch {
	case m.at != nil:
		m.at[w] = n
	case len(m.words) > wordsInline:
		m.at = make(map[string]int32, len(m.words))
		for k := m.head; k >= 0; k = m.next[k] {
			m.at[m.words[k]] = k
		}
	}
	for g, group := range m.groups {
		if contains(group, w) {
			m.inGroup[g] = n
		}
	}
}

func (m *wordMerge) unlink(n int32) {
	p, x := m.prev[n], m.next[n]
	if p >= 0 {
		m.next[p] = x
	} else {
		m.head = x
	}
	if x >= 0 {
		m.prev[x] = p
	} else {
		m.tail = p
	}
	w := m.words[n]
	m.joinedLength -= len(w)
	if m.at != nil && m.at[w] == n {
		delete(m.at, w)
	}
	for g := range m.inGroup {
		if m.inGroup[g] == n {
			m.inGroup[g] = -1
		}
	}
}

// joined is the words in output order, a space between two.
func (m *wordMerge) joined() string {
	first, step := m.head, m.next
	if m.flipped {
		first, step = m.tail, m.prev
	}
	if first < 0 {
		return ""
	}
	if step[first] < 0 {
		return m.words[first] // one word: no copy
	}
	var b strings.Builder
	b.Grow(m.joinedLength + len(m.words))
	for n := first; n >= 0; n = step[n] {
		if n != first {
			b.WriteByte(' ')
		}
		b.WriteString(m.words[n])
	}
	return b.String()
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// varList is the :var assignments of org-babel-merge-params: a named
// assignment replaces the earlier one of its name and goes last; an
// unnamed one assigns the next variable in order. Removed entries stay as
// tombstones so that each step costs a constant.
type varList struct {
	entries []varEntry
	live    map[string]int // index of each name's live entry, once indexed
	indexed bool           // whether live indexes entries
	// liveSize is the most entries live held since it was made: a map
	// cleared costs its size, so one much larger than a merge needs is
	// dropped rather than cleared (reset).
	liveSize int
	n        int // live entries
	// cursor is where the search for the next positional variable
	// resumes; before counts the live entries before it.
	cursor, before int
	// exact: each name has one live entry. Until a positional variable
	// or the result needs it (settle), a merge appends assignments
	// without looking their names up: most merges set each name once,
	// and one pass then finds that so with one map operation a name
	// where setting each looked it up and indexed it (two).
	exact bool
}

type varEntry struct {
	name, assignment string
	dead             bool
}

func (l *varList) set(name, assignment string) {
	if !l.exact {
		l.entries = append(l.entries, varEntry{name: name, assignment: assignment})
		l.n++
		return
	}
	if k, ok := l.find(name); ok {
		l.entries[k].dead = true
		l.n--
		if k < l.cursor {
			l.before--
		}
	}
	if l.indexed {
		l.live[name] = len(l.entries)
	}
	l.entries = append(l.entries, varEntry{name: name, assignment: assignment})
	l.n++
}

// find is the live entry of name: a scan while there are few entries
// (tombstones included), then an index.
func (l *varList) find(name string) (int, bool) {
	if !l.indexed && len(l.entries) >= 8 {
		l.index()
	}
	if l.indexed {
		k, ok := l.live[name]
		return k, ok
	}
	for k, e := range l.entries {
		if !e.dead && e.name == name {
			return k, true
		}
	}
	return 0, false
}

// index builds live from the entries, in the map of an earlier merge
// when it is not much larger than this one needs.
func (l *varList) index() {
	size := cap(l.entries)
	if l.live == nil || l.liveSize > 4*size+64 {
		l.live, l.liveSize = make(map[string]int, size), 0
	} else {
		clear(l.live)
	}
	l.liveSize = max(l.liveSize, size)
	for k, e := range l.entries {
		if !e.dead {
			l.live[e.name] = k
		}
	}
	l.indexed = true
}

// settle makes the list exact: if a name was set twice since the list
// was reset, its assignments are set again in turn, each replacing the
// earlier one of its name.
func (l *varList) settle() {
	if l.exact {
		return
	}
	l.exact = true
	if !l.repeats() {
		return
	}
	appended := slices.Clone(l.entries)
	l.entries, l.indexed, l.n = l.entries[:0], false, 0
	for _, e := range appended {
		l.set(e.name, e.assignment)
	}
}

// repeats reports whether a name has two entries, indexing them all
// when there are enough to need an index (find) and none repeats.
func (l *varList) repeats() bool {
	if len(l.entries) < 8 {
		for k, e := range l.entries {
			for _, f := range l.entries[:k] {
				if f.name == e.name {
					return true
				}
			}
		}
		return false
	}
	l.index()
	return len(l.live) != len(l.entries)
}

// reset empties the list for a merge of nvars variables, keeping its
// storage (the parser merges every block's header arguments in turn).
func (l *varList) reset(nvars int) {
	switch {
	case cap(l.entries) > 4*nvars+64:
		l.entries = make([]varEntry, 0, nvars)
	case cap(l.entries) < nvars:
		// Doubled at least: an outline's blocks, deeper and deeper,
		// each merge a few more.
		l.entries = make([]varEntry, 0, max(nvars, 2*cap(l.entries)))
	default:
		l.entries = l.entries[:0]
	}
	l.indexed, l.n, l.cursor, l.before, l.exact = false, 0, 0, 0, false
}

// nth is the index of the live entry with i live entries before it, for
// i increasing from one call to the next (but for removals in between).
func (l *varList) nth(i int) (int, bool) {
	l.settle()
	for l.cursor < len(l.entries) && (l.entries[l.cursor].dead || l.before < i) {
		if !l.entries[l.cursor].dead {
			l.before++
		}
		l.cursor++
	}
	return l.cursor, l.cursor < len(l.entries)
}

func (l *varList) assignments() []string {
	l.settle()
	if l.n == 0 {
		return nil
	}
	out := make([]string, 0, l.n)
	for _, e := range l.entries {
		if !e.dead {
			out = append(out, e.assignment)
		}
	}
	return out
}

// mergeParams is org-babel-merge-params over layers, oldest first. It
// returns the merged arguments but :var (in Babel's order: :results,
// :exports, then the most recently set first) and the :var assignments.
// It takes time in proportion to the number of arguments.
// void says whether a function Emacs -Q with Org does not have stops
// Emacs (rawArg.void): whether no Emacs Lisp of the document's may
// define it first (parser.lispRuns).
func mergeParams(void bool, layers ...[]rawArg) (Args, []string, error) {
	nvars := 0
	for _, layer := range layers {
		nvars += countVars(layer)
	}
	m := newMerger(nvars, void)
	for _, layer := range layers {
		if err := m.add(layer); err != nil {
			return nil, nil, err
		}
	}
	args, vars := m.result()
	if err := symbolsRead(args); err != nil {
		return nil, nil, err
	}
	return args, vars, nil
}

func countVars(layer []rawArg) int {
	n := 0
	for _, p := range layer {
		if p.Key == ":var" {
			n++
		}
	}
	return n
}

// merger is org-babel-merge-params fed one layer at a time.
type merger struct {
	vars             varList
	results, exports *wordMerge
	merges           [4]wordMerge // the storage of results, exports and light
	// light is the :results and :exports words as read light, each
	// Lisp constant as written (org-babel-get-src-block-info 'light,
	// which a #+call: reads its called block with).
	light    [2]*wordMerge
	params   []rawArg // in the order set; the last of each key wins
	varIndex int
	// void: a call of a function Emacs -Q with Org does not have stops
	// Emacs (rawArg.void); false where the document may define it
	// first, and the value is then a Form still.
	void bool
	// lisp is set once a value of a layer merged is a Lisp form
	// org-babel-read evaluates and Borges does not (rawArg.Form), or
	// *this*, which it evaluates too, a later value replacing it or
	// not (Block.ReadsLisp).
	lisp bool
}

// newMerger starts a merge; nvars, the number of :var arguments to come,
// sizes its list; void is merger.void.
func newMerger(nvars int, void bool) *merger {
	return newMergerInto(varList{}, nvars, void)
}

// newMergerInto is newMerger keeping its :var assignments in vars, a
// list of an earlier merge whose storage it reuses (merger.vars once
// that merge has its result).
func newMergerInto(vars varList, nvars int, void bool) *merger {
	m := &merger{void: void, vars: vars}
	for i, groups := range [][][]string{resultsGroups, exportsGroups, resultsGroups, exportsGroups} {
		m.merges[i].init(groups)
	}
	m.results, m.exports = &m.merges[0], &m.merges[1]
	m.light = [2]*wordMerge{&m.merges[2], &m.merges[3]}
	m.vars.reset(nvars)
	return m
}

// add merges the next layer.
func (m *merger) add(layer []rawArg) error {
	for _, p := range layer {
		if p.Form || !p.String && p.Value != nil && *p.Value == "*this*" {
			m.lisp = true
		}
		if p.fails != "" && (p.Key == ":results" || p.Key == ":exports") {
			return errors.New(p.fails)
		}
		if m.void && p.voidRead != "" {
			// org-babel-read evaluates each value as it reads it.
			return errors.New(p.voidRead)
		}
		if m.void && p.void != "" && (p.Key == ":results" || p.Key == ":exports") {
			return errors.New(p.void)
		}
		if p.Form && (p.Key == ":results" || p.Key == ":exports") {
			return formError(p.Key, *p.Value)
		}
		if p.Called && !p.String && (p.Key == ":results" || p.Key == ":exports") {
			got := "nil"
			if p.Value != nil {
				got = *p.Value
			}
			return fmt.Errorf("%s %s: Emacs calls this function once as it merges the header and needs a string of words, but it returns %s: Emacs stops at the block (wrong-type-argument stringp): write the words themselves (%s \"WORDS\")", p.Key, p.Written, got, p.Key)
		}
		if p.Key == ":exports" && (p.Symbol || p.Printed || p.Number) {
			return exportsUnsplit(p)
		}
		if (p.Symbol || p.Printed) && p.Written != "" && p.Key == ":results" {
			// org-babel-merge-params evaluates a value that is not a
			// string once more.
			return fmt.Errorf("%s %s: Emacs evaluates it to %s, then evaluates that again as it merges it, which Borges does not: write the words themselves (%s \"WORDS\")", p.Key, p.Written, *p.Value, p.Key)
		}
		if p.Symbol && (p.Key == ":var" || p.Key == ":results") {
			// org-babel-merge-params evaluates a :results value that
			// is not a string, and string-matches a :var one
			// (wrong-type-argument).
			return fmt.Errorf("%s: the default header argument is the symbol %s, which Emacs evaluates (:results) or cannot read (:var) as it merges it, where Borges evaluates no Lisp: set it to a string", p.Key, *p.Value)
		}
		switch p.Key {
		case ":var":
			if p.Number {
				return varNumberStop(p)
			}
			value := ""
			if p.Value != nil {
				value = *p.Value
			}
			if name, ok := varName(value); ok {
				m.vars.set(name, value)
			} else if k, ok := m.vars.nth(m.varIndex); ok {
				e := &m.vars.entries[k]
				e.assignment = e.name + "=" + value
				m.varIndex++
			} else {
				return &VarDefaultError{Value: value}
			}
		case ":results":
			if p.Value == nil || p.Number {
				return fmt.Errorf(":results: bad value")
			}
			m.results.merge(splitString(*p.Value))
			m.light[0].merge(splitString(p.light()))
		case ":exports":
			v := ""
			if p.Value != nil {
				v = *p.Value
			}
			m.exports.merge(splitString(v))
			m.light[1].merge(splitString(p.light()))
		default:
			m.params = append(m.params, p)
		}
	}
	return nil
}

// VarDefaultError is what org-babel-merge-params signals merging a :var
// value without "NAME=" (a positional one: a call's argument, a
// block's "X") when no variable set before it is left to take it.
// Emacs signals it where it reads the block's or call's information:
// at its turn in org-babel-execute-buffer, or at the turn of a block
// or call whose reference (or call) reads it.
type VarDefaultError struct {
	// Value is the value as Babel has it: a header's read (quotes
	// gone), a call's argument as written.
	Value string
}

func (e *VarDefaultError) Error() string {
	return fmt.Sprintf(":var: variable %q must be assigned a default value: Emacs stops at the block so; write :var %s=VALUE (a value without \"=\" goes to the variables set before it, in order, and none is left for this one)", e.Value, e.Value)
}

// Emacs is the error message Emacs stops with.
func (e *VarDefaultError) Emacs() string {
	return fmt.Sprintf("Variable \"%s\" must be assigned a default value", e.Value)
}

// exportsUnsplit is the error of an :exports p that is a symbol (a
// default's, or a quoted word org-babel-read evaluates), other Lisp
// data or a number: org-babel-merge-params calls a function's (which
// Borges never has here: a default naming one is unread, a call is
// Called), and splits any other value into words (split-string), which
// signals for anything but a string: Emacs stops at the block, before
// it runs (Emacs 28.2, Org 9.5.5: fixtures stop_exports_*).
func exportsUnsplit(p rawArg) error {
	v := *p.Value
	if n, ok := lispNumber(v); ok && p.Number {
		v = n
	}
	written := p.Written
	if written == "" {
		written = v
	}
	return &blockError{
		problem: fmt.Sprintf(":exports %s: Babel splits :exports into words as it merges the header, and %s is no string: Emacs stops at the block (wrong-type-argument stringp); write the words themselves (:exports \"WORDS\")", written, v),
		stop:    "Wrong type argument: stringp, " + v,
	}
}

// varNumberStop is the error of a :var p that is a number (a default an
// Emacs Lisp block set, (:var . 65), or a header's :var 65, which
// org-babel-read makes one): org-babel-merge-params string-matches a
// :var value for its name, which signals for anything but a string:
// Emacs stops at the block, before it runs (Emacs 28.2, Org 9.5.5:
// fixture stop_var_default_number), with the number as it prints it.
func varNumberStop(p rawArg) error {
	v := *p.Value
	if n, ok := lispNumber(v); ok {
		v = n
	}
	return &blockError{
		problem: fmt.Sprintf(":var: %s is a number, not an assignment: Emacs stops at the block (wrong-type-argument stringp); write :var NAME=%s (or \"%s\", which goes to the variables set before it, in order)", *p.Value, *p.Value, *p.Value),
		stop:    "Wrong type argument: stringp, " + v,
	}
}

// EmacsStop is the message of the error Emacs stops
// org-babel-execute-buffer with that err is (a *VarDefaultError, or the
// problem of a block that is one), "" for another error.
func EmacsStop(err error) string {
	var v interface{ Emacs() string }
	if errors.As(err, &v) {
		return v.Emacs()
	}
	return ""
}

// blockError is the problem of a block (Block.Problem), Emacs's error
// with it when Emacs stops there (Block.Stop).
type blockError struct{ problem, stop string }

func (e *blockError) Error() string { return e.problem }

// Emacs is the error Emacs stops with, "" for none.
func (e *blockError) Emacs() string { return e.stop }

// result is the merged arguments and :var assignments.
func (m *merger) result() (Args, []string) {
	args := make(Args, 0, 8)
	for i, w := range []*wordMerge{m.results, m.exports} {
		a := Arg{Key: [2]string{"results", "exports"}[i], Value: w.joined()}
		if light := m.light[i].joined(); light != a.Value {
			a.Written = light
		}
		args = append(args, a)
	}
	// The most recently set first, each key once.
	seen := make(map[string]bool, len(m.params))
	for k := len(m.params) - 1; k >= 0; k-- {
		p := m.params[k]
		if seen[p.Key] {
			continue
		}
		seen[p.Key] = true
		if !strings.HasPrefix(p.Key, ":") {
			// Text before the first " :" on a header line becomes a
			// symbol without a colon in Emacs; Babel never reads it, and
			// it is not a header argument.
			continue
		}
		v := ""
		if p.Value != nil {
			v = *p.Value
		}
		a := Arg{Key: p.Key[1:], Value: v, String: p.String, Symbol: p.Symbol, Printed: p.Printed, Written: p.Written, Form: p.Form, fails: p.fails}
		if m.void {
			a.void = p.void
		}
		args = append(args, a)
	}
	return args, m.vars.assignments()
}

// light is the value as org-babel-get-src-block-info 'light reads it:
// a Lisp constant as written.
func (p rawArg) light() string {
	switch {
	case p.Written != "":
		return p.Written
	case p.Value != nil:
		return *p.Value
	}
	return ""
}

// varName is the name in "^\([^= \f\t\n\r\v]+\)[ \t]*=".
func varName(v string) (string, bool) {
	k := 0
	for k < len(v) && v[k] != '=' && !isBabelSpace(v[k]) {
		k++
	}
	if k == 0 {
		return "", false
	}
	w := k
	for w < len(v) && (v[w] == ' ' || v[w] == '\t') {
		w++
	}
	if w < len(v) && v[w] == '=' {
		return v[:k], true
	}
	return "", false
}

// splitString is split-string with its default separators
// "[ \f\t\n\r\v]+", empty pieces dropped.
func splitString(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r < 128 && isBabelSpace(byte(r)) })
}
