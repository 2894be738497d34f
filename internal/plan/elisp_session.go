package plan

import (
	"fmt"

	"github.com/wallyqs/borges/internal/session"
)

// org-babel-execute-buffer evaluates a document's Emacs Lisp blocks, and
// the Lisp :var values of its other blocks, in the one Emacs that runs
// it: what a block defines (defun, setq, defvar, require) the blocks and
// :var values after it see. Babel has no session for them (ob-emacs-lisp
// ignores :session); Borges makes one, the document's Emacs: a batch
// Emacs that evaluates them one after the other (session.Emacs), each as
// a batch Emacs of its own would (elispProgram, lispVarProgram), in the
// order Emacs first evaluates them. The blocks of the document they
// depend on, or that depend on them, run in between, as for any session.
//
// One Emacs runs the tasks that ask for the same container (:dockerize,
// :image) and placement (:constraints), with the resources of the first
// of them, as other sessions run; tasks that ask for another container
// or placement share another Emacs. A block run more than once
// (:instances, :ensure it-keeps-running) stays a batch Emacs of its own.

// emacsSessions puts the document's Emacs tasks in their Emacs, each
// after the one before it there. It runs once every task is planned and
// their references are checked (there is no cycle).
func (b *builder) emacsSessions() {
	order := b.evaluationOrder()
	members := map[string]int{}
	for _, t := range order {
		if inDocumentEmacs(t) && !t.ReadsOutput {
			members[emacsKey(t)]++
		}
	}
	last := map[string]*Task{}
	// batch are the Emacs tasks the backend runs each in a batch Emacs
	// of its own: they read the document with the results Emacs has put
	// in before them.
	batch := map[*Task]bool{}
	for _, t := range order {
		if !inDocumentEmacs(t) {
			continue
		}
		key := emacsKey(t)
		if t.ReadsOutput && members[key] == 0 {
			// No Emacs Lisp for its forms to see: a batch Emacs of
			// its own, as it runs only when the output needs it.
			continue
		}
		why := b.limits.NoSessions
		if why == "" && t.Container != nil {
			why = b.limits.NoContainerSessions
		}
		if why != "" {
			if members[key] > 1 && t.lispVar == nil && !t.ReadsOutput {
				t.Notes = append(t.Notes, "Emacs Lisp: "+why+": this block runs in a batch Emacs of its own; what the document's other Emacs Lisp blocks define is not seen here, as it is in Emacs, and what it changes in its Org buffer of the document is not written back")
			}
			if !t.ReadsOutput {
				batch[t] = true
			}
			continue
		}
		t.Session = &Session{Name: "emacs-lisp", Key: key, Kind: string(session.Emacs),
			Command: session.Command(session.Emacs, "", elispInterpreter), Value: true}
		if prev := last[key]; prev != nil && !contains(t.After, prev.Block) {
			t.After = append(t.After, prev.Block)
		}
		last[key] = t
	}
	b.bufferResults(order, batch)
	// The document written back holds what one Emacs changed in its
	// buffer (WrittenEmacs); a block of another says so.
	written := WrittenEmacs(b.plan.Tasks)
	for _, t := range b.plan.Tasks {
		if t.Session != nil && t.Session.Kind == string(session.Emacs) && t.Session.Key != written && t.lispVar == nil && !t.ReadsOutput {
			t.Notes = append(t.Notes, "Emacs Lisp: this block runs in another Emacs than the document's first Emacs Lisp block (it asks for another container or placement): what it changes in its Org buffer of the document is not written back, only what the blocks of that first Emacs change")
		}
	}
	b.emacsEnvironment(order)
}

// WrittenEmacs is the key of the Emacs whose Org buffer the document is
// written back from (org.Document.WriteResultsIn): that of the first task
// of the document's Emacs, "" when there is none. Each Emacs has a buffer
// of its own, with its own edits; the results document holds one of them.
func WrittenEmacs(tasks []*Task) string {
	for _, t := range tasks {
		if t.Session != nil && t.Session.Kind == string(session.Emacs) {
			return t.Session.Key
		}
	}
	return ""
}

// inDocumentEmacs reports whether a task runs in the document's Emacs:
// an Emacs Lisp block (not one run by its :shebang line) or a Lisp :var
// value, run once, or a task reading a block's output (emacsread.go),
// whose forms may call what the Emacs Lisp blocks before it defined, as
// in Emacs. Such a task holds the Emacs tasks after it behind its block,
// as org-babel-execute-buffer does; when the output needs no Emacs it
// finishes without running, and the next one goes on.
func inDocumentEmacs(t *Task) bool {
	return elispLangs[t.Lang] && t.shebang == "" && t.Session == nil &&
		t.Instances == 1 && t.Ensure == ItFinishes
}

// emacsKey is what the tasks of one Emacs share: the container and the
// placement they ask for.
func emacsKey(t *Task) string {
	key := string(session.Emacs) + ":"
	if c := t.Container; c != nil {
		key += fmt.Sprintf("%s/%s/%s", c.Kind, c.Network, c.Image)
	}
	for i, c := range t.Constraints {
		sep := ","
		if i == 0 {
			sep = ":"
		}
		key += sep + c.Field + c.Op + c.Value
	}
	return key
}

// evaluationOrder is the order in which Emacs first evaluates the tasks:
// the document's, each task after what it refers to (org-babel-execute-
// buffer resolves a block's references, running the blocks they name,
// before it runs the block). Its dependencies have no cycle.
func (b *builder) evaluationOrder() []*Task {
	return dependenciesFirst(b.plan.Tasks, false)
}

// dependenciesFirst is tasks in their order but for the tasks each one
// depends on (After), put before it, a task later in the document (a
// forward :var) included: the order Emacs first evaluates them in, and
// the engine runs them in. With next, the blocks a task waits for only
// should its data be gone (Task.NextWaits) go before it too.
func dependenciesFirst(tasks []*Task, next bool) []*Task {
	byName := make(map[string]*Task, len(tasks))
	for _, t := range tasks {
		byName[t.Block] = t
	}
	seen := map[*Task]bool{}
	order := make([]*Task, 0, len(tasks))
	find := func(name string) *Task { return byName[name] }
	// reader is the task t runs for, the next element of a name, as the
	// engine runs it (SessionWaitFor), nil for none.
	var visit func(t, reader *Task)
	visit = func(t, reader *Task) {
		if seen[t] {
			return
		}
		// Marked first: a cycle (refused by the plan) ends here.
		seen[t] = true
		for _, a := range t.After {
			if reader != nil && a == t.sessionPrev {
				if p, ok := t.SessionWaitFor(reader, find); ok {
					if d := byName[p]; d != nil {
						visit(d, nil)
					}
					continue
				}
			}
			if d := byName[a]; d != nil {
				visit(d, nil)
			}
		}
		for _, w := range t.NextWaits() {
			if d := byName[w.Next]; d != nil && next {
				visit(d, t)
			}
		}
		order = append(order, t)
	}
	for _, t := range tasks {
		visit(t, nil)
	}
	return order
}
