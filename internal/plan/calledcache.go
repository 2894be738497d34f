package plan

import "github.com/wallyqs/borges/internal/org"

// CalledCachedValue is, for the task of a :post calling a :cache yes
// block (Task.CalledCache), that block's results in the document read
// back (org-babel-read-result), when they carry the hash the block has
// as the :post calls it (refs: the values the task runs with, *this*
// among them): org-babel-execute-src-block then returns them without
// running the block, or its own :post. ok is false when the block runs.
func CalledCachedValue(doc *org.Document, t *Task, refs map[string]Value) (Value, bool) {
	doc = t.docIn(doc)
	if !t.CalledCache || t.called == nil {
		return Value{}, false
	}
	// The block as the :post calls it, hashed as its own, not as its
	// owner's results are.
	called := *t
	called.owner = nil
	old, v, ok := CachedValue(doc, &called)
	if !ok {
		return Value{}, false
	}
	hash, err := CacheHash(doc, &called, refs)
	if err != nil || hash == "" || hash != old {
		return Value{}, false
	}
	return v, true
}

// CalledCachedResult is what the owner of a :post chain writes when the
// block a :post of the chain calls returned its cached results
// (CalledCachedValue, v): that value, printed as Emacs prints it, read
// back as Babel reads a Lisp value and inserted under the owner's
// :results as it stands (the value is not read again under the called
// block's). t is the chain's task that writes the owner's results; hash
// the owner's :cache hash, if any.
func CalledCachedResult(t *Task, v Value, hash string) org.Result {
	r := RanAs(t, org.Result{Output: printValue(v), Reader: org.ReadLisp, Hash: hash, WithoutFile: t.PostOfFile})
	r.Posted, r.PostResults = true, ""
	return r
}
