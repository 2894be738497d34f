package plan

import (
	"fmt"
	"strings"
)

// A block whose :file-mode set-file-modes refuses (fileModeStop) stops
// org-babel-execute-buffer once Babel has written its :file, inside
// org-babel-execute-src-block: before the block's :post is resolved,
// and, for a block run for a reference (a :var, with arguments or not,
// :stdin, a noweb reference with arguments, an inline block's :var),
// inside the referring block's run, which then stops there, writing
// nothing (checked with Emacs 28.2: fixtures stop_file_mode_ref_*,
// stop_file_mode_post). Both are known from the document: the referring
// block stops as a reference whose resolution stops does (stopOf,
// markStopped), the block with a :post as a block run then stopped.

// taskFileModeStop is the error Emacs stops with once task d's block
// has run (fileModeStop): for a :post's task, that of the block whose
// :post it is. "" for none.
func (b *builder) taskFileModeStop(d *Task) string {
	// Bounded: a :post chain is planned without cycles.
	for i := 0; d != nil && d.Post && i < 1000; i++ {
		d = d.owner
	}
	if d == nil {
		return ""
	}
	blk := b.blocks[d]
	if blk == nil {
		return ""
	}
	return fileModeStop(blk, d)
}

// markFileModeRefStops records (stopOf) that each task reading a block
// whose :file-mode stops Emacs (taskFileModeStop) stops Emacs at its
// block, as org-babel-ref-resolve runs that block for it: markStopped
// then stops the document at the first executable that reaches one. A
// reference to such a block under :cache yes is refused: whether Emacs
// runs it (and stops) depends on the hash its results carry then.
func (b *builder) markFileModeRefStops() {
	// Whether a block has a :post, its chains found once, when first
	// asked: nothing below plans a task.
	var posts map[string][]*Task
	hasPost := func(t *Task) bool {
		if posts == nil {
			posts = postsByOwner(b.plan.Tasks)
		}
		return len(posts[t.Block]) > 0
	}
	for _, t := range b.plan.Tasks {
		if t.ReadsOutput {
			continue
		}
		if t.Post {
			b.refuseFileModeInPost(t)
			continue
		}
		for _, a := range b.readsOf(t) {
			d := b.byName[a]
			if d == nil || t.Post && a == t.ResultsWith || d.Post && d.ResultsWith == t.Block {
				// A :post's task reads the block it ends: the
				// block's own stop (markFileModePostStop).
				continue
			}
			why := b.taskFileModeStop(d)
			if why == "" {
				continue
			}
			if d.Cache {
				blk := b.blocks[t]
				b.problem(blk, t.Block, argFor(t, a), "%s: its :file-mode %s, which set-file-modes refuses, stops Emacs once the block runs, which under :cache yes depends on the hash its results carry then; write a number, such as (identity #o644) or 420",
					a, strings.TrimPrefix(why, FileModeStopPrefix))
				continue
			}
			// The block referred to runs at t's turn, writing its
			// file as Emacs does inside t's run, only where it is
			// a block's own task (Index >= 0), or a run of its own
			// for a plain reference (rerun.go), and not: a call with
			// arguments (called: Borges does not run the call's
			// :file-mode stop), a :post's task, or a block with a
			// :post (Emacs stops before the :post; its chain is
			// not run here), and only for the first stop of t.
			// An Emacs Lisp block referred to is resolved by t's
			// own value task (elispRefRun), which writes the
			// block's :file as its run does (FileWritten): that
			// task runs.
			if b.stopOf[t.Block] == "" && (d.Index >= 0 && d.called == nil || d.plainRefRun() || elispRefRun(t, d)) && !d.Post && !hasPost(d) {
				b.fileModeRun[t.Block] = d
			}
			b.stopAt(t, why)
		}
		if t.Cache && !t.Post && t.called == nil {
			if why := b.taskFileModeStop(t); why != "" && hasPost(t) {
				b.problem(b.blocks[t], t.Block, ":file-mode", "%s, which set-file-modes refuses, stops Emacs before the block's :post once the block runs, which under :cache yes depends on the hash its results carry then; write a number, such as (identity #o644) or 420",
					strings.TrimPrefix(why, FileModeStopPrefix))
			}
		}
	}
}

// elispRefRun reports whether d is the task that runs an Emacs Lisp
// block for t's reference to it without arguments (a call of no
// arguments nor header: the block as it is), not an order alone.
func elispRefRun(t, d *Task) bool {
	return refRunsElispBlock(d) && !t.OrdersOnly(d.Block)
}

// refRunsElispBlock reports whether d runs an Emacs Lisp block for a
// reference without arguments (a call of no arguments nor header: the
// block as it is).
func refRunsElispBlock(d *Task) bool {
	return elispLangs[d.Lang] && d.Index < 0 && d.called != nil && d.called.args == "" && d.called.header == ""
}

// fileModePostStop reports whether task t, a block's own run, has a
// :file-mode set-file-modes refuses and a :post: Emacs runs the block,
// writes its :file, then stops there, before the :post, its results not
// written. Its :post's tasks are marked not run.
func (b *builder) fileModePostStop(t *Task) (why string, stops bool) {
	why = b.taskFileModeStop(t)
	if why == "" {
		return "", false
	}
	if t.Cache {
		return "", false // refused (markFileModeRefStops)
	}
	for _, x := range postsByOwner(b.plan.Tasks)[t.Block] {
		if x.Replaced == "" {
			x.Replaced = fmt.Sprintf("not run: org-babel-execute-buffer stops at %s before its :post, once set-file-modes refuses its :file-mode: %q", t.Block, why)
			stops = true
		}
	}
	return why, stops
}

// refuseFileModeInPost refuses the document where task t, a :post's,
// calls a block whose :file-mode set-file-modes refuses, or refers to
// one: Emacs stops inside the :post, once the block whose :post it is
// has run, its results not written, which Borges does not reproduce.
func (b *builder) refuseFileModeInPost(t *Task) {
	why := ""
	if blk := b.blocks[t]; blk != nil {
		// The block the :post calls, run with *this*.
		called := *t
		called.Post = false
		why = fileModeStop(blk, &called)
	}
	for _, a := range b.readsOf(t) {
		if d := b.byName[a]; why == "" && d != nil && a != t.ResultsWith && !d.Post {
			why = b.taskFileModeStop(d)
		}
	}
	if why == "" {
		return
	}
	blk, name := b.blocks[t], t.Block
	if o := b.byName[t.PostOwner()]; o != nil && b.blocks[o] != nil {
		blk, name = b.blocks[o], o.Block
	}
	b.problem(blk, name, ":post", "the :post runs a block whose :file-mode %s set-file-modes refuses, which stops Emacs inside the :post once this block has run, its results not written; Borges does not stop so: write a number, such as (identity #o644) or 420",
		strings.TrimPrefix(why, FileModeStopPrefix))
}
