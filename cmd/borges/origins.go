package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/wallyqs/borges/internal/client"
	"github.com/wallyqs/borges/internal/plan"
)

// The server numbers the lines of the text it was sent, which has the
// includes expanded; people fix the files they wrote. This file turns the
// one into the other.

// where names line n of the sent text in the user's files ("doc.org:12",
// "part.org:3"), or "line n" when it cannot.
func where(src *client.Source, n int) string {
	if src != nil {
		if o, ok := src.Where(n); ok {
			return o.String()
		}
	}
	return fmt.Sprintf("line %d", n)
}

// inUserFiles rewrites a rejection so that each problem names the file and
// line the user wrote; other errors are returned as they are.
func inUserFiles(err error, src *client.Source) error {
	var ce *client.Error
	if !errors.As(err, &ce) || len(ce.Problems) == 0 {
		return err
	}
	var b strings.Builder
	b.WriteString(ce.Message)
	for _, p := range ce.Problems {
		b.WriteString("\n  ")
		b.WriteString(problemAt(p, src))
	}
	return errors.New(b.String())
}

// problemAt is a problem as Problem.String renders it, with its line
// named in the user's files.
func problemAt(p plan.Problem, src *client.Source) string {
	s := p.String()
	if p.Line > 0 {
		s = where(src, p.Line) + strings.TrimPrefix(s, fmt.Sprintf("line %d", p.Line))
	}
	return s
}
