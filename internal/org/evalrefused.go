package org

// EvalRefused is the header argument under which Babel does not run a
// block (org-babel-check-evaluate, outside export): ":eval no" or
// ":eval never", or, where :eval gives no value, ":noeval", present with
// any value (even no), as Babel tests only that it is there. A quoted
// empty :eval ("") is a value, true in Lisp: the block runs; so is a
// symbol or a list (:eval 'no), which member finds among no strings.
func EvalRefused(args Args) (string, bool) {
	if ev, ok := args.Lookup("eval"); ok && (ev.Value != "" || ev.String) {
		word := !ev.Symbol && !ev.Printed
		return ":eval " + ev.Value, word && (ev.Value == "no" || ev.Value == "never")
	}
	if _, ok := args.Get("noeval"); ok {
		return ":noeval", true
	}
	return "", false
}
