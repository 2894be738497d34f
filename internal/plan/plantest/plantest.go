// Package plantest helps the tests of the packages that run plans (the
// engine, the backends): a document's text parsed and planned.
package plantest

import (
	"testing"

	"github.com/wallyqs/borges/internal/org"
	"github.com/wallyqs/borges/internal/plan"
)

// Planned is text parsed, and its plan, made with no limits and the
// default options.
func Planned(t testing.TB, text string) (*org.Document, *plan.Plan) {
	t.Helper()
	return PlannedWith(t, text, plan.Limits{}, plan.DefaultOptions)
}

// PlannedWith is text parsed, and its plan, made within limits with opts.
func PlannedWith(t testing.TB, text string, limits plan.Limits, opts plan.Options) (*org.Document, *plan.Plan) {
	t.Helper()
	doc, err := org.Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	p, err := plan.Build(doc, limits, opts)
	if err != nil {
		t.Fatal(err)
	}
	return doc, p
}
