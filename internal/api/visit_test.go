package api

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/org"
)

// visitService records where submissions are visited.
type visitService struct {
	fakeService
	got []org.Visit
}

func (v *visitService) SubmitFrom(ctx context.Context, text string, visit org.Visit) (*engine.DocumentView, error) {
	v.got = append(v.got, visit)
	return v.Submit(ctx, text)
}

// TestSubmitVisit: POST /org?dir=…&home=… hands the sender's document
// directory and home to the engine, checked: absolute, bounded, no
// control characters; a submission without them is a plain one.
func TestSubmitVisit(t *testing.T) {
	svc := &visitService{}
	h := NewHandler(svc, Options{})
	for _, c := range []struct {
		query string
		code  int
		want  org.Visit
	}{
		{"", 201, org.Visit{}},
		{"dir=" + url.QueryEscape("/home/u/notes"), 201, org.Visit{Dir: "/home/u/notes"}},
		{"dir=" + url.QueryEscape("/home/u/my notes/é") + "&home=%2Fhome%2Fu", 201, org.Visit{Dir: "/home/u/my notes/é", Home: "/home/u"}},
		{"dir=notes", 400, org.Visit{}},
		{"dir=" + url.QueryEscape("~/notes"), 400, org.Visit{}},
		{"dir=%2Fa%00b", 400, org.Visit{}},
		{"dir=%2Fa%0Ab", 400, org.Visit{}},
		{"dir=%2Fa%FF", 400, org.Visit{}},
		{"dir=/" + strings.Repeat("a", maxVisitPath), 400, org.Visit{}},
		{"dir=%2Fa&home=rel", 400, org.Visit{}},
		{"dir=%2Fa&dir=%2Fb", 400, org.Visit{}},
		{"home=%2Fhome%2Fu", 201, org.Visit{Home: "/home/u"}},
	} {
		svc.got = nil
		w := do(t, h, "POST", "/org?"+c.query, "#+begin_src sh\necho\n#+end_src\n")
		if w.Code != c.code {
			t.Errorf("%s: code %d (%s), want %d", c.query, w.Code, w.Body.String(), c.code)
			continue
		}
		if c.code != 201 {
			if len(svc.got) != 0 {
				t.Errorf("%s: submitted though refused", c.query)
			}
			continue
		}
		if c.want == (org.Visit{}) {
			if len(svc.got) != 0 {
				t.Errorf("%s: visited %+v, want a plain submission", c.query, svc.got)
			}
			continue
		}
		if len(svc.got) != 1 || svc.got[0] != c.want {
			t.Errorf("%s: visited %+v, want %+v", c.query, svc.got, c.want)
		}
	}
}
