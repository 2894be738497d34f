package org

import (
	"fmt"
	"math/rand"
	"reflect"
	"strings"
	"testing"
)

// TestMergerReusedAsFresh: merging random layers (names repeated across
// layers, positional :var values, :results words) into a list reused from
// the merges before gives what a merger with a fresh list gives.
func TestMergerReusedAsFresh(t *testing.T) {
	rng := rand.New(rand.NewSource(11)) // fixed: the same cases each run
	var reused varList
	for i := 0; i < 400; i++ {
		var layers [][]rawArg
		nvars := 0
		for n := rng.Intn(5); n >= 0; n-- {
			var words []string
			for k := rng.Intn(25); k > 0; k-- {
				switch rng.Intn(6) {
				case 0:
					words = append(words, fmt.Sprintf(":var %d", rng.Intn(9)))
				case 1:
					words = append(words, ":results "+[]string{"output", "value table", "silent", "replace"}[rng.Intn(4)])
				default:
					words = append(words, fmt.Sprintf(":var v%d=%d", rng.Intn(1+rng.Intn(30)), k))
				}
			}
			layer, err := parseHeaderArgs(strings.Join(words, " "))
			if err != nil {
				t.Fatalf("case %d: %v", i, err)
			}
			layers = append(layers, layer)
			nvars += countVars(layer)
		}
		fresh := newMerger(nvars, true)
		again := newMergerInto(reused, nvars, true)
		for _, l := range layers {
			errF, errA := fresh.add(l), again.add(l)
			if fmt.Sprint(errF) != fmt.Sprint(errA) {
				t.Fatalf("case %d: error %v fresh, %v reused", i, errF, errA)
			}
		}
		argsF, varsF := fresh.result()
		argsA, varsA := again.result()
		reused = again.vars
		if !reflect.DeepEqual(argsF, argsA) || !reflect.DeepEqual(varsF, varsA) {
			t.Fatalf("case %d: reused %v %q, fresh %v %q", i, argsA, varsA, argsF, varsF)
		}
	}
}
