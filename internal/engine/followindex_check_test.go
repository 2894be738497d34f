package engine

import (
	"fmt"
	"maps"
	"slices"
)

// Every engine test checks each follow index kept against one built
// afresh (checkFollowIndex), as the turn-needs memo is checked.
func init() { checkFollowIndex = followIndexMustMatch }

// followIndexMustMatch ends the tests (failHookNow) where kept, the
// index followIndex kept, differs from fresh: the test that got there
// shows which change of a task forgot to bump docState.links.
func followIndexMustMatch(kept, fresh *followIndex) {
	if d := followDiff("calls", kept.calls, fresh.calls) + followDiff("posts", kept.posts, fresh.posts) + followDiff("under", kept.under, fresh.under) + followDiff("after", kept.after, fresh.after); d != "" {
		failHookNow("engine: a follow index kept is stale: " + d)
	}
}

// followDiff says the first name whose blocks differ between a and b, or "".
func followDiff(what string, a, b map[string][]*blockState) string {
	for _, k := range slices.Sorted(maps.Keys(a)) {
		if !slices.Equal(a[k], b[k]) {
			return fmt.Sprintf("%s of %q", what, k)
		}
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			return fmt.Sprintf("%s of %q", what, k)
		}
	}
	return ""
}
