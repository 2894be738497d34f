package org

import "testing"

// TestUnencodableScan: a text read in two pieces, cut at every byte,
// holds what utf-8-unix cannot encode exactly where the whole does: a
// sequence the cut splits is held back.
func TestUnencodableScan(t *testing.T) {
	for _, s := range []string{"héllo wörld €𝄞 end", "c\xe9 raw", "past \xf8\x88\x80\x80\x80 U+10FFFF", "\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80", "ends in \xe2\x82"} {
		want := Unencodable(s)
		for cut := 0; cut <= len(s); cut++ {
			var u UnencodableScan
			u.Add([]byte(s[:cut]))
			u.Add([]byte(s[cut:]))
			if got := u.Found(); got != want {
				t.Errorf("%q cut at %d: %v, want %v", s, cut, got, want)
			}
		}
	}
}
