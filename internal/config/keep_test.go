package config

import (
	"strings"
	"testing"
	"time"
)

// TestKeep reads #+borges_keep: an age (7d, 12h, 90m), a count (100), or
// both in either order.
func TestKeep(t *testing.T) {
	cases := []struct {
		value string
		age   time.Duration
		count int
		err   string
	}{
		{"7d", 7 * 24 * time.Hour, 0, ""},
		{"12h", 12 * time.Hour, 0, ""},
		{"90m", 90 * time.Minute, 0, ""},
		{"1d12h", 36 * time.Hour, 0, ""},
		{"100", 0, 100, ""},
		{"7d 100", 7 * 24 * time.Hour, 100, ""},
		{"100 2h", 2 * time.Hour, 100, ""},
		{"", 0, 0, "is empty"},
		{"0", 0, 0, "is not an age (7d, 12h) or a count (100)"},
		{"0d", 0, 0, "is not an age (7d, 12h) or a count (100)"},
		{"-3d", 0, 0, "is not an age (7d, 12h) or a count (100)"},
		{"7days", 0, 0, "is not an age (7d, 12h) or a count (100)"},
		{"1.5d", 0, 0, "is not an age (7d, 12h) or a count (100)"},
		{"7d 3d", 0, 0, "gives two ages"},
		{"10 20", 0, 0, "gives two counts"},
		{"99999999999999999999d", 0, 0, "is not an age (7d, 12h) or a count (100)"},
	}
	for _, c := range cases {
		got, err := Parse("#+borges_keep: "+c.value+"\n", Default())
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) || !strings.Contains(err.Error(), "line 1: #+borges_keep:") {
				t.Errorf("%q: error %v, want one naming the line and saying %q", c.value, err, c.err)
			}
			continue
		}
		if err != nil || got.KeepFor != c.age || got.KeepCount != c.count {
			t.Errorf("%q: age %v count %d (%v), want %v %d", c.value, got.KeepFor, got.KeepCount, err, c.age, c.count)
		}
	}
	if d := Default(); d.KeepFor != 0 || d.KeepCount != 0 {
		t.Errorf("by default documents are kept: %+v", d)
	}
}
