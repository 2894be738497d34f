package plan

import "github.com/wallyqs/borges/internal/session"

// In Emacs every Babel block but an Emacs Lisp one is a process Emacs
// starts with its process-environment: a setenv in an Emacs Lisp block
// (KUBECONFIG, AWS_PROFILE at the top of a runbook) reaches every block
// evaluated after it, and a session started after it; one started before
// keeps what it had. The document's Emacs reports, after each task, how
// its environment differs from the one it started with
// (session.Environment); each task evaluated after a task of that Emacs
// gets what the last such task before it reported, and so waits for it to
// end (finished or failed, as the blocks after an Emacs Lisp block with
// :on-failure continue run; the engine's waitsOf).
//
// The rule is the safe one: whether a block calls setenv, perhaps through
// a function an earlier block defined, is not known before it runs, so
// every task after a task of the document's Emacs waits for the last one
// before it, whatever it does. A document with no task in the document's
// Emacs has no such wait. The tasks that read a block's output in Emacs
// (ReadsOutput) are not counted: their Lisp is Babel's reader, which calls
// no setenv, and counting them would hold every block after a Python, Ruby
// or JavaScript block of :results output table behind it.
//
// The environment is that Emacs's, which runs on one container and
// placement (emacsKey): it reaches the tasks that ask for the same ones,
// which run where it runs. A task in another container or placement
// (another image's PATH, another machine's) gets the environment of that
// placement's Emacs, when there is one.

// emacsEnvironment sets EnvironmentOf on the tasks in order (the order in
// which Emacs evaluates them) that come after a task of the document's
// Emacs of their container and placement: the last one before them. It
// runs once the tasks of the document's Emacs have their Session.
func (b *builder) emacsEnvironment(order []*Task) {
	last := map[string]*Task{} // per Emacs: its last task so far
	for _, t := range order {
		key := emacsKey(t)
		if prev := last[key]; prev != nil {
			t.EnvironmentOf = prev.Block
		}
		if s := t.Session; s != nil && s.Kind == string(session.Emacs) && !t.ReadsOutput {
			last[key] = t
		}
	}
}
