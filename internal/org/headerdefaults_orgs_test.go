package org

import (
	"errors"
	"testing"
)

// TestHeaderDefaultsOrgs: Org 9.5.5's own defaults, as a report gives
// them or as nil, are Orgs; a language's defaults set, a changed value or
// one Borges cannot read are not.
func TestHeaderDefaultsOrgs(t *testing.T) {
	orgs := func() *HeaderDefaults {
		return &HeaderDefaults{Block: append([]rawArg(nil), defaultArgs...), Inline: inlineDefaultArgs, Call: lobDefaultArgs,
			Lang: map[string][]rawArg{"emacs-lisp": langDefaultArgs["emacs-lisp"], "sh": nil}}
	}
	changedValue := orgs()
	changedValue.Block[1] = rawArg{Key: ":results", Value: strp("silent"), String: true}
	langSet := orgs()
	langSet.Lang["sh"] = []rawArg{{Key: ":var", Value: strp(`who="edited"`), String: true}}
	unread := orgs()
	unread.unread = map[string]error{"block": errors.New("a form")}
	for _, c := range []struct {
		name string
		d    *HeaderDefaults
		want bool
	}{
		{"nil", nil, true},
		{"as reported", orgs(), true},
		{"a value changed", changedValue, false},
		{"a language's set", langSet, false},
		{"unread", unread, false},
	} {
		if got := c.d.Orgs(); got != c.want {
			t.Errorf("%s: Orgs() = %v, want %v", c.name, got, c.want)
		}
	}
}
