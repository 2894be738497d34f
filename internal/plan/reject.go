package plan

import (
	"fmt"
	"strings"
)

// RejectError is returned when a document cannot be planned. It lists every
// problem found, so a person can fix them all in one go.
type RejectError struct {
	Problems []Problem
}

func (e *RejectError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "document rejected: %d problem(s)", len(e.Problems))
	for _, p := range e.Problems {
		b.WriteString("\n  ")
		b.WriteString(p.String())
	}
	return b.String()
}

// String renders a problem as "line 12: block \"x\": :cpu: why".
func (p Problem) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "line %d", p.Line)
	if p.Block != "" {
		fmt.Fprintf(&b, ": block %q", p.Block)
	}
	if p.Arg != "" {
		fmt.Fprintf(&b, ": %s", p.Arg)
	}
	fmt.Fprintf(&b, ": %s", p.Why)
	return b.String()
}
