package org

import "testing"

// TestResultsKeywordBracket: an anonymous #+RESULTS line is one Babel
// finds (org-babel-result-regexp, then the end of the line) only when its
// brackets hold hex digits (any case), after an optional "(YYYY-MM-DD
// HH:MM:SS) " time stamp; "#+RESULTS[xyz]:" and "#+RESULTS[]:" are not.
func TestResultsKeywordBracket(t *testing.T) {
	for _, c := range []struct {
		line string
		is   bool
		hash string
	}{
		{"#+RESULTS:", true, ""},
		{"#+RESULTS[abc]:", true, "abc"},
		{"#+results[ABCdef0123]:  ", true, "ABCdef0123"},
		{"  #+RESULTS[(2020-01-02 10:11:12) 0af]:", true, "0af"},
		{"#+RESULTS[xyz]:", false, ""},
		{"#+RESULTS[]:", false, ""},
		{"#+RESULTS[ab c]:", false, ""},
		{"#+RESULTS[(2020-01-02) 0af]:", false, ""},
		{"#+RESULTS[(2020-01-02 10:11:12)0af]:", false, ""},
		{"#+RESULTS[abc]x:", false, ""},
	} {
		if got := isResultsKeyword(c.line, ""); got != c.is {
			t.Errorf("isResultsKeyword(%q) = %v, want %v", c.line, got, c.is)
		}
		if got := resultsHash(c.line); got != c.hash {
			t.Errorf("resultsHash(%q) = %q, want %q", c.line, got, c.hash)
		}
	}
}
