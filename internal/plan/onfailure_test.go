package plan

import (
	"errors"
	"strings"
	"testing"
)

func TestOnFailure(t *testing.T) {
	cases := []struct {
		header string
		want   bool
		reject string
	}{
		{"sh", false, ""},
		{"sh :on-failure stop", false, ""},
		{"sh :on-failure continue", true, ""},
		{"sh :on-failure ignore", false, `line 1: block "block-1": :on-failure: "ignore": use stop or continue`},
		{"sh :on-failure", false, `line 1: block "block-1": :on-failure: "": use stop or continue`},
	}
	for _, c := range cases {
		t.Run(c.header, func(t *testing.T) {
			p, err := Build(mustParse(t, block(c.header, "true")), machine, DefaultOptions)
			if c.reject != "" {
				var rej *RejectError
				if !errors.As(err, &rej) || !strings.Contains(err.Error(), c.reject) {
					t.Fatalf("want a rejection containing %q, got %v", c.reject, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := p.Tasks[0].ContinueOnFailure; got != c.want {
				t.Fatalf("ContinueOnFailure = %v, want %v", got, c.want)
			}
		})
	}
}

// A document-wide :on-failure continue (a header-args property) holds for
// every block, as Babel's header arguments do.
func TestOnFailureInherited(t *testing.T) {
	p, err := Build(mustParse(t, "#+property: header-args :on-failure continue\n"+block("sh", "true")), machine, DefaultOptions)
	if err != nil {
		t.Fatal(err)
	}
	if !p.Tasks[0].ContinueOnFailure {
		t.Fatal("the property's :on-failure continue is not read")
	}
}
