package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/wallyqs/borges/internal/client"
	"github.com/wallyqs/borges/internal/engine"
)

// followInterval is how often --follow asks the server.
var followInterval = 300 * time.Millisecond

// blockFollow is what --follow has printed of one block.
type blockFollow struct {
	state   string // the state line last printed
	ran     bool   // "running" was printed for the current attempt
	attempt string
	streams [2]streamFollow // stdout, stderr
}

// streamFollow is how far a stream has been read, and the start of a line
// not yet ended.
type streamFollow struct {
	offset  int64
	partial string
}

// followStreams are the streams --follow prints, and how each line is
// marked: "[block] line" for standard output, "[block stderr] line" for
// standard error.
var followStreams = [2]struct{ name, mark string }{{"stdout", ""}, {"stderr", " stderr"}}

// followDocument prints, until the document has ended, each block's state
// changes and its output, in the order they happened for that block: a
// block is "running" before its output, and its output comes before the
// line saying how it ended — even when one poll saw it start and end.
// A queued block says what it waits for.
func followDocument(ctx context.Context, c *client.Client, id string, stdout, stderr io.Writer) int {
	blocks := map[string]*blockFollow{}
	for i := 0; ; i++ {
		v, err := c.Document(ctx, id)
		if err != nil {
			return fail(stderr, "submit", err)
		}
		for _, b := range v.Blocks {
			if !b.Runnable || len(b.Instances) == 0 {
				continue
			}
			f := blocks[b.Name]
			if f == nil {
				f = &blockFollow{}
				blocks[b.Name] = f
			}
			followBlock(ctx, c, id, b, f, stdout)
		}
		if v.State != engine.Running {
			fmt.Fprintf(stdout, "document %s %s\n", id, v.State)
			if v.State == engine.Finished {
				return 0
			}
			return 1
		}
		select {
		case <-ctx.Done():
			return 130
		case <-time.After(followInterval):
		}
	}
}

// followBlock prints what is new of one block since the last poll.
func followBlock(ctx context.Context, c *client.Client, id string, b engine.BlockView, f *blockFollow, stdout io.Writer) {
	in := b.Instances[0]
	if in.AttemptID != f.attempt {
		// A new attempt (a retry, a restart): its output starts afresh.
		f.attempt, f.ran = in.AttemptID, false
		f.streams = [2]streamFollow{}
	}
	state := followState(b)
	// A task of a :post chain is marked by its block and the chain; the
	// server knows its stream by the task's name.
	label := b.ShownName()
	ended := b.State.Terminal() || b.State == engine.Queued
	attempted := in.AttemptID != "" && (in.StartedAt != nil || in.Attempts > 0)
	if attempted && !f.ran && (b.State == engine.Running || ended) {
		// A block that started and ended between two polls was running
		// all the same: say so before its output.
		if f.state != "running" {
			fmt.Fprintf(stdout, "[%s] running\n", label)
		}
		f.ran, f.state = true, "running"
	}
	if !ended && state != f.state {
		fmt.Fprintf(stdout, "[%s] %s\n", label, state)
		f.state = state
	}
	if f.attempt != "" {
		var out strings.Builder
		for i, s := range followStreams {
			out.WriteString(followStream(ctx, c, id, b.Name, label, s.name, s.mark, &f.streams[i], ended))
		}
		if out.Len() > 0 && !f.ran {
			// Output before the server has its start (the program ran
			// while its launch was being reported): it is running.
			fmt.Fprintf(stdout, "[%s] running\n", label)
			f.ran, f.state = true, "running"
		}
		io.WriteString(stdout, out.String())
	}
	if ended && state != f.state {
		fmt.Fprintf(stdout, "[%s] %s\n", label, state)
		f.state = state
	}
}

// followState is the line that tells a block's state: with how it ended,
// or what it waits for.
func followState(b engine.BlockView) string {
	in := b.Instances[0]
	st := string(b.State)
	switch {
	case b.State.Terminal() && in.Message != "":
		st += " (" + in.Message + ")"
	case b.State == engine.Queued && in.Waiting != "":
		st += " — " + in.Waiting
	}
	return st
}

// followStream is the complete lines a stream of block has gained, each
// marked with label (how the block is shown); at the end of an attempt, the last unfinished line too.
func followStream(ctx context.Context, c *client.Client, id, block, label, stream, mark string, s *streamFollow, ended bool) string {
	var buf bytes.Buffer
	off, err := c.Log(ctx, id, block, 0, stream, s.offset, false, &buf)
	if err != nil {
		return "" // nothing to read yet; the next poll tries again
	}
	s.offset = off
	text := s.partial + buf.String()
	s.partial = ""
	var out strings.Builder
	for _, ln := range strings.SplitAfter(text, "\n") {
		if ln == "" {
			continue
		}
		if !strings.HasSuffix(ln, "\n") {
			if !ended {
				s.partial = ln
				continue
			}
			ln += "\n"
		}
		fmt.Fprintf(&out, "[%s%s] %s", label, mark, ln)
	}
	return out.String()
}
