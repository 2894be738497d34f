package org

import (
	"fmt"
	"strings"
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
}

// defaultArgs is org-babel-default-header-args (Org 9.5.5).
var defaultArgs = []rawArg{
	{Key: ":session", Value: strp("none")}, {Key: ":results", Value: strp("replace")}, {Key: ":exports", Value: strp("code")},
	{Key: ":cache", Value: strp("no")}, {Key: ":noweb", Value: strp("no")}, {Key: ":hlines", Value: strp("no")}, {Key: ":tangle", Value: strp("no")},
}

// langDefaultArgs are the org-babel-default-header-args:LANG of the
// languages Borges reads as Emacs with them loaded (ob-emacs-lisp,
// ob-shell, ob-python, ob-ruby, ob-perl, ob-js): only Emacs Lisp has any.
var langDefaultArgs = map[string][]rawArg{
	"emacs-lisp": {{Key: ":lexical", Value: strp("no")}},
	"elisp":      {{Key: ":lexical", Value: strp("no")}},
}

func strp(s string) *string { return &s }

// balancedSplit is org-babel-balanced-split with ALTS ((32 9) . 58): split
// where a space or tab is followed by a colon (dropping the blank), but not
// inside brackets, parentheses or double quotes.
func balancedSplit(s string, twoFold bool) []string {
	return balancedSplitBy(s, twoFold, ' ')
}

// balancedSplitBy is org-babel-balanced-split: with twoFold, split where a
// space or tab is followed by a colon (dropping the blank); otherwise split
// on sep.
func balancedSplitBy(s string, twoFold bool, sep byte) []string {
	var result []string
	var partial []byte
	flush := func() {
		if len(partial) > 0 {
			result = append(result, string(partial))
			partial = partial[:0]
		}
	}
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
			if j, ok := balancedEnd(s, i); ok {
				partial = append(partial, s[i:j]...)
				i = j
			} else {
				partial = append(partial, c)
				i++
			}
		case c == '"' && !(hasPast && past == '\\'):
			// Up to the next double quote not preceded by a backslash
			// ("[^\\]\"" searched from the quote itself).
			end := -1
			for k := i + 1; k < len(s); k++ {
				if s[k] == '"' && s[k-1] != '\\' {
					end = k
					break
				}
			}
			if end >= 0 && end-1 >= i {
				partial = append(partial, s[i:end+1]...)
				i = end + 1
			} else {
				partial = append(partial, '"')
				i++
			}
		default:
			partial = append(partial, c)
			i++
		}
	}
	flush()
	return result
}

