package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/wallyqs/borges/internal/client"
	"github.com/wallyqs/borges/internal/engine"
)

// This file renders what the server says for people: the document list,
// one document's blocks, and the notes of a submission. Columns are
// aligned on the longest block name, however long.

// writeDocuments is `borges status`: a line per document, newest first;
// when there is none it says so on standard error, so that the list on
// standard output stays a list.
func writeDocuments(stdout, stderr io.Writer, docs []engine.DocumentSummary) {
	if len(docs) == 0 {
		fmt.Fprintln(stderr, "no documents")
		return
	}
	w := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	for _, d := range docs {
		var parts []string
		for _, st := range []engine.State{engine.Queued, engine.Staged, engine.Running, engine.Finished, engine.Failed, engine.Killed, engine.Lost} {
			if n := d.Tasks[st]; n > 0 {
				parts = append(parts, fmt.Sprintf("%d %s", n, st))
			}
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", d.ID, d.State, d.SubmittedAt.Local().Format("2006-01-02 15:04:05"), strings.Join(parts, ", "), d.Title)
	}
	w.Flush()
}

// writeDocument is `borges status ID`: every block, each instance of a
// block run more than once, with what a queued one waits for.
func writeDocument(stdout io.Writer, v *engine.DocumentView) {
	head := fmt.Sprintf("%s  %s", v.ID, v.State)
	if v.Title != "" {
		head += "  " + v.Title
	}
	fmt.Fprintln(stdout, head)
	for _, n := range v.Notes {
		fmt.Fprintf(stdout, "  note: %s\n", n)
	}
	w := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	for _, b := range v.Blocks {
		if !b.Runnable {
			fmt.Fprintf(w, "  %s\t%s\tnot run\t%s\n", b.Name, b.Lang, b.Reason)
			continue
		}
		for _, in := range b.Instances {
			// A task of a :post chain by its block and the chain.
			name := b.ShownName()
			if len(b.Instances) > 1 {
				name = fmt.Sprintf("%s[%d]", name, in.Instance)
			}
			detail := instanceDetail(in)
			switch {
			case b.AddedBy != "" && b.Found:
				// Not in the document as submitted: where it is.
				detail += fmt.Sprintf(" — found in the results of %s (line %d there)", b.AddedBy, b.Line)
			case b.AddedBy != "":
				detail += fmt.Sprintf(" — added to the Org buffer by %s (line %d there)", b.AddedBy, b.Line)
			}
			fmt.Fprintf(w, "  %s\t%s\t%s\tattempt %d%s\n", name, b.Lang, in.State, in.Attempts, detail)
		}
	}
	w.Flush()
}

// instanceDetail is what follows an instance's state: its exit code, the
// backend's message, or what it waits for.
func instanceDetail(in engine.InstanceView) string {
	var s string
	if in.ExitCode != nil {
		s = fmt.Sprintf(" exit %d", *in.ExitCode)
	}
	if in.Message != "" {
		s += " — " + in.Message
	}
	if in.Waiting != "" {
		s += " — " + in.Waiting
	}
	return s
}

// writeNotes tells, on standard error, what the server said about a
// submitted document: each block it will not run and why, and each
// header argument it reads differently from Emacs.
func writeNotes(stderr io.Writer, v *engine.DocumentView, src *client.Source) {
	for _, n := range v.Notes {
		fmt.Fprintf(stderr, "note: %s\n", n)
	}
	w := tabwriter.NewWriter(stderr, 0, 0, 1, ' ', 0)
	for _, b := range v.Blocks {
		at := fmt.Sprintf("%s (%s, %s):", b.ShownName(), where(src, b.Line), b.Lang)
		if !b.Runnable {
			fmt.Fprintf(w, "note: %s\tnot run: %s\n", at, b.Reason)
			continue
		}
		if b.Task != nil {
			for _, n := range b.Task.Notes {
				fmt.Fprintf(w, "note: %s\t%s\n", at, n)
			}
		}
	}
	w.Flush()
}