// parseHeaderArgs is org-babel-parse-header-arguments with NO-EVAL: the
// arguments of one header line in order, :var split into one per
// variable. An error reports what Emacs would signal.
func parseHeaderArgs(s string) ([]rawArg, error) {
	if !hasNonWhite(s) {
		return nil, nil
	}
	raw := balancedSplit(s, true)
	var out []rawArg
	for n, piece := range raw {
		arg := piece
		if n > 0 {
			arg = ":" + piece
		}
		key, value, hasValue := splitKeyValue(arg)
		if !hasValue {
			out = append(out, rawArg{Key: chomp(arg)})
			continue
		}
		v, isNum, err := babelRead(chomp(value))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", key, err)
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
		out = append(out, rawArg{Key: key, Value: strp(v)})
	}
	return out, nil
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

// babelRead is org-babel-read with INHIBIT-LISP-EVAL: numbers are read and
// printed back as Emacs prints them, a leading double quote reads a Lisp
// string, anything else stays as written.
func babelRead(cell string) (string, bool, error) {
	if !hasNonWhite(cell) {
		return cell, false, nil
	}
	if strings.IndexFunc(orgTrim(cell), func(r rune) bool { return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\f' }) < 0 {
		if n, ok := lispNumber(cell); ok {
			return n, true, nil
		}
	}
	if cell[0] == '"' {
		v, ok := readLispString(cell)
		if !ok {
			return "", false, fmt.Errorf("unterminated string %s", cell)
		}
		return v, false, nil
	}
	return cell, false, nil
}

// splitVars is org-babel-parse-multiple-vars for one :var value: split on
// spaces outside brackets and quotes, rejoin around "=", trim.
func splitVars(v string) []string {
	parts := balancedSplit(v, false)
	var joined []string
	for _, el := range parts {
		if n := len(joined); n > 0 {
			head := joined[n-1]
			if strings.HasSuffix(head, "=") || strings.HasPrefix(el, "=") {
				joined[n-1] = head + el
				continue
			}
		}
		joined = append(joined, el)
	}
	for i := range joined {
		joined[i] = orgTrim(joined[i])
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

// mergeWords is the merge closure of org-babel-merge-params, called with
// the words so far and the new ones: it pushes every word of both in turn
// (so the words so far come out reversed), each push first removing the
// words of its exclusive group, then drops duplicates.
func mergeWords(groups [][]string, existing []string, words []string) []string {
	var output []string
	for _, w := range append(append([]string(nil), existing...), words...) {
		for _, g := range groups {
			if contains(g, w) {
				output = removeIf(output, func(o string) bool { return contains(g, o) })
			}
		}
		output = append([]string{w}, output...)
	}
	return output
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func removeIf(list []string, drop func(string) bool) []string {
	out := list[:0:0]
	for _, x := range list {
		if !drop(x) {
			out = append(out, x)
		}
	}
	return out
}

func deleteDups(list []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range list {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

// mergeParams is org-babel-merge-params over layers, oldest first. It
// returns the merged arguments but :var (in Babel's order: :results,
// :exports, then the most recently set first) and the :var assignments.
func mergeParams(layers ...[]rawArg) (Args, []string, error) {
	type varEntry struct{ name, assignment string }
	var vars []varEntry
	var results, exports []string
	var params []rawArg // most recent first
	varIndex := 0
	for _, layer := range layers {
		for _, p := range layer {
			switch p.Key {
			case ":var":
				if p.Number {
					return nil, nil, fmt.Errorf(":var: %s is not an assignment", *p.Value)
				}
				value := ""
				if p.Value != nil {
					value = *p.Value
				}
				if name, ok := varName(value); ok {
					kept := vars[:0:0]
					for _, v := range vars {
						if v.name != name {
							kept = append(kept, v)
						}
					}
					vars = append(kept, varEntry{name, value})
				} else if varIndex < len(vars) {
					vars[varIndex].assignment = vars[varIndex].name + "=" + value
					varIndex++
				} else {
					return nil, nil, fmt.Errorf(":var: variable %q must be assigned a default value", value)
				}
			case ":results":
				if p.Value == nil || p.Number {
					return nil, nil, fmt.Errorf(":results: bad value")
				}
				results = deleteDups(mergeWords(resultsGroups, results, splitString(*p.Value)))
			case ":exports":
				if p.Number {
					return nil, nil, fmt.Errorf(":exports: bad value")
				}
				v := ""
				if p.Value != nil {
					v = *p.Value
				}
				exports = deleteDups(mergeWords(exportsGroups, exports, splitString(v)))
			default:
				kept := []rawArg{p}
				for _, q := range params {
					if q.Key != p.Key {
						kept = append(kept, q)
					}
				}
				params = kept
			}
		}
	}
	args := make(Args, 0, len(params)+2)
	args = append(args, Arg{Key: "results", Value: strings.Join(results, " ")})
	args = append(args, Arg{Key: "exports", Value: strings.Join(exports, " ")})
	for _, p := range params {
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
		args = append(args, Arg{Key: p.Key[1:], Value: v})
	}
	var assignments []string
	for _, v := range vars {
		assignments = append(assignments, v.assignment)
	}
	return args, assignments, nil
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
